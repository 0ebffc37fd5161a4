package dev.grapevine.core.member;

import java.util.Arrays;
import java.util.Objects;

/**
 * One value of a member's application state (as Cassandra's application states): {@code owner}
 * published {@code value} under {@code key}, as its {@code version}th publication in its life
 * {@code epoch}. Of two values of the same (owner, key) the later life wins, then the higher
 * version: a restarted owner's values supersede its earlier life's, whatever counter it restarts at.
 * Opaque to the protocol, and small: key plus value take at most {@link #BYTES_MAX} bytes, so that
 * one always fits a piggyback.
 */
public record AppState(String owner, String key, long epoch, long version, byte[] value) {
    /** Bytes of key (UTF-8) plus value, at most: small enough to ride on any ping or gossip message. */
    public static final int BYTES_MAX = 256;
    /** Keys one member may publish values under: the state is a few facts per node, not a store. */
    public static final int KEYS_MAX = 16;

    public AppState {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        String problem = problem(key, value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (epoch < 0 || version < 1) {
            throw new IllegalArgumentException("application state of " + owner + " under '" + key
                    + "' needs an epoch >= 0 and a version >= 1, but has " + epoch + " and " + version);
        }
    }

    /** Why {@code key} and {@code value} cannot be published, in one line naming the limit, or null. */
    public static String problem(String key, byte[] value) {
        if (key == null || key.isEmpty()) {
            return "an application state key must not be empty";
        }
        int bytes = Utf8.length(key) + value.length;
        if (bytes > BYTES_MAX) {
            return "application state '" + key + "' takes " + bytes + " bytes (key plus value); the limit is " + BYTES_MAX;
        }
        return null;
    }

    /** Whether this value supersedes {@code other} of the same owner and key (null: nothing held). */
    public boolean newerThan(AppState other) {
        return other == null || epoch > other.epoch || epoch == other.epoch && version > other.version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AppState s && epoch == s.epoch && version == s.version && owner.equals(s.owner)
                && key.equals(s.key) && Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(owner, key, epoch, version, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "AppState[" + owner + " " + key + " @" + epoch + "." + version + ", " + value.length + " bytes]";
    }
}
