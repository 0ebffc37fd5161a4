package dev.grapevine.core.member;

/**
 * A member's state as gossiped. The declaration order is the precedence at equal
 * (epoch, incarnation): a later constant overrides an earlier one. {@link #LEFT} outranks
 * {@link #DEAD} so that a graceful leave is never reported as a failure (Serf keeps them apart too).
 *
 * <p>Wire ids are fixed: ONLY APPEND new states, never renumber.
 */
public enum MemberStatus {
    ALIVE(0),
    SUSPECT(1),
    DEAD(2),
    LEFT(3);

    private final int wireId;

    MemberStatus(int wireId) {
        this.wireId = wireId;
    }

    public int wireId() {
        return wireId;
    }

    /** Alive and suspect members take part in the protocol: they are probed and gossiped to. */
    public boolean isLive() {
        return this == ALIVE || this == SUSPECT;
    }

    public static MemberStatus fromWireId(int id) {
        return switch (id) {
            case 0 -> ALIVE;
            case 1 -> SUSPECT;
            case 2 -> DEAD;
            case 3 -> LEFT;
            default -> throw new IllegalArgumentException("unknown member status id " + id);
        };
    }
}
