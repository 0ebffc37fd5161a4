package dev.grapevine.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/** One answer of the admin API: an HTTP status and a body written as JSON (or as is, if it is {@link HttpBytes}). */
record HttpReply(int status, Object body) {
    /** A body that is not JSON: this text, with this content type. */
    static HttpReply text(int status, String contentType, String text) {
        return new HttpReply(status, new HttpBytes(Map.of("Content-Type", contentType),
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static HttpReply ok(Object body) {
        return new HttpReply(200, body);
    }

    /** {@code {"error": message}}, with {@code key} first when the answer is about one key. */
    static HttpReply error(int status, String key, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (key != null) {
            body.put("key", key);
        }
        body.put("error", message);
        return new HttpReply(status, body);
    }

    static HttpReply error(int status, String message) {
        return error(status, null, message);
    }
}
