package dev.grapevine.core.node;

import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.MemberTable;

import java.util.List;

/**
 * Versioned state of the members that travels beside their records: a node publishes a value, gossip
 * (piggyback and gossip rounds) and push-pull carry it within a byte bound, and every node converges
 * on the newest value. Membership knows nothing of what the values mean; recovery progress is one
 * delegate ({@code core.recovery.ProgressBoard}), users' application state another ({@link AppStates}).
 *
 * <p>Contract: called only on membership's step, one call at a time, never concurrently; must not
 * block, read a clock or do I/O; must be deterministic (the simulator replays it from a seed); must
 * bound what it holds and what it hands to a push-pull, and count what a bound leaves out.
 */
public interface StateDelegate {

    /** Whether {@code rumor} is a value of this state. */
    boolean takes(Rumor rumor);

    /**
     * Merges a value a peer sent (by gossip or push-pull), reporting news as effects in {@code out}.
     *
     * @param view this node's member view, read only
     * @return the merged value to gossip on, or null if it brought nothing new or is not to travel further
     */
    Rumor merge(Rumor rumor, MemberTable view, Outbox out);

    /** The values a push-pull carries now, within this state's byte bound; what the bound leaves out is counted. */
    List<Rumor> carried(MemberTable view);

    /**
     * A 64-bit hash of one value {@link #carried} returned. The view digest adds them up, so two
     * nodes that hold the same values digest alike whatever order they learnt them in.
     */
    long digest(Rumor carried);
}
