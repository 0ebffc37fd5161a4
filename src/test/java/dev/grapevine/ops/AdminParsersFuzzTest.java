package dev.grapevine.ops;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.grapevine.kv.KvService;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Coverage-guided fuzzing of what the admin API parses from a client before any route acts: the
 * request path and its percent-escapes, the JSON bodies of join and tags, and a key-value key's trip
 * through the CLI's encoding. Any input is a value the route can use or a one-line reason for a 400,
 * never another exception (which would be a 500) and never a Java type's name. Without
 * {@code JAZZER_FUZZ} it replays the kept inputs under {@code AdminParsersFuzzTestInputs/}.
 */
class AdminParsersFuzzTest {
    /** What a refusal must not show a client: a Java class, package or exception name. */
    private static final Pattern JAVA_NAME = Pattern.compile(
            "java\\.|javax\\.|com\\.fasterxml|dev\\.grapevine|Exception|URLDecoder|LinkedHashMap|\\$|`");

    @FuzzTest(maxDuration = "3m")
    void requestPaths(FuzzedDataProvider data) {
        String rawPath = data.consumeRemainingAsString();
        List<String> segments;
        try {
            segments = PathSegments.decode(rawPath);
        } catch (IllegalArgumentException refused) {
            assertClean(refused.getMessage(), rawPath);
            return;
        }
        for (String segment : segments) {
            assertNotNull(segment);
            // Strict UTF-8: what decodes is valid Unicode, and re-encoding it gives a path that decodes the same.
            assertEquals(segment, PathSegments.segment(AdminClient.encodeSegment(segment)));
        }
    }

    @FuzzTest(maxDuration = "3m")
    void joinBodies(byte[] body) {
        List<String> addresses;
        try {
            addresses = JsonBodies.joinAddresses(body);
        } catch (JsonBodies.BadBody refused) {
            assertClean(refused.getMessage(), text(body));
            return;
        }
        assertFalse(addresses.isEmpty());
        addresses.forEach(a -> assertNotNull(a, "no null address reaches the node"));
    }

    @FuzzTest(maxDuration = "3m")
    void tagsBodies(byte[] body) {
        JsonBodies.TagsChange change;
        try {
            change = JsonBodies.tags(body);
        } catch (JsonBodies.BadBody refused) {
            assertClean(refused.getMessage(), text(body));
            return;
        }
        change.set().forEach((k, v) -> {
            assertNotNull(k);
            assertNotNull(v, "no null tag value reaches the node");
        });
        change.delete().forEach(k -> assertNotNull(k, "no null key to delete reaches the node"));
    }

    /**
     * A key-value key as the CLI sends it: every key the store accepts comes back from the path as
     * itself, and the key check refuses any other with a reason instead of throwing.
     */
    @FuzzTest(maxDuration = "3m")
    void kvKeys(FuzzedDataProvider data) {
        String key = data.consumeRemainingAsString();
        String bad = KvService.check(key, 0);
        if (bad != null) {
            assertClean(bad, key);
            return;
        }
        List<String> path = PathSegments.decode("/kv/" + AdminClient.encodeSegment(key));
        assertEquals(List.of("kv", key), path);
    }

    /** {@code input}: what the client sent, which a refusal may quote (so a name in it proves nothing). */
    private static void assertClean(String message, String input) {
        assertNotNull(message, "a refusal says why");
        assertFalse(message.isBlank(), "a refusal says why");
        if (!JAVA_NAME.matcher(input).find()) {
            assertFalse(JAVA_NAME.matcher(message).find(), () -> "a refusal names no Java type: " + message);
        }
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.ISO_8859_1) + new String(body, StandardCharsets.UTF_8);
    }
}
