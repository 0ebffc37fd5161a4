package dev.grapevine.core.wire;

import dev.grapevine.core.Hash64;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The name of the cluster a node belongs to, and its 64-bit id, which every protocol message carries
 * in its frame ({@link WireCodec}) so that a node drops what a node of another cluster sends it. A
 * guard against mistakes (two clusters sharing a seed, a node pointed at the wrong cluster), not
 * authentication: anyone who can reach the port can claim any name.
 *
 * @param name 1 to {@link #BYTES_MAX} bytes of {@code [A-Za-z0-9._-]}
 * @param id   {@link #idOf(String)} of the name
 */
public record ClusterName(String name, long id) {
    /** The name of a cluster whose nodes were given none. */
    public static final String DEFAULT_NAME = "grapevine";
    public static final int BYTES_MAX = 64;
    public static final ClusterName DEFAULT = of(DEFAULT_NAME);

    public ClusterName {
        Objects.requireNonNull(name, "name");
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("cluster name '" + name + "' " + problem);
        }
        if (id != idOf(name)) {
            throw new IllegalArgumentException("cluster id " + Long.toHexString(id) + " is not the id of '" + name + "'");
        }
    }

    public static ClusterName of(String name) {
        Objects.requireNonNull(name, "name");
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("cluster name '" + name + "' " + problem);
        }
        return new ClusterName(name, idOf(name));
    }

    /** Why {@code name} is not a valid cluster name, or null if it is. */
    public static String problem(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0) {
            return "must not be empty";
        }
        if (bytes > BYTES_MAX) {
            return "takes " + bytes + " bytes; the limit is " + BYTES_MAX;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return "may hold only letters A-Z a-z, digits, '.', '_' and '-'";
            }
        }
        return null;
    }

    /** The id of a name: FNV-1a of its bytes, mixed; compared across nodes, so never String.hashCode. */
    public static long idOf(String name) {
        return Hash64.mix(Hash64.fnv(Hash64.FNV_OFFSET, name));
    }

    @Override
    public String toString() {
        return name;
    }
}
