package dev.grapevine.ops;

import java.util.Map;

/**
 * A body the admin API sends as it is rather than as JSON: a file of the dashboard, say, with the
 * headers that go with it (its {@code Content-Type} among them).
 */
record HttpBytes(Map<String, String> headers, byte[] bytes) {
    HttpBytes {
        if (!headers.containsKey("Content-Type")) {
            throw new IllegalArgumentException("a byte body needs a Content-Type header, but has only " + headers.keySet());
        }
        headers = Map.copyOf(headers);
    }
}
