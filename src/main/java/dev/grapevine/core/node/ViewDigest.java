package dev.grapevine.core.node;

import dev.grapevine.core.Hash64;
import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.recovery.EpochProgress;

import java.util.List;

/**
 * A 64-bit digest of what a push-pull would carry: every member record the view holds (tombstones
 * too), the recovery progress held of the live members' epoch, and the ids of the recent user events. Each
 * item is hashed on its own and the hashes are added, so the digest does not depend on the order in
 * which a node learnt things (member ids and event arrival differ from node to node), only on what
 * it holds. Two views that hold the same digest alike; a difference in any field of any item changes
 * it, but for a collision of 64-bit hashes, which would delay one exchange to a later round.
 */
final class ViewDigest {
    private ViewDigest() {
    }

    static long of(MemberTable view, List<EpochProgress> progress, List<UserEvent> recentEvents) {
        long[] sum = {view.recordsDigest()}; // kept up to date by the table: no walk over N members per digest
        for (EpochProgress p : progress) {
            sum[0] += Hash64.mix(progress(p));
        }
        for (UserEvent e : recentEvents) {
            sum[0] += Hash64.mix(Hash64.fnv(Hash64.fnv(3, e.origin()), e.ltime()));
        }
        return sum[0];
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

    /** The epoch and every member's word, in member order (the same on every node of the epoch). */
    private static long progress(EpochProgress p) {
        long h = Hash64.fnv(Hash64.FNV_OFFSET ^ 2, p.epoch());
        for (int i = 0, n = p.members(); i < n; i++) {
            h = Hash64.fnv(Hash64.fnv(h, p.seq(i)), ((long) p.pending(i) << 32) | p.failed(i));
        }
        return h;
    }
}
