package dev.grapevine.core.node;

import java.util.Map;

/**
 * How much data this node holds (keys and bytes, summed over its recoverable domains), gossiped as
 * the reserved tag {@value #KEY} so that every member can show every member's load, as Cassandra
 * gossips its "Load" application state.
 *
 * <p>Why a tag, not a field of the recovery progress: tags already travel with every member record,
 * in rumors and in every push-pull, so a node that joins later learns each member's load at once,
 * and no wire format changes. The cost is one member rumor per change, so changes are rate-limited:
 * at most one per {@link #PUBLISH_INTERVAL_MIN_MILLIS}, and only when keys or bytes moved by more
 * than {@link #CHANGE_PERCENT_MIN} % since the last one (or from none to some). An idle cluster sends
 * nothing; a busy one at most one rumor per node every 30 s. The value takes at most 41 bytes, well
 * within the room kept for the node's own tags.
 */
public final class LoadTag {
    /** The reserved tag: {@code "KEYS,BYTES"}, BYTES {@code -} when the domains do not know it. */
    public static final String KEY = Membership.RESERVED_TAG_PREFIX + "load";
    public static final long PUBLISH_INTERVAL_MIN_MILLIS = 30_000;
    public static final int CHANGE_PERCENT_MIN = 5;

    private boolean published;
    private long keys;
    private long bytes;
    private long atMillis;

    /**
     * Whether a load of {@code keys} and {@code bytes} (negative: unknown) should be published now;
     * if so, it is recorded as the last one published.
     */
    boolean due(long keys, long bytes, long nowMillis) {
        if (published) {
            if (nowMillis - atMillis < PUBLISH_INTERVAL_MIN_MILLIS) {
                return false;
            }
            if (!moved(this.keys, keys) && !moved(this.bytes, bytes)) {
                return false;
            }
        }
        published = true;
        this.keys = keys;
        this.bytes = bytes;
        this.atMillis = nowMillis;
        return true;
    }

    private static boolean moved(long before, long now) {
        if (before == now) {
            return false;
        }
        if (before <= 0 || now < 0) {
            return true; // from none (or unknown) to some, or back to unknown
        }
        return Math.abs(now - before) * 100 > before * CHANGE_PERCENT_MIN;
    }

    /** The tag's value for keys and bytes (negative bytes: unknown). */
    public static String format(long keys, long bytes) {
        return keys + "," + (bytes < 0 ? "-" : Long.toString(bytes));
    }

    /**
     * The keys and bytes a member's tags report, {@code {keys, bytes}} with -1 for unknown bytes, or
     * null if they carry no (readable) load.
     */
    public static long[] parse(Map<String, String> tags) {
        String value = tags.get(KEY);
        if (value == null) {
            return null;
        }
        int comma = value.indexOf(',');
        try {
            long k = Long.parseLong(value.substring(0, comma));
            String b = value.substring(comma + 1);
            return new long[]{k, b.equals("-") ? -1 : Long.parseLong(b)};
        } catch (RuntimeException e) {
            return null; // a newer format, or garbage: shown as unknown
        }
    }
}
