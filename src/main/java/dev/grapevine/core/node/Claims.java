package dev.grapevine.core.node;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberTable;

/**
 * Which claims about a member are plausible enough to reach {@link dev.grapevine.core.member.Precedence}.
 * Precedence trusts epochs and incarnations: one forged "dead at a huge epoch" would beat every later
 * life of the member, and even its restart. So before merging, a claim is refused when no honest node
 * could have made it:
 * <ul>
 *   <li>an epoch more than {@link #EPOCH_AHEAD_MAX_MILLIS} ahead of this node's estimate of the time
 *       (an epoch is a process's start time in milliseconds, or a counter above the last one);</li>
 *   <li>an incarnation more than {@link #INCARNATION_JUMP_MAX} above the one known for the same
 *       epoch (a member raises its own by one per refutation or tag change);</li>
 *   <li>a member at another address within the epoch known here: a process does not move; only a
 *       new life (a higher epoch) may announce a new address.</li>
 * </ul>
 * And a sender that is not a live member here (a stranger, or a node held dead) may tell about
 * itself, about this node (which then refutes), and about members not live here (so partitions
 * heal), but not change what is held about a live member: it has no standing to accuse one.
 */
public final class Claims {
    /** An hour: clocks of one cluster agree far better; a start time beyond it is forged or broken. */
    public static final long EPOCH_AHEAD_MAX_MILLIS = 3_600_000L;
    /** Far above what refutations and tag changes reach in a life, far below the incarnation limit. */
    public static final long INCARNATION_JUMP_MAX = 1_000_000L;

    /** Why a claim is refused, or {@link #PLAUSIBLE}. */
    public enum Verdict { PLAUSIBLE, EPOCH_AHEAD, INCARNATION_JUMP, ADDRESS_MOVED }

    private Claims() {
    }

    /**
     * Judges {@code incoming} against what is held ({@code current}, or null).
     *
     * @param clockMillis this node's estimate of the current time on the epoch scale
     */
    public static Verdict judge(Member incoming, Member current, long clockMillis) {
        if (incoming.epoch() - clockMillis > EPOCH_AHEAD_MAX_MILLIS) {
            return Verdict.EPOCH_AHEAD;
        }
        if (current == null || incoming.epoch() != current.epoch()) {
            return Verdict.PLAUSIBLE;
        }
        if (!incoming.address().equals(current.address())) {
            return Verdict.ADDRESS_MOVED;
        }
        if (incoming.incarnation() - current.incarnation() > INCARNATION_JUMP_MAX) {
            return Verdict.INCARNATION_JUMP;
        }
        return Verdict.PLAUSIBLE;
    }

    /**
     * The rumors a message from {@code from} may carry into this node: all of them from a live
     * member; from anyone else, only the member news {@link #strangerMay} allows, the rest counted as
     * {@code rumors_from_strangers}. A stranger's other rumors (user events, recovery progress,
     * application state, which membership takes only from a member's current life) accuse no one and are kept: the replica of the view that judges the sender (the failure detector's,
     * the gossiper's) may not list a member that has just joined, whose first user event is sent
     * straight to every member. Membership still deduplicates them and bounds their size.
     */
    static java.util.List<dev.grapevine.core.gossip.Rumor> admissible(MemberTable view, Address from, String selfName,
            java.util.List<dev.grapevine.core.gossip.Rumor> rumors, Counters counters) {
        if (rumors.isEmpty() || liveAt(view, from)) {
            return rumors;
        }
        java.util.List<dev.grapevine.core.gossip.Rumor> kept = new java.util.ArrayList<>(rumors.size());
        for (dev.grapevine.core.gossip.Rumor r : rumors) {
            if (!(r instanceof dev.grapevine.core.gossip.Rumor.MemberRumor m)
                    || strangerMay(m.member(), view.get(m.member().name()), from, selfName)) {
                kept.add(r);
            } else {
                counters.rumorsFromStrangers++;
            }
        }
        return kept;
    }

    /** Whether {@code address} is the address of a live member (alive or suspect) of {@code view}. */
    public static boolean liveAt(MemberTable view, Address address) {
        for (int id = 0, n = view.idBound(); id < n; id++) {
            Member m = view.get(id);
            if (m != null && m.status().isLive() && m.address().equals(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a sender at {@code from} that is not a live member may make {@code claim}, given what is
     * held about that member ({@code current}, or null).
     */
    public static boolean strangerMay(Member claim, Member current, Address from, String selfName) {
        return claim.address().equals(from) || claim.name().equals(selfName)
                || current == null || !current.status().isLive();
    }
}
