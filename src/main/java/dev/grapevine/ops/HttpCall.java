package dev.grapevine.ops;

import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * One request to the admin API as its routes see it: the method, the path as percent-decoded
 * segments (so a key may hold an encoded {@code /}), and a body read up to a bound.
 */
final class HttpCall {
    private final HttpExchange exchange;
    private final List<String> segments;
    /** The body once {@link #readBody} read it; null before (and if it was too large). */
    private byte[] body;
    private boolean bodyRead;

    private HttpCall(HttpExchange exchange, List<String> segments) {
        this.exchange = exchange;
        this.segments = segments;
    }

    /** @throws IllegalArgumentException if a segment holds a malformed escape or is not UTF-8 */
    static HttpCall of(HttpExchange exchange) {
        return new HttpCall(exchange, PathSegments.decode(exchange.getRequestURI().getRawPath()));
    }

    String method() {
        return exchange.getRequestMethod();
    }

    List<String> segments() {
        return segments;
    }

    /** True if the path is exactly {@code expected}. */
    boolean is(String... expected) {
        return segments.equals(List.of(expected));
    }

    /** The declared body length, or -1 if the client did not declare one (chunked). */
    long declaredLength() {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The whole body if it takes at most {@code maxBytes}; else null, having read no more than one
     * byte past the bound. The rest is never read, so the answer tells the client the connection
     * closes after it (a client reusing it would otherwise find it closed under its next request).
     */
    byte[] body(int maxBytes) throws IOException {
        if (bodyRead) {
            return body;
        }
        readBody(maxBytes);
        return body;
    }

    /** True if the request declares a body (a length above 0, or chunks). */
    boolean hasBody() {
        String chunked = exchange.getRequestHeaders().getFirst("Transfer-Encoding");
        return declaredLength() > 0 || (chunked != null && chunked.toLowerCase(java.util.Locale.ROOT).contains("chunked"));
    }

    /**
     * Reads the body now (what {@link #body} then returns). @throws IOException if the client went
     * away or its body did not arrive in time (the server then closed the connection)
     */
    void readBody(int maxBytes) throws IOException {
        body = readNow(maxBytes);
        bodyRead = true;
    }

    private byte[] readNow(int maxBytes) throws IOException {
        byte[] bytes = declaredLength() > maxBytes ? null : exchange.getRequestBody().readNBytes(maxBytes + 1);
        if (bytes == null || bytes.length > maxBytes) {
            exchange.getResponseHeaders().set("Connection", "close");
            return null;
        }
        return bytes;
    }

    /** The body's size for an error message: declared, or at least one past the bound. */
    long tooLargeSize(int maxBytes) {
        long declared = declaredLength();
        return declared > maxBytes ? declared : maxBytes + 1L;
    }
}
