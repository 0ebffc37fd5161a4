package dev.grapevine.core.node;

import dev.grapevine.core.Hash64;
import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberTable;

import java.util.List;

/**
 * A 64-bit digest of what a push-pull would carry: every member record the view holds (tombstones
 * too), the state of its {@link StateDelegate}s (recovery progress), and the ids of the recent user events. Each
 * item is hashed on its own and the hashes are added, so the digest does not depend on the order in
 * which a node learnt things (member ids and event arrival differ from node to node), only on what
 * it holds. Two views that hold the same digest alike; a difference in any field of any item changes
 * it, but for a collision of 64-bit hashes, which would delay one exchange to a later round.
 */
final class ViewDigest {
    private ViewDigest() {
    }

    /** @param stateSum the sum of {@code Hash64.mix} of each state delegate's digest of each value a push-pull would carry */
    static long of(MemberTable view, long stateSum, List<UserEvent> recentEvents) {
        long sum = view.recordsDigest() + stateSum; // kept up to date by the table: no walk over N members per digest
        for (UserEvent e : recentEvents) {
            sum += Hash64.mix(Hash64.fnv(Hash64.fnv(3, e.origin()), e.ltime()));
        }
        return sum;
    }

    /**
     * A digest of who is live in {@code view} and where: each live member's name and address, suspects
     * included. The origin of a user event sent straight to every member puts it in the message; a
     * receiver that computes the same value knows of no live member the origin did not send to.
     */
    static long liveMembers(MemberTable view) {
        long[] sum = {0};
        view.forEach(m -> {
            if (m.status().isLive()) {
                long h = Hash64.fnv(Hash64.FNV_OFFSET ^ 5, m.name());
                sum[0] += Hash64.mix(Hash64.fnv(Hash64.fnv(h, m.address().host()), m.address().port()));
            }
        });
        return sum[0];
    }
}
