package dev.grapevine.ops;

import java.util.Map;

/**
 * How the monitor's JSON objects go on the wire: one per line for the CLI ({@code GET /v1/monitor}),
 * or as server-sent events for a browser ({@code GET /ui/events}), whose EventSource reconnects by
 * itself and ignores comment lines, so a heartbeat there is a comment.
 */
enum MonitorFormat {
    JSON_LINES(Map.of("Content-Type", "application/json"), "") {
        @Override
        String frame(String json) {
            return json + "\n";
        }

        @Override
        String heartbeat() {
            return ClientCommands.HEARTBEAT + "\n";
        }
    },
    SERVER_SENT_EVENTS(Map.of("Content-Type", "text/event-stream; charset=utf-8",
            "Cache-Control", "no-store",
            "X-Accel-Buffering", "no"), // a reverse proxy must pass each event on at once, not buffer the stream
            // The browser retries a lost stream after this long; the comment makes the answer start at once.
            "retry: " + MonitorFormat.RECONNECT_MILLIS + "\n: connected\n\n") {
        @Override
        String frame(String json) {
            return "data: " + json + "\n\n"; // the JSON writer puts no line break inside an object
        }

        @Override
        String heartbeat() {
            return ": keep-alive\n\n";
        }
    };

    /** How long a browser waits before it opens a lost event stream again. */
    static final int RECONNECT_MILLIS = 2000;

    private final Map<String, String> headers;
    private final String preamble;

    MonitorFormat(Map<String, String> headers, String preamble) {
        this.headers = headers;
        this.preamble = preamble;
    }

    /** One JSON object, framed. */
    abstract String frame(String json);

    /** What is sent when nothing happened for a while, so a client that went away is noticed. */
    abstract String heartbeat();

    Map<String, String> headers() {
        return headers;
    }

    /** Written once, before the first object. */
    String preamble() {
        return preamble;
    }
}
