package dev.grapevine.core.node;

import dev.grapevine.core.config.Settings;
import dev.grapevine.core.gossip.BroadcastQueue;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.member.NameIndex;
import dev.grapevine.core.wire.Message;
import dev.grapevine.core.wire.WireSize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * How news leaves a node: a transmit-limited queue of rumors (Demers et al. 1987, rumor mongering
 * with a counter), sent to {@code fanout} random members each gossip period while there is something
 * to tell, and piggybacked on every ping and ack the failure detector sends (as memberlist does on
 * every UDP packet). Members dead for less than {@code gossip-to-the-dead} still get gossip, so they
 * can learn of their death and refute it.
 *
 * <p>It works on a replica of the view, kept current by {@link Signal.ViewChanged}; rumors it
 * receives go to membership unread.
 */
public final class Gossiper {
    /** Bytes of a gossip message's own framing, kept free of rumors (version, type, count). */
    private static final int GOSSIP_FRAMING_BYTES = 8;

    private final Settings settings;
    private final RandomGenerator rng;
    private final String selfName;
    private final MemberTable view;
    private final Counters counters;
    private final BroadcastQueue queue;
    /** Members the view holds as dead (not left), and since when: gossip-to-the-dead targets. */
    private final Map<String, Long> deadSinceMillis = new HashMap<>();
    private long phaseMillis;
    private boolean tickPending;
    /** News was queued in this step: send it now rather than at the next tick ({@link #flushNews}). */
    private boolean newsPending;
    private long lastNewsRoundMillis = Long.MIN_VALUE / 2;
    /**
     * Who sent each rumor heard lately that is not (yet) queued here: membership queues what it accepts
     * a step later, and its senders need not be sent it again. Insertion-ordered, the oldest forgotten.
     */
    private final Map<Rumor, Set<Object>> heardFrom = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Rumor, Set<Object>> eldest) {
            return size() > HEARD_FROM_MAX;
        }
    };
    /** Rumors whose senders are remembered until queued; about one burst of news in a large cluster. */
    static final int HEARD_FROM_MAX = 1024;

    public Gossiper(Member self, Settings settings, RandomGenerator rng, NameIndex names, Counters counters) {
        this.settings = settings;
        this.rng = rng;
        this.selfName = self.name();
        this.view = new MemberTable(names);
        this.counters = counters;
        this.queue = new BroadcastQueue(settings.broadcastQueueMax(), settings.gossipCopiesMax());
        view.merge(self);
    }

    /** Takes the view membership restored (a snapshot, or a simulator's converged start). */
    public void restoreView(MemberTable restored, long nowMillis) {
        view.copyFrom(restored);
        for (int id = 0, n = view.idBound(); id < n; id++) {
            Member m = view.get(id);
            if (m != null && m.status() == MemberStatus.DEAD) {
                deadSinceMillis.put(m.name(), nowMillis);
            }
        }
    }

    public void start(long nowMillis) {
        phaseMillis = nowMillis + rng.nextLong(settings.gossipIntervalMillis());
    }

    public void onSignal(Signal signal, long nowMillis, Outbox out) {
        if (signal instanceof Signal.Broadcast b) {
            Member origin = sentToAllByOrigin(b.rumor());
            if (origin != null) {
                // It came from its origin, which therefore holds it: the ticks need not send it back.
                heardFrom.computeIfAbsent(b.rumor(), k -> new HashSet<>(4)).add(origin.address());
            }
            enqueue(b.rumor(), origin == null, nowMillis, out);
        } else if (signal instanceof Signal.Announce a) {
            enqueue(a.rumor(), false, nowMillis, out);
        } else if (signal instanceof Signal.ViewChanged changed) {
            Member m = changed.member();
            if (view.merge(m)) {
                if (m.status() == MemberStatus.DEAD) {
                    deadSinceMillis.put(m.name(), nowMillis);
                } else {
                    deadSinceMillis.remove(m.name());
                }
            }
        } else if (signal instanceof Signal.Reaped reaped) {
            view.remove(reaped.name());
            deadSinceMillis.remove(reaped.name());
        } else if (signal instanceof Signal.Outbound outbound) {
            out.send(outbound.to(), withPiggyback(outbound.to(), outbound.message()));
        } else {
            throw new IllegalArgumentException("the gossiper does not take " + signal);
        }
    }

    /** Queues a rumor; {@code eager}: news worth a round at once ({@link #flushNews}), not at the next tick. */
    private void enqueue(Rumor rumor, boolean eager, long nowMillis, Outbox out) {
        Set<Object> holders = heardFrom.remove(rumor);
        int sizeBytes = WireSize.of(rumor);
        if (sizeBytes > settings.gossipBytesMax() - GOSSIP_FRAMING_BYTES) {
            // No message could carry it, and queued it would keep the ticks going for nothing. Push-pull
            // carries what it tells: the progress of an epoch of many thousands of members.
            counters.rumorsTooLarge++;
            return;
        }
        queue.enqueue(rumor, sizeBytes, holders);
        // Eager even when everyone holds this one: the news may be a first peer, for what waited for one.
        newsPending |= eager;
        if (holders != null && heldByAllLive(holders)) {
            queue.retire(rumor.subject());
            counters.broadcastsRetiredEarly++;
        }
        ensureTick(nowMillis, out);
    }

    /**
     * The origin of this user event if it sent it to every member itself ({@link Membership#emit}), else
     * null. Then everyone has it or soon will, and forwarding it at once would only put duplicates on
     * the wire, and on the CPU of every member, in the very moment they all receive it. The ticks
     * still gossip it, for a member the origin did not know of or whose direct copy was lost.
     */
    private Member sentToAllByOrigin(Rumor rumor) {
        if (!(rumor instanceof Rumor.EventRumor e)) {
            return null;
        }
        Member origin = view.get(e.event().origin());
        // This node's own event comes here only when it was not sent to all (Membership#emit announces it otherwise).
        boolean direct = origin != null && !origin.name().equals(selfName) && origin.status().isLive()
                && view.liveCount() - 1 <= settings.userEventDirectMax();
        return direct ? origin : null;
    }

    /**
     * A peer's gossip: its rumors go to membership, and the peer is known to hold each of them, so
     * this node does not send them back to it. A queued rumor that every live member has sent here is
     * retired before its transmit limit.
     */
    public void onMessage(Address from, Message message, Outbox out) {
        if (!(message instanceof Message.Gossip gossip)) {
            throw new IllegalArgumentException("the gossiper does not take " + message.getClass().getSimpleName());
        }
        List<Rumor> rumors = Claims.admissible(view, from, selfName, gossip.rumors(), counters);
        if (rumors.isEmpty()) {
            return;
        }
        for (Rumor r : rumors) {
            Set<Object> holders = queue.heldBy(r, from);
            if (holders == null) {
                heardFrom.computeIfAbsent(r, k -> new HashSet<>(4)).add(from);
            } else if (heldByAllLive(holders)) {
                queue.retire(r.subject());
                counters.broadcastsRetiredEarly++;
            }
        }
        out.tell(Role.MEMBERSHIP, new Signal.Heard(rumors));
    }

    /** Whether every live member but this one is among {@code holders} (addresses). */
    private boolean heldByAllLive(Set<Object> holders) {
        if (holders.size() < view.liveCount() - 1) {
            return false;
        }
        for (int id = 0, n = view.idBound(); id < n; id++) {
            Member m = view.get(id);
            if (m != null && m.status().isLive() && !m.name().equals(selfName) && !holders.contains(m.address())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Gossip ticks run only while broadcasts wait: an idle node sends nothing and wakes for nothing.
     * Ticks stay on this node's phase, so this is the same schedule as a ticker that skips idle periods.
     */
    private void ensureTick(long nowMillis, Outbox out) {
        if (tickPending) {
            return;
        }
        long interval = settings.gossipIntervalMillis();
        long periods = Math.floorDiv(nowMillis - phaseMillis, interval) + 1;
        out.schedule(Timer.GOSSIP_TICK, phaseMillis + periods * interval);
        tickPending = true;
    }

    public void onTimer(Timer timer, long nowMillis, Outbox out) {
        if (timer.kind() != Timer.Kind.GOSSIP_TICK) {
            throw new IllegalArgumentException("the gossiper has no timer " + timer);
        }
        tickPending = false;
        newsPending = false;   // this round carries it
        round(nowMillis, out);
    }

    /** Whether this step queued news that {@link #flushNews} would send. */
    public boolean hasNews() {
        return newsPending;
    }

    /**
     * Called once a step has settled: if it queued news, one gossip round now instead of at the next
     * tick, so a rumor crosses the cluster at network speed (about log N hops) rather than one tick
     * per hop (0 to 200 ms each at the LAN interval). Whatever membership broadcasts counts: changes
     * it accepted, and the rarer repeats it sends to correct a stale accusation or to pass on a new
     * Lifeguard confirmation. The transmit limit still bounds each rumor's sends, and the ticks carry
     * the retransmits. At most one such round per gossip interval: a burst of news costs at most twice
     * the tick rate of messages. A round with no one to send to (a node that has just started) does
     * not use up the interval's round. Returns whether it sent anything (the sends are in
     * {@code out}); either way the news is no longer pending.
     */
    public boolean flushNews(long nowMillis, Outbox out) {
        if (!newsPending) {
            return false;
        }
        newsPending = false;
        if (nowMillis - lastNewsRoundMillis < settings.gossipIntervalMillis()) {
            return false;
        }
        if (round(nowMillis, out) == 0) {
            return false;
        }
        lastNewsRoundMillis = nowMillis;
        return true;
    }

    /** Sends the least-sent rumors to {@code fanout} random targets; returns the messages sent. */
    private int round(long nowMillis, Outbox out) {
        if (queue.isEmpty()) {
            return 0;
        }
        int sent = 0;
        // Members known to hold all there is are not picked: the round's messages go where they tell something.
        List<Member> targets = MemberSampler.pick(view, settings.gossipFanout(),
                m -> isTarget(m, nowMillis) && queue.hasNewsFor(m.address()), rng);
        int budget = settings.gossipBytesMax() - GOSSIP_FRAMING_BYTES;
        int limit = settings.retransmitLimit(view.liveCount());
        for (Member target : targets) {
            List<Rumor> rumors = new ArrayList<>();
            queue.take(budget, limit, rumors, target.address(), this::heldByAllLive);
            if (rumors.isEmpty()) {
                continue; // it holds all there is; the next target may not
            }
            out.send(target.address(), new Message.Gossip(rumors));
            counters.gossipMessages++;
            sent++;
        }
        if (!targets.isEmpty() && !queue.isEmpty()) {
            ensureTick(nowMillis, out); // with no one to tell, wait until news of someone arrives
        }
        return sent;
    }

    private boolean isTarget(Member m, long nowMillis) {
        if (m.name().equals(selfName)) {
            return false;
        }
        if (m.status().isLive()) {
            return true;
        }
        Long since = m.status() == MemberStatus.DEAD ? deadSinceMillis.get(m.name()) : null;
        return since != null && nowMillis - since < settings.gossipToTheDead().toMillis();
    }

    /** Fills a ping or ack up to the piggyback budget with the least-sent rumors. */
    private Message withPiggyback(Address to, Message message) {
        if (queue.isEmpty()) {
            return message;
        }
        int limit = settings.retransmitLimit(view.liveCount());
        if (message instanceof Message.Ping ping) {
            List<Rumor> rumors = new ArrayList<>(ping.piggyback());
            queue.take(settings.piggybackBytesMax() - rumorBytes(rumors), limit, rumors, to, this::heldByAllLive);
            return new Message.Ping(ping.seq(), ping.target(), rumors);
        }
        if (message instanceof Message.Ack ack) {
            List<Rumor> rumors = new ArrayList<>(ack.piggyback());
            queue.take(settings.piggybackBytesMax() - rumorBytes(rumors), limit, rumors, to, this::heldByAllLive);
            return new Message.Ack(ack.seq(), rumors);
        }
        return message;
    }

    private static int rumorBytes(List<Rumor> rumors) {
        int bytes = 0;
        for (Rumor r : rumors) {
            bytes += WireSize.of(r);
        }
        return bytes;
    }

    public int queued() {
        return queue.size();
    }

    /** This component's gauges by name (its counters are in the {@link Counters} it was given). */
    public Map<String, Long> gauges() {
        return Map.of("broadcasts_queued", (long) queue.size(), "broadcasts_dropped", queue.dropped());
    }

    public long dropped() {
        return queue.dropped();
    }

    /** Times the queued rumor about {@code subject} went out, -1 if none is queued (sent out fully, or never). */
    public int transmits(Object subject) {
        return queue.transmits(subject);
    }
}
