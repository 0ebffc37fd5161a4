package dev.grapevine.core.node;

import dev.grapevine.core.Hash64;
import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberTable;

import java.util.List;
import java.util.Map;

/**
 * A 64-bit digest of what a push-pull would carry: every member record the view holds (tombstones
 * too), the recovery progress held of the live ones, and the ids of the recent user events. Each
 * item is hashed on its own and the hashes are added, so the digest does not depend on the order in
 * which a node learnt things (member ids and event arrival differ from node to node), only on what
 * it holds. Two views that hold the same digest alike; a difference in any field of any item changes
 * it, but for a collision of 64-bit hashes, which would delay one exchange to a later round.
 */
final class ViewDigest {
    private ViewDigest() {
    }

    static long of(MemberTable view, List<Rumor.ProgressRumor> progress, List<UserEvent> recentEvents) {
        long[] sum = {0};
        view.forEach(m -> sum[0] += Hash64.mix(member(m)));
        for (Rumor.ProgressRumor p : progress) {
            sum[0] += Hash64.mix(progress(p));
        }
        for (UserEvent e : recentEvents) {
            sum[0] += Hash64.mix(Hash64.fnv(Hash64.fnv(3, e.origin()), e.ltime()));
        }
        return sum[0];
    }

    /** Every field of the record; the leading constant keeps a member apart from a progress word or an event. */
    private static long member(Member m) {
        long h = Hash64.fnv(Hash64.FNV_OFFSET ^ 1, m.name());
        h = Hash64.fnv(h, m.address().host());
        h = Hash64.fnv(h, ((long) m.address().port() << 32) | m.status().wireId());
        h = Hash64.fnv(Hash64.fnv(h, m.epoch()), m.incarnation());
        for (Map.Entry<String, String> tag : m.tags().entrySet()) { // sorted by key
            h = Hash64.fnv(Hash64.fnv(h, tag.getKey()), tag.getValue());
        }
        return h;
    }

    private static long progress(Rumor.ProgressRumor p) {
        long h = Hash64.fnv(Hash64.FNV_OFFSET ^ 2, p.member());
        h = Hash64.fnv(Hash64.fnv(h, p.life()), p.seq());
        return Hash64.fnv(Hash64.fnv(h, p.epoch()), ((long) p.pending() << 32) | p.failed());
    }
}
