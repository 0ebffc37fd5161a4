package dev.grapevine.spi;

import dev.grapevine.core.node.LoadTag;

import java.util.Map;
import java.util.Optional;

/**
 * How much data a node holds, as its recoverable domains report it ({@link Recoverable#load()}).
 *
 * @param keys  entries held (deletion markers included)
 * @param bytes bytes held, or -1 if unknown (a store kept in memory, say)
 */
public record StoreLoad(long keys, long bytes) {

    /** The load a member gossips in its tags (at most one update per 30 s, see {@link LoadTag}), if any. */
    public static Optional<StoreLoad> ofTags(Map<String, String> tags) {
        long[] parsed = LoadTag.parse(tags);
        return parsed == null ? Optional.empty() : Optional.of(new StoreLoad(parsed[0], parsed[1]));
    }

    /** The sum of two loads; unknown bytes on either side make the sum's bytes unknown. */
    public StoreLoad plus(StoreLoad other) {
        return new StoreLoad(keys + other.keys, bytes < 0 || other.bytes < 0 ? -1 : bytes + other.bytes);
    }
}
