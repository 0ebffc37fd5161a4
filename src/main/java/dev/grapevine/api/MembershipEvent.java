package dev.grapevine.api;

/**
 * A change in this node's view of one member. A subscriber first gets the current view (JOINED for
 * live members, FAILED or LEFT for the others, with no {@code previous}), then every change, in order.
 *
 * @param previous what this node believed before, or null
 * @param source   who caused it: the accuser for SUSPECTED and FAILED, else the member itself
 */
public record MembershipEvent(Kind kind, Member member, Member previous, String source) {

    /** Failed and left are kept apart: a crash and a planned exit call for different reactions. */
    public enum Kind {
        JOINED,
        /** Still alive, with a new address, epoch (it restarted) or tags. */
        UPDATED,
        SUSPECTED,
        /** Back to alive after being suspected, failed or having left. */
        ALIVE_AGAIN,
        FAILED,
        LEFT,
        /** Left long enough ago ({@code reap-left-after}) to be dropped from the view. */
        REAPED
    }

    static MembershipEvent of(dev.grapevine.core.member.MemberEvent e) {
        return new MembershipEvent(Kind.valueOf(e.kind().name()), Member.of(e.member()),
                e.previous() == null ? null : Member.of(e.previous()), e.source());
    }
}
