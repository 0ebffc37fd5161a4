package dev.grapevine.core.member;

import dev.grapevine.core.Hash64;

import java.util.Map;

/**
 * The 64-bit hash of one member record, every field of it, as the view digest adds it up: a
 * {@link MemberTable} keeps the sum of its records' hashes up to date on each change, so a digest of
 * the whole view costs nothing more than an addition, whatever the cluster's size.
 */
public final class MemberDigest {
    private MemberDigest() {
    }

    /** Every field of the record, spread; the leading constant keeps a member apart from a progress word or an event. */
    public static long of(Member m) {
        long h = Hash64.fnv(Hash64.FNV_OFFSET ^ 1, m.name());
        h = Hash64.fnv(h, m.address().host());
        h = Hash64.fnv(h, ((long) m.address().port() << 32) | m.status().wireId());
        h = Hash64.fnv(Hash64.fnv(h, m.epoch()), m.incarnation());
        for (Map.Entry<String, String> tag : m.tags().entrySet()) { // sorted by key
            h = Hash64.fnv(Hash64.fnv(h, tag.getKey()), tag.getValue());
        }
        return Hash64.mix(h);
    }
}
