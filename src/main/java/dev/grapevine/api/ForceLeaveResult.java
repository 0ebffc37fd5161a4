package dev.grapevine.api;

/**
 * The answer to {@link Grapevine#forceLeave}: whether the member is now recorded as left on this node
 * (and the news is on its way to the others), or why nothing was done.
 *
 * @param reason one line for the operator, e.g. "n2 is alive; only a dead or suspect member can be removed; ..."
 */
public record ForceLeaveResult(String name, Outcome outcome, String reason) {

    public enum Outcome {
        /** It was dead or suspect; it is left now. */
        REMOVED,
        /** It had left, or been reaped, already. */
        ALREADY_LEFT,
        /** No member of that name is known to this node. */
        UNKNOWN,
        /** It is this node, which can only leave by itself. */
        SELF,
        /** It is alive: stop it, or make it leave. */
        ALIVE
    }

    /** True if the member is (now) left on this node. */
    public boolean accepted() {
        return outcome == Outcome.REMOVED || outcome == Outcome.ALREADY_LEFT;
    }

    static ForceLeaveResult of(dev.grapevine.core.node.ForceLeave decision) {
        return new ForceLeaveResult(decision.name(), Outcome.valueOf(decision.outcome().name()), decision.reason());
    }
}
