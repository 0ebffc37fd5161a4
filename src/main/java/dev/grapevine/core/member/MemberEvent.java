package dev.grapevine.core.member;

import java.util.Objects;

/**
 * A change in this node's view of one member, as published to subscribers. Serf keeps failed, left
 * and reaped apart; so do we, because a domain reacts differently to a crash than to a planned exit.
 *
 * @param previous the belief that was replaced, or null when the member is new
 * @param source   who caused the change: the accuser for suspected/failed, else the member itself
 */
public record MemberEvent(Kind kind, Member member, Member previous, String source) {

    public enum Kind {
        /** First heard of, alive or suspect. */
        JOINED,
        /** Still alive, with a new address, epoch (restart) or tags. */
        UPDATED,
        /** Suspected by {@code source}; may still refute. */
        SUSPECTED,
        /** Back to alive after being suspected, failed or having left. */
        ALIVE_AGAIN,
        /** Declared dead (crashed or unreachable) by {@code source}. */
        FAILED,
        /** Left gracefully. */
        LEFT,
        /** Left long enough ago to be forgotten (reap-left-after); {@code member} is its last state. */
        REAPED
    }

    public MemberEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(member, "member");
    }

    /**
     * The event (or none) that replacing {@code previous} by {@code next} means. Pure; called after
     * {@link Precedence#overrides} said the replacement happens.
     */
    public static MemberEvent between(Member previous, Member next, String source) {
        MemberStatus was = previous == null ? null : previous.status();
        Kind kind = switch (next.status()) {
            case ALIVE -> {
                if (was == null) {
                    yield Kind.JOINED;
                } else if (was != MemberStatus.ALIVE) {
                    yield Kind.ALIVE_AGAIN;
                } else if (previous.epoch() != next.epoch() || !previous.address().equals(next.address())
                        || !previous.tags().equals(next.tags())) {
                    yield Kind.UPDATED;
                }
                yield null; // an incarnation bump alone (a refutation nobody else saw) is not news
            }
            case SUSPECT -> was == null ? Kind.JOINED : was == MemberStatus.SUSPECT ? null : Kind.SUSPECTED;
            case DEAD -> was == null || was == MemberStatus.DEAD ? null : Kind.FAILED;
            case LEFT -> was == null || was == MemberStatus.LEFT ? null : Kind.LEFT;
        };
        return kind == null ? null : new MemberEvent(kind, next, previous, source);
    }
}
