package dev.grapevine.core.member;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One member as some node believes it to be: an immutable value, gossiped whole.
 *
 * <p>Identity is the {@code name}. A process of that name is one {@code epoch} (chosen when the
 * process starts and larger than any earlier epoch of the same name, e.g. a persisted restart
 * counter or the start time), and within an epoch the member's own {@code incarnation} only grows:
 * the member raises it to refute a suspicion or to publish new tags. Others never raise it; they
 * only change the status at the incarnation they know. {@link Precedence} orders these values.
 *
 * @param tags small key/value metadata (role, zone, …), at most {@link #TAGS_BYTES_MAX} bytes
 */
public record Member(String name, Address address, long epoch, long incarnation, MemberStatus status,
                     SortedMap<String, String> tags) {

    public static final int NAME_BYTES_MAX = 128;
    /** Serf allows 512 bytes of tags; we allow more, still small enough to gossip cheaply. */
    public static final int TAGS_BYTES_MAX = 1024;

    public Member {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(status, "status");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("member name must not be empty");
        }
        if (Utf8.length(name) > NAME_BYTES_MAX) {
            throw new IllegalArgumentException("member name is longer than " + NAME_BYTES_MAX + " bytes: " + name);
        }
        if (epoch < 0 || incarnation < 0) {
            throw new IllegalArgumentException("epoch and incarnation must be >= 0, but were "
                    + epoch + " and " + incarnation + " for " + name);
        }
        tags = immutableTags(tags);
        int tagBytes = tagsBytes(tags);
        if (tagBytes > TAGS_BYTES_MAX) {
            throw new IllegalArgumentException("tags of " + name + " take " + tagBytes
                    + " bytes; the limit is " + TAGS_BYTES_MAX);
        }
    }

    public static Member alive(String name, Address address, long epoch, long incarnation, Map<String, String> tags) {
        return new Member(name, address, epoch, incarnation, MemberStatus.ALIVE, new TreeMap<>(tags));
    }

    public Member withStatus(MemberStatus newStatus) {
        return newStatus == status ? this : new Member(name, address, epoch, incarnation, newStatus, tags);
    }

    public Member withIncarnation(long newIncarnation) {
        return new Member(name, address, epoch, newIncarnation, status, tags);
    }

    public Member withTags(Map<String, String> newTags) {
        return new Member(name, address, epoch, incarnation, status, new TreeMap<>(newTags));
    }

    /** Total bytes of tag keys and values in UTF-8, the figure {@link #TAGS_BYTES_MAX} bounds. */
    public static int tagsBytes(Map<String, String> tags) {
        int bytes = 0;
        for (Map.Entry<String, String> e : tags.entrySet()) {
            bytes += Utf8.length(e.getKey()) + Utf8.length(e.getValue());
        }
        return bytes;
    }

    private static final SortedMap<String, String> NO_TAGS = Collections.unmodifiableSortedMap(new TreeMap<>());

    private static SortedMap<String, String> immutableTags(SortedMap<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            return NO_TAGS;
        }
        TreeMap<String, String> copy = new TreeMap<>();
        tags.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "tag key"), Objects.requireNonNull(v, "tag value of " + k)));
        return Collections.unmodifiableSortedMap(copy);
    }

    @Override
    public String toString() {
        return name + "@" + address + "[" + status + " e" + epoch + " i" + incarnation + (tags.isEmpty() ? "" : " " + tags) + "]";
    }
}
