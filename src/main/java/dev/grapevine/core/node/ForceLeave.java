package dev.grapevine.core.node;

import dev.grapevine.core.member.Member;

import java.util.Locale;
import java.util.Objects;

/**
 * The answer to a request to remove a member that is gone for good (Serf's {@code force-leave},
 * Cassandra's {@code nodetool removenode}). Only a dead or suspect member is removed: it is recorded
 * as left at the incarnation this node knows, which overrides dead and suspect everywhere, so it is
 * no longer redialled and is reaped like any member that left. A live member is refused: removing it
 * would only make it refute, and an operator who means it should stop it or make it leave.
 *
 * @param reason one line for the operator: what was done, or why nothing was
 */
public record ForceLeave(String name, Outcome outcome, String reason) {

    public enum Outcome {
        /** It was dead or suspect; it is left now, and the news is on its way. */
        REMOVED,
        /** It had left (or been reaped) already: nothing to do, and the request succeeds all the same. */
        ALREADY_LEFT,
        /** This node has never heard of it. */
        UNKNOWN,
        /** It is this node, which can only leave by itself. */
        SELF,
        /** It is alive. */
        ALIVE
    }

    public ForceLeave {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }

    /** True if the member is (now) left on this node: the request did what it asked. */
    public boolean accepted() {
        return outcome == Outcome.REMOVED || outcome == Outcome.ALREADY_LEFT;
    }

    static ForceLeave decide(String name, boolean isSelf, Member current, boolean reaped) {
        if (isSelf) {
            return new ForceLeave(name, Outcome.SELF, name + " is this node; to remove it, make it leave (grapevine leave)");
        }
        if (current == null) {
            return reaped
                    ? new ForceLeave(name, Outcome.ALREADY_LEFT, name + " is gone from the view already")
                    : new ForceLeave(name, Outcome.UNKNOWN, "no member named " + name + " is known here");
        }
        return switch (current.status()) {
            case ALIVE -> new ForceLeave(name, Outcome.ALIVE, name
                    + " is alive; only a dead or suspect member can be removed; stop it or make it leave");
            case SUSPECT, DEAD -> new ForceLeave(name, Outcome.REMOVED, name + " was "
                    + current.status().name().toLowerCase(Locale.ROOT) + "; it is left now, and the other members will hear so");
            case LEFT -> new ForceLeave(name, Outcome.ALREADY_LEFT, name + " has left already");
        };
    }
}
