package dev.grapevine.core.events;

import dev.grapevine.core.member.Utf8;

import java.util.Arrays;
import java.util.Objects;

/**
 * A user event (Serf's {@code serf event}): a name and an opaque payload, gossiped to every member.
 * {@code (origin, ltime)} identifies it: the origin's Lamport clock ticks once per event it emits.
 */
public record UserEvent(String origin, long ltime, String name, byte[] payload) {

    public UserEvent {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(payload, "payload");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("user event name must not be empty");
        }
        if (ltime < 0) {
            throw new IllegalArgumentException("user event Lamport time must be >= 0, but was " + ltime);
        }
    }

    /** The bytes {@code user-event-max-bytes} limits: name plus payload, as Serf counts them. */
    public int sizeBytes() {
        return Utf8.length(name) + payload.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserEvent e && ltime == e.ltime && origin.equals(e.origin) && name.equals(e.name)
                && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, ltime, name, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "UserEvent[" + name + " from " + origin + " @" + ltime + ", " + payload.length + " bytes]";
    }
}
