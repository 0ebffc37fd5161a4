package dev.grapevine.ops;

import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
        String raw = exchange.getRequestURI().getRawPath();
        // "/v1/members" → ["v1", "members"]; a trailing slash leaves an empty segment, which no route matches
        String[] parts = raw.split("/", -1);
        List<String> segments = new ArrayList<>(parts.length);
        for (int i = raw.startsWith("/") ? 1 : 0; i < parts.length; i++) {
            segments.add(decodeSegment(parts[i]));
        }
        return new HttpCall(exchange, List.copyOf(segments));
    }

    /**
     * A percent-encoded path segment as text. Its bytes must be UTF-8: a key that is not would
     * otherwise become U+FFFD, a different key that no client asked for. A '+' is a plus, not a
     * space as in a query string.
     */
    static String decodeSegment(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
                if (lo < 0) {
                    throw new IllegalArgumentException("the path segment '" + raw + "' has a malformed percent-escape at "
                            + "character " + (i + 1) + " (expected %XX, two hex digits)");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x100) {
                bytes.write(c); // the JDK's server reads the request line a byte a char: unescaped UTF-8 arrives so
            } else {
                int codePoint = raw.codePointAt(i);
                byte[] utf8 = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        return utf8(bytes.toByteArray(), "the path segment '" + raw + "'");
    }

    /** {@code bytes} as UTF-8 text. @throws IllegalArgumentException naming {@code what} if they are not UTF-8 */
    static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid UTF-8");
        }
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
