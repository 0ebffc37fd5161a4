package dev.grapevine.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A user event (as {@code serf event}): delivered once to every member, this node included.
 *
 * @param origin      the member that sent it
 * @param lamportTime its Lamport time: a later event from anyone who had seen this one is higher
 */
public record UserEvent(String name, byte[] payload, String origin, long lamportTime) {

    public UserEvent {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    static UserEvent of(dev.grapevine.core.events.UserEvent e) {
        return new UserEvent(e.name(), e.payload(), e.origin(), e.ltime());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserEvent e && lamportTime == e.lamportTime && name.equals(e.name)
                && origin.equals(e.origin) && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, origin, lamportTime, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "UserEvent[" + name + " from " + origin + " @" + lamportTime + ", " + payload.length + " bytes]";
    }
}
