package dev.grapevine.core.node;

import dev.grapevine.core.config.Settings;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.member.Precedence;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The members a node's view holds as dead or left, and those it forgot: dead members are the
 * reconnect targets that heal partitions, left ones are reaped after {@code reap-left-after}
 * (Serf's tombstone timeout), and the reaped are remembered for a while so that stale news cannot
 * bring them back. {@link Membership} tells it every change of the view; it removes what it reaps
 * from that view itself.
 */
final class Tombstones {
    /** Reaped members remembered; past it the oldest are forgotten (see {@link #reaped}). */
    static final int REAPED_REMEMBERED_MAX = 4096;
    /** Dead members kept at least, whatever the cluster's size: see {@link #deadMembersMax}. */
    static final int DEAD_MEMBERS_MIN = 4096;

    private final Settings settings;
    private final MemberTable table;
    private final Counters counters;
    /** Dead (not left) members and when this node learned it: the reconnect targets. */
    private final LinkedHashMap<String, Long> deadSinceMillis = new LinkedHashMap<>();
    /** Members that left, and since when: reaped after {@code reap-left-after}. */
    private final LinkedHashMap<String, Long> leftSinceMillis = new LinkedHashMap<>();
    /**
     * The last state of members reaped recently, oldest first: news of them that does not override it
     * is stale and must not bring them back. Bounded; past {@link #REAPED_REMEMBERED_MAX} the oldest
     * are forgotten, and a very late stale rumor could list such a member as left again, until it is
     * reaped once more.
     */
    private final LinkedHashMap<String, Member> reaped = new LinkedHashMap<>();

    Tombstones(Settings settings, MemberTable table, Counters counters) {
        this.settings = settings;
        this.table = table;
        this.counters = counters;
    }

    /** A member restored from before, dead or left, as if just heard of. */
    void restored(Member m, long nowMillis) {
        if (m.status() == MemberStatus.DEAD) {
            deadSinceMillis.put(m.name(), nowMillis);
        } else if (m.status() == MemberStatus.LEFT) {
            leftSinceMillis.put(m.name(), nowMillis);
        }
    }

    /** The view now holds {@code m} so. */
    void changed(Member m, long nowMillis) {
        if (m.status() == MemberStatus.DEAD) {
            deadSinceMillis.put(m.name(), nowMillis);
        } else {
            deadSinceMillis.remove(m.name());
        }
        if (m.status() == MemberStatus.LEFT) {
            leftSinceMillis.putIfAbsent(m.name(), nowMillis);
        } else {
            leftSinceMillis.remove(m.name());
        }
    }

    boolean wasReaped(String name) {
        return reaped.containsKey(name);
    }

    /**
     * Whether {@code incoming}, news of a member the view does not hold, is stale news of one reaped
     * after it left; news that overrides the state it was reaped in makes it a member again.
     */
    boolean staleNewsOfReaped(Member incoming) {
        Member gone = reaped.get(incoming.name());
        if (gone == null) {
            return false;
        }
        if (!Precedence.overrides(incoming, gone)) {
            return true;
        }
        reaped.remove(incoming.name());
        return false;
    }

    /** How many dead members reconnect attempts may go to. */
    int reconnectTargets() {
        return deadSinceMillis.size();
    }

    /** The {@code index}th dead member, in the order they were learnt dead. */
    String reconnectTarget(int index) {
        return deadSinceMillis.keySet().stream().skip(index).findFirst().orElseThrow();
    }

    /** Reaps members that left long ago, and the longest-dead beyond the bound; at each reconnect tick. */
    void reapDue(String selfName, long nowMillis, Outbox out) {
        reapLeft(selfName, nowMillis, out);
        reapDeadOverBound(selfName, out);
    }

    /**
     * Forgets members that left more than {@code reap-left-after} ago (Serf's tombstone timeout), so
     * that a cluster that churns for months does not list every node it ever had. Dead members are
     * not reaped: they are whom reconnects go to.
     */
    private void reapLeft(String selfName, long nowMillis, Outbox out) {
        long reapBeforeMillis = nowMillis - settings.reapLeftAfter().toMillis();
        for (var it = leftSinceMillis.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() > reapBeforeMillis) {
                break; // in order of leaving: the rest left later
            }
            it.remove();
            reap(selfName, e.getKey(), out);
        }
    }

    /**
     * Dead members are kept so that partitions heal, but not without bound: nodes that come back under
     * new names (a rescheduled pod with a new address as its name) would pile up for ever. Past
     * {@link #deadMembersMax()} the longest-dead are reaped, and counted.
     */
    private void reapDeadOverBound(String selfName, Outbox out) {
        while (deadSinceMillis.size() > deadMembersMax()) {
            String oldest = deadSinceMillis.keySet().iterator().next();
            deadSinceMillis.remove(oldest);
            counters.deadReapedOverBound++;
            reap(selfName, oldest, out);
        }
    }

    /** Room for the other side of any partition of this cluster, and never less than 4096. */
    int deadMembersMax() {
        return Math.max(DEAD_MEMBERS_MIN, 2 * table.liveCount());
    }

    private void reap(String selfName, String name, Outbox out) {
        Member gone = table.remove(name);
        if (gone == null) {
            return;
        }
        reaped.put(gone.name(), gone);
        if (reaped.size() > REAPED_REMEMBERED_MAX) {
            reaped.remove(reaped.keySet().iterator().next());
        }
        out.publish(new MemberEvent(MemberEvent.Kind.REAPED, gone, gone, selfName));
        out.tell(Role.FAILURE_DETECTOR, new Signal.Reaped(gone.name()));
        out.tell(Role.GOSSIPER, new Signal.Reaped(gone.name()));
    }
}
