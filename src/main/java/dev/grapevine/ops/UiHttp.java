package dev.grapevine.ops;

import dev.grapevine.api.Grapevine;
import org.apache.pekko.actor.typed.ActorSystem;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The dashboard, on the admin port:
 * <pre>
 *   GET /ui                 the page: members, suspects, recovery, the latest events
 *   GET /ui/dashboard.js    its script; GET /ui/dashboard.css its style sheet
 *   GET /ui/events          the monitor stream as server-sent events ({@link MonitorFormat})
 *   GET /ui/recent          the latest events this node delivered ({@link RecentEvents})
 * </pre>
 * The page reads the JSON routes ({@code /v1/members}, {@code /v1/recovery}, {@code /v1/info},
 * {@code /ui/recent}) and then follows the event stream. Its three files are plain HTML, JavaScript and CSS read from the
 * class path once, with no build step and nothing loaded from elsewhere: the Content-Security-Policy
 * allows this node's own origin only, so a member's name or tag can never run as script there.
 */
final class UiHttp {
    private static final String RESOURCES = "dev/grapevine/ops/ui/";
    private static final String CSP = "default-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'; object-src 'none'";

    private final ActorSystem<?> system;
    private final Grapevine grapevine;
    private final Map<String, HttpBytes> files = new LinkedHashMap<>();
    private final RecentEvents recent;

    UiHttp(ActorSystem<?> system, Grapevine grapevine) {
        this.system = system;
        this.grapevine = grapevine;
        this.recent = RecentEvents.start(system, grapevine);
        // The script and style sheet are named with a hash of their content, so a browser may keep them
        // for a day: a new version of the node serves a page that names new ones. The page itself is
        // checked on every load.
        byte[] js = read("dashboard.js");
        byte[] css = read("dashboard.css");
        String html = new String(read("dashboard.html"), StandardCharsets.UTF_8)
                .replace("dashboard.js?v=0", "dashboard.js?v=" + hash(js))
                .replace("dashboard.css?v=0", "dashboard.css?v=" + hash(css));
        files.put("", file("text/html; charset=utf-8", "no-cache", html.getBytes(StandardCharsets.UTF_8)));
        files.put("dashboard.js", file("text/javascript; charset=utf-8", "public, max-age=86400", js));
        files.put("dashboard.css", file("text/css; charset=utf-8", "public, max-age=86400", css));
    }

    /** True if the path is the dashboard's: {@code /ui} or below. */
    static boolean owns(HttpCall call) {
        List<String> path = call.segments();
        return !path.isEmpty() && path.get(0).equals("ui");
    }

    /** The answer for a path that {@link #owns} accepts, or null (a 404) for one it does not know. */
    CompletionStage<HttpReply> route(HttpCall call) {
        List<String> path = call.segments();
        if (call.is("ui", "events")) {
            return AdminHttp.only(call, "GET", () -> AdminHttp.done(HttpReply.ok(
                    new MonitorStream(system, grapevine, MonitorFormat.SERVER_SENT_EVENTS))));
        }
        if (call.is("ui", "recent")) {
            return AdminHttp.only(call, "GET", () -> AdminHttp.done(HttpReply.ok(recent.json())));
        }
        HttpBytes file = path.size() == 1 ? files.get("") : path.size() == 2 ? files.get(path.get(1)) : null;
        if (file == null) {
            return null;
        }
        if (!call.method().equals("GET") && !call.method().equals("HEAD")) {
            return AdminHttp.done(HttpReply.error(405, call.method() + " is not allowed here; use GET"));
        }
        return AdminHttp.done(HttpReply.ok(file));
    }

    private static HttpBytes file(String contentType, String cacheControl, byte[] bytes) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Cache-Control", cacheControl);
        headers.put("Content-Security-Policy", CSP);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        return new HttpBytes(headers, bytes);
    }

    private static byte[] read(String name) {
        try (InputStream in = UiHttp.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + RESOURCES + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard's " + name, e);
        }
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
