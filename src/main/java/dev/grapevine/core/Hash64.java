package dev.grapevine.core;

import java.nio.charset.StandardCharsets;

/**
 * The 64-bit hashes every node must compute alike (ownership, epoch names, Merkle trees, view
 * digests): FNV-1a to fold bytes in, SplitMix64's finaliser to spread the bits. Never
 * {@code String.hashCode} or identity: these values are compared across nodes and kept on disk.
 */
public final class Hash64 {
    /** FNV-1a's offset basis: the hash of nothing. */
    public static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Hash64() {
    }

    /** Folds the UTF-8 bytes of {@code s} into {@code h} (FNV-1a). */
    public static long fnv(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        return h;
    }

    /** Folds the eight bytes of {@code v}, most significant first, into {@code h} (FNV-1a). */
    public static long fnv(long h, long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            h = (h ^ ((v >>> shift) & 0xff)) * FNV_PRIME;
        }
        return h;
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014): spreads every input bit over the output. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
