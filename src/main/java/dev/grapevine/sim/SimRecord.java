package dev.grapevine.sim;

import dev.grapevine.core.Hash64;

/**
 * One version of one simulated key, ordered as the key-value store orders its records: last write
 * wins by (stamp, writer), then a tombstone beats a value, then the larger value. Every write the
 * simulated clients make has a unique {@code value} (its write id), so a version names the write
 * that made it.
 *
 * @param stamp     the coordinator's hybrid time when it took the write
 * @param writer    the coordinator's name
 * @param tombstone a delete
 * @param value     the write's id (a delete keeps its id too, so it can be traced)
 */
record SimRecord(long stamp, String writer, boolean tombstone, long value) {

    /** Bytes the record takes on the wire, as the store encodes one: header, writer, an 8-byte value. */
    int sizeBytes() {
        return 15 + writer.length() + (tombstone ? 0 : Long.BYTES);
    }

    /** Last-write-wins: whether this version replaces {@code other} (null: no version yet). */
    boolean supersedes(SimRecord other) {
        if (other == null) {
            return true;
        }
        if (stamp != other.stamp) {
            return stamp > other.stamp;
        }
        int byWriter = writer.compareTo(other.writer);
        if (byWriter != 0) {
            return byWriter > 0;
        }
        if (tombstone != other.tombstone) {
            return tombstone;
        }
        return Long.compareUnsigned(value, other.value) > 0;
    }

    /** Whether this version is {@code other} or replaces it: a reader holding it has seen {@code other}. */
    boolean atLeast(SimRecord other) {
        return equals(other) || supersedes(other);
    }

    /** The record as the exchange carries it: stamp, flags, value, writer (UTF-8). */
    byte[] encode() {
        byte[] w = writer.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.nio.ByteBuffer.allocate(17 + w.length).putLong(stamp).put((byte) (tombstone ? 1 : 0)).putLong(value)
                .put(w).array();
    }

    static SimRecord decode(byte[] bytes) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        long stamp = b.getLong();
        boolean tombstone = b.get() == 1;
        long value = b.getLong();
        byte[] w = new byte[b.remaining()];
        b.get(w);
        return new SimRecord(stamp, new String(w, java.nio.charset.StandardCharsets.UTF_8), tombstone, value);
    }

    /** A digest that changes whenever the version does, for the Merkle trees. */
    long digest() {
        long h = Hash64.fnv(Hash64.FNV_OFFSET, writer);
        return Hash64.mix(h ^ Hash64.mix(stamp) ^ (tombstone ? 0x5bd1e995L : 0) ^ Hash64.mix(value + 0x9E3779B97F4A7C15L));
    }
}
