package dev.grapevine.ops;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path as the admin API's routes see it: {@code "/v1/members"} → {@code ["v1", "members"]},
 * each segment percent-decoded as UTF-8 ({@code %2F} is a slash inside a key; a trailing slash leaves
 * an empty segment, which no route matches). Decoding is strict: a malformed escape or bytes that are
 * not UTF-8 are refused, never replaced, so two different encoded keys never name the same key.
 */
final class PathSegments {
    private PathSegments() {
    }

    /** @throws IllegalArgumentException naming the segment and what is wrong with it */
    static List<String> decode(String rawPath) {
        String[] parts = rawPath.split("/", -1);
        List<String> segments = new ArrayList<>(parts.length);
        for (int i = rawPath.startsWith("/") ? 1 : 0; i < parts.length; i++) {
            segments.add(segment(parts[i]));
        }
        return List.copyOf(segments);
    }

    /**
     * One segment; a '+' is a plus here, not a space as in a query string. The JDK's server reads the
     * request line a byte a character, so an unescaped character below U+0100 stands for one byte, and
     * unescaped UTF-8 arrives as its bytes; a character above (a path built in this JVM) for its UTF-8.
     */
    static String segment(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? hex(raw.charAt(i + 1)) : -1;
                int low = high >= 0 ? hex(raw.charAt(i + 2)) : -1;
                if (low < 0) {
                    throw new IllegalArgumentException("the path segment '" + raw + "' has a malformed percent-escape at "
                            + "character " + (i + 1) + " (expected %XX, two hex digits)");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c < 0x100) {
                bytes.write(c);
            } else {
                // Unescaped text stands for its UTF-8 bytes (a lone surrogate is caught by the decoder below).
                int end = i + (Character.isHighSurrogate(c) && i + 1 < raw.length() ? 2 : 1);
                bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the path segment '" + raw + "' is not valid UTF-8");
        }
    }

    /** An ASCII hex digit's value, else -1 (Character.digit would take other scripts' digits too). */
    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
