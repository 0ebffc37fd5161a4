package dev.grapevine.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tag changes made at run time ({@code grapevine tags set/delete}), kept in the data dir's
 * {@code tags} file as {@code {"set":{...},"delete":[...]}} (as Serf's {@code -tags-file}).
 *
 * <p>Precedence: on start, the configured tags ({@code grapevine.node.tags}, {@code --tag}) are the
 * base, and the recorded changes apply over them for the keys they name: a key set at run time
 * keeps its value whatever the config says, and a key deleted at run time stays deleted even if the
 * config names it. Keys the changes do not name follow the config. {@code delete} remembers deletions
 * of configured keys for that reason. Immutable.
 */
record RuntimeTags(Map<String, String> set, Set<String> deleted) {
    static final RuntimeTags NONE = new RuntimeTags(Map.of(), Set.of());
    private static final ObjectMapper JSON = new ObjectMapper();

    RuntimeTags {
        set = Map.copyOf(set);
        deleted = Set.copyOf(deleted);
    }

    /** The tags to start with: {@code configured}, with these changes applied over it. */
    Map<String, String> over(Map<String, String> configured) {
        Map<String, String> tags = new TreeMap<>(configured);
        tags.keySet().removeAll(deleted);
        tags.putAll(set);
        return tags;
    }

    /** These changes followed by another: the later one wins for each key it names. */
    RuntimeTags then(Map<String, String> setNow, Collection<String> deleteNow) {
        Map<String, String> s = new TreeMap<>(set);
        Set<String> d = new TreeSet<>(deleted);
        s.keySet().removeAll(deleteNow);
        d.addAll(deleteNow);
        d.removeAll(setNow.keySet());
        s.putAll(setNow);
        return new RuntimeTags(s, d);
    }

    String encode() {
        Map<String, Object> body = new TreeMap<>();
        body.put("set", new TreeMap<>(set));
        body.put("delete", new TreeSet<>(deleted));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e); // maps of strings always encode
        }
    }

    /** @throws IllegalArgumentException if {@code text} is not such a file */
    static RuntimeTags decode(String text) {
        try {
            Body b = JSON.readValue(text, Body.class);
            return new RuntimeTags(b.set() == null ? Map.of() : b.set(), b.delete() == null ? Set.of() : b.delete());
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException("expected {\"set\":{\"key\":\"value\"},\"delete\":[\"key\"]}: " + e.getMessage(), e);
        }
    }

    private record Body(Map<String, String> set, Set<String> delete) {
    }
}
