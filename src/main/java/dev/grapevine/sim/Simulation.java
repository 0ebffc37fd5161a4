package dev.grapevine.sim;

import dev.grapevine.core.config.Settings;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.member.NameIndex;
import dev.grapevine.core.node.Effect;
import dev.grapevine.core.node.ForceLeave;
import dev.grapevine.core.node.Outbox;
import dev.grapevine.core.node.SwimNode;
import dev.grapevine.core.node.Timer;
import dev.grapevine.core.recovery.Progress;
import dev.grapevine.core.wire.ClusterName;
import dev.grapevine.core.wire.Message;
import dev.grapevine.core.wire.WireSize;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * A deterministic discrete-event simulation of N Grapevine nodes on one thread: the production
 * {@link SwimNode} class for each node, a simulated clock, and a {@link NetworkModel}. Everything
 * random derives from one seed, and events at the same millisecond run in the order they were
 * scheduled, so a seed replays a run exactly.
 *
 * <p>It checks one safety rule as it runs (no node ever believes an incarnation the member itself
 * has not issued) and offers the liveness check {@link #viewsConverged()} for after faults heal.
 */
public final class Simulation {
    private static final int MESSAGE = 0;
    private static final int TIMER = 1;
    private static final int ACTION = 2;
    /** A step of the data path (a replica message or a node's own timer) that runs on one life of a node. */
    private static final int DATA = 3;
    private static final int VIOLATIONS_MAX = 20;

    private static final class SimEvent implements Comparable<SimEvent> {
        final long timeMillis;
        final long seq;
        final int kind;
        final int node;
        final int life;
        final Object payload;
        final Address from;
        /** The sender's cluster id, for a message. */
        final long cluster;

        SimEvent(long timeMillis, long seq, int kind, int node, int life, Object payload, Address from) {
            this(timeMillis, seq, kind, node, life, payload, from, 0);
        }

        SimEvent(long timeMillis, long seq, int kind, int node, int life, Object payload, Address from, long cluster) {
            this.cluster = cluster;
            this.timeMillis = timeMillis;
            this.seq = seq;
            this.kind = kind;
            this.node = node;
            this.life = life;
            this.payload = payload;
            this.from = from;
        }

        @Override
        public int compareTo(SimEvent o) {
            int c = Long.compare(timeMillis, o.timeMillis);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final Settings settings;
    private final long seed;
    private final SplittableRandom random;
    private final NameIndex names = new NameIndex();
    private final SimNode[] nodes;
    private final Map<Address, Integer> byAddress = new HashMap<>();
    private final Map<String, Integer> byName = new HashMap<>();
    private final NetworkModel network;
    private final TimeOrderedQueue<SimEvent> events = new TimeOrderedQueue<>();
    private final Outbox outbox = new Outbox();
    private final List<SimObserver> observers = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private long nowMillis;
    private long nextSeq;
    private long messagesSent;
    private long bytesSent;
    private final TrafficCounter traffic = new TrafficCounter();
    private long eventsProcessed;
    private long[] incarnationIssued;
    /** Nodes of a cluster other than the default one, by index (see {@link #setCluster}). */
    private final Map<Integer, ClusterName> clusters = new HashMap<>();

    public Simulation(int nodeCount, Settings settings, long seed) {
        if (nodeCount < 1 || nodeCount > 1_000_000) {
            throw new IllegalArgumentException("nodes must be in 1..1000000, but was " + nodeCount);
        }
        this.settings = settings;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.network = new NetworkModel(nodeCount, random.split());
        this.nodes = new SimNode[nodeCount];
        this.incarnationIssued = new long[nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            String name = "node-" + i;
            // Addresses are routing keys only: nothing is ever sent on a real network.
            Address address = new Address("sim" + (i >> 15), 1 + (i & 0x7FFF));
            nodes[i] = new SimNode(i, name, address);
            byAddress.put(address, i);
            byName.put(name, i);
            names.idOf(name);
        }
    }

    // ---------------------------------------------------------------- set-up and faults

    /**
     * Puts node {@code i} in cluster {@code cluster} from its next start on: it reads no message of
     * any other (every node is in {@link ClusterName#DEFAULT} unless set).
     */
    public void setCluster(int i, ClusterName cluster) {
        clusters.put(i, cluster);
    }

    private ClusterName clusterOf(int i) {
        return clusters.getOrDefault(i, ClusterName.DEFAULT);
    }

    /** Starts every node with every other in its view, as a cluster that has already formed. */
    public void startConverged() {
        List<Member> all = new ArrayList<>(nodes.length);
        MemberTable view = new MemberTable(names);
        for (SimNode n : nodes) {
            n.epoch = 1;
            Member m = Member.alive(n.name, n.address, n.epoch, 0, Map.of());
            all.add(m);
            view.merge(m);
        }
        for (SimNode n : nodes) {
            n.core = new SwimNode(all.get(n.index), settings, clusterOf(n.index), random.split(), names);
            n.core.restoreView(view, nowMillis, outbox);
            n.core.start(nowMillis, outbox);
            perform(n);
        }
    }

    /** Starts (or restarts) node {@code i} with a new epoch, joining via {@code seeds}. */
    public void startNode(int i, Collection<Address> seeds) {
        SimNode n = nodes[i];
        if (n.isUp()) {
            throw new IllegalStateException(n.name + " is already up");
        }
        n.life++;
        n.epoch++;
        incarnationIssued[i] = 0;
        n.core = new SwimNode(Member.alive(n.name, n.address, n.epoch, 0, Map.of()), settings, clusterOf(i), random.split(),
                names);
        n.core.start(nowMillis, outbox);
        n.core.join(seeds, nowMillis, outbox);
        perform(n);
    }

    /**
     * Starts node {@code i} again at a new address (a rescheduled pod): its old address goes dead, and
     * its new epoch must supersede its old entry everywhere, whatever state that entry was in.
     */
    public void startNodeAt(int i, Address newAddress, Collection<Address> seeds) {
        SimNode n = nodes[i];
        if (byAddress.containsKey(newAddress)) {
            throw new IllegalArgumentException(newAddress + " is taken by " + nodes[byAddress.get(newAddress)].name);
        }
        byAddress.remove(n.address);
        n.address = newAddress;
        byAddress.put(newAddress, i);
        startNode(i, seeds);
    }

    /**
     * Delivers {@code message} to node {@code to} now, as if node {@code from} had sent it: a lying or
     * broken member's word (it crosses the network model like any message).
     */
    public void inject(int from, int to, Message message) {
        SimNode sender = nodes[from];
        for (long atMillis : network.arrivals(from, to, nowMillis)) {
            enqueue(new SimEvent(atMillis, nextSeq++, MESSAGE, to, 0, message, sender.address, clusterOf(from).id()));
        }
    }

    /** Stops node {@code i} without a word (kill -9): its timers and in-flight deliveries die with it. */
    public void crash(int i) {
        SimNode n = nodes[i];
        n.core = null;
        n.life++;
        n.everCrashed = true;
    }

    /** Freezes node {@code i} (SIGSTOP): messages and timers wait until it resumes, then run late. */
    public void pause(int i, long durationMillis) {
        nodes[i].pausedUntilMillis = Math.max(nodes[i].pausedUntilMillis, nowMillis + durationMillis);
        nodes[i].everPaused = true;
    }

    /**
     * Marks node {@code i} as faulty for the trackers, as a crash or a pause does: a scenario that
     * degrades it in another way (the network it hears through, say) calls this first.
     */
    public void markFaulty(int i) {
        nodes[i].everFaulty = true;
    }

    /** Node {@code i} leaves gracefully. */
    public void leave(int i) {
        SimNode n = nodes[i];
        n.core.leave(nowMillis, outbox);
        perform(n);
    }

    /** An operator removes {@code name} on node {@code i} ({@code grapevine force-leave}); returns its answer. */
    public ForceLeave forceLeave(int i, String name) {
        SimNode n = nodes[i];
        ForceLeave decision = n.core.forceLeave(name, nowMillis, outbox);
        perform(n);
        return decision;
    }

    public void emit(int i, String eventName, byte[] payload) {
        SimNode n = nodes[i];
        n.core.emit(eventName, payload, nowMillis, outbox);
        perform(n);
    }

    /** Node {@code i} gossips its recovery progress, as member {@code index} of {@code members} in its epoch. */
    public void publishProgress(int i, Progress progress, int index, int members) {
        SimNode n = nodes[i];
        n.core.publishProgress(progress, index, members, nowMillis, outbox);
        perform(n);
    }

    /** Node {@code i} advertises the recoverable domains it runs (see {@code DomainsTag}). */
    public void publishDomains(int i, java.util.Collection<String> domains) {
        SimNode n = nodes[i];
        n.core.publishDomains(domains, nowMillis, outbox);
        perform(n);
    }

    /** Runs {@code action} at simulated time {@code atMillis}. */
    public void at(long atMillis, Runnable action) {
        enqueue(new SimEvent(Math.max(atMillis, nowMillis), nextSeq++, ACTION, -1, 0, action, null));
    }

    /**
     * Delivers a data-path message from node {@code from} to node {@code to} across the network model
     * (loss, delay, partitions), running {@code onArrival} at the receiver. It is lost if the receiver
     * is down on arrival or restarted meanwhile (a connection to a dead process breaks), and waits
     * while the receiver is paused. Not counted in the membership traffic figures.
     */
    public void sendData(int from, int to, Runnable onArrival) {
        if (from == to) {
            enqueue(new SimEvent(nowMillis, nextSeq++, DATA, to, nodes[to].life, onArrival, null));
            return;
        }
        for (long atMillis : network.arrivals(from, to, nowMillis)) {
            enqueue(new SimEvent(atMillis, nextSeq++, DATA, to, nodes[to].life, onArrival, null));
        }
    }

    /** Runs {@code action} on node {@code i} after {@code delayMillis}, unless it crashed meanwhile; late while it is paused. */
    public void afterOn(int i, long delayMillis, Runnable action) {
        enqueue(new SimEvent(nowMillis + Math.max(0, delayMillis), nextSeq++, DATA, i, nodes[i].life, action, null));
    }

    /** Whether node {@code i} is up and not paused: it can take a client's request now. */
    public boolean isResponsive(int i) {
        return nodes[i].isUp() && nodes[i].pausedUntilMillis <= nowMillis;
    }

    public void addObserver(SimObserver observer) {
        observers.add(observer);
    }

    // ---------------------------------------------------------------- the loop

    /** Runs until {@code endMillis}. */
    public void runUntil(long endMillis) {
        runUntil(endMillis, () -> false, Long.MAX_VALUE, null);
    }

    /**
     * Runs until {@code endMillis} or until {@code done} holds, checked every {@code checkEveryMillis}
     * of simulated time (checks may be costly).
     *
     * @param progress called about every 10 simulated seconds, or null
     * @return true if {@code done} held
     */
    public boolean runUntil(long endMillis, BooleanSupplier done, long checkEveryMillis, LongConsumer progress) {
        long nextCheck = checkEveryMillis == Long.MAX_VALUE ? Long.MAX_VALUE : nowMillis;
        long nextProgress = nowMillis + 10_000;
        while (!events.isEmpty() && events.peekTime() <= endMillis) {
            SimEvent e = events.poll();
            nowMillis = e.timeMillis;
            if (nowMillis >= nextCheck) {
                if (done.getAsBoolean()) {
                    return true;
                }
                nextCheck = nowMillis + checkEveryMillis;
            }
            if (progress != null && nowMillis >= nextProgress) {
                progress.accept(nowMillis);
                nextProgress = nowMillis + 10_000;
            }
            dispatch(e);
        }
        nowMillis = Math.max(nowMillis, endMillis);
        return done.getAsBoolean();
    }

    private void enqueue(SimEvent e) {
        events.add(e.timeMillis, e);
    }

    private void dispatch(SimEvent e) {
        eventsProcessed++;
        if (e.kind == ACTION) {
            ((Runnable) e.payload).run();
            return;
        }
        SimNode n = nodes[e.node];
        if (!n.isUp() || ((e.kind == TIMER || e.kind == DATA) && e.life != n.life)) {
            return; // sent to a dead process, or a timer of an earlier life
        }
        if (n.pausedUntilMillis > nowMillis) {
            enqueue(new SimEvent(n.pausedUntilMillis, nextSeq++, e.kind, e.node, e.life, e.payload, e.from, e.cluster));
            return;
        }
        if (e.kind == DATA) {
            ((Runnable) e.payload).run();
            return;
        }
        if (e.kind == TIMER) {
            n.core.onTimer((Timer) e.payload, nowMillis, outbox);
        } else {
            n.core.onMessage(e.from, e.cluster, (Message) e.payload, nowMillis, outbox);
        }
        perform(n);
    }

    private void perform(SimNode n) {
        if (n.core != null) {
            incarnationIssued[n.index] = n.core.self().incarnation(); // a step may raise it and tell of itself at once
        }
        List<Effect> effects = outbox.effects();
        for (int k = 0; k < effects.size(); k++) {
            Effect effect = effects.get(k);
            if (effect instanceof Effect.Send s) {
                send(n, s.to(), s.message());
            } else if (effect instanceof Effect.Schedule s) {
                enqueue(new SimEvent(Math.max(s.atMillis(), nowMillis), nextSeq++, TIMER, n.index, n.life, s.timer(), null));
            } else if (effect instanceof Effect.Publish p) {
                checkIncarnation(n, p.event());
                for (SimObserver o : observers) {
                    o.onMemberEvent(n.index, p.event(), nowMillis);
                }
            } else if (effect instanceof Effect.Deliver d) {
                for (SimObserver o : observers) {
                    o.onUserEvent(n.index, d.event(), nowMillis);
                }
            } else if (effect instanceof Effect.ProgressHeard p) {
                for (SimObserver o : observers) {
                    o.onProgress(n.index, p.progress(), nowMillis);
                }
            }
        }
        outbox.clear();
        if (n.core != null) {
            incarnationIssued[n.index] = n.core.self().incarnation();
        }
    }

    private void send(SimNode from, Address to, Message message) {
        messagesSent++;
        int bytes = WireSize.of(message);
        bytesSent += bytes;
        traffic.count(message, bytes);
        Integer target = byAddress.get(to);
        if (target == null) {
            return;
        }
        for (int k = 0; k < observers.size(); k++) {
            observers.get(k).onSend(from.index, target, message, nowMillis);
        }
        for (long atMillis : network.arrivals(from.index, target, nowMillis)) {
            enqueue(new SimEvent(atMillis, nextSeq++, MESSAGE, target, 0, message, from.address, from.core.cluster().id()));
        }
    }

    /** Safety: only a member raises its own incarnation, so no view may be ahead of the member. */
    private void checkIncarnation(SimNode observer, MemberEvent event) {
        Member m = event.member();
        Integer owner = byName.get(m.name());
        if (owner == null) {
            return;
        }
        SimNode o = nodes[owner];
        boolean ahead = m.epoch() > o.epoch || (m.epoch() == o.epoch && m.incarnation() > incarnationIssued[owner]);
        if (ahead && violations.size() < VIOLATIONS_MAX) {
            violations.add("at " + nowMillis + " ms " + observer.name + " believes " + m
                    + " but the member is at epoch " + o.epoch + " incarnation " + incarnationIssued[owner]);
        }
    }

    // ---------------------------------------------------------------- checks and figures

    /**
     * Liveness: every running node lists every running node exactly as that node lists itself (same
     * epoch, incarnation, status alive), and every node that is down as dead or left.
     */
    public boolean viewsConverged() {
        int[] ids = new int[nodes.length]; // every node's view shares the name index: look names up once, not N times each
        for (int i = 0; i < nodes.length; i++) {
            ids[i] = names.find(nodes[i].name);
        }
        for (SimNode viewer : nodes) {
            if (!viewer.isUp()) {
                continue;
            }
            for (SimNode subject : nodes) {
                int id = ids[subject.index];
                Member seen = id < 0 ? null : viewer.core.member(id);
                if (subject.isUp()) {
                    Member truth = subject.core.self();
                    if (seen != truth && !truth.equals(seen)) {
                        return false;
                    }
                } else if (seen != null && seen.status().isLive()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** How many running nodes list {@code subject} with this status. */
    public int countViewing(int subject, MemberStatus status) {
        int count = 0;
        for (SimNode viewer : nodes) {
            if (viewer.isUp() && viewer.index != subject) {
                Member seen = viewer.core.member(nodes[subject].name);
                if (seen != null && seen.status() == status) {
                    count++;
                }
            }
        }
        return count;
    }

    public long nowMillis() {
        return nowMillis;
    }

    public int size() {
        return nodes.length;
    }

    public long seed() {
        return seed;
    }

    public Settings settings() {
        return settings;
    }

    public NetworkModel network() {
        return network;
    }

    /** The generator scenarios use for their own choices (which node crashes, when), split from the seed. */
    public SplittableRandom scenarioRandom() {
        return random.split();
    }

    public String name(int i) {
        return nodes[i].name;
    }

    public int indexOf(String name) {
        Integer i = byName.get(name);
        return i == null ? -1 : i;
    }

    public Address address(int i) {
        return nodes[i].address;
    }

    public boolean isUp(int i) {
        return nodes[i].isUp();
    }

    public boolean isHealthy(int i) {
        return nodes[i].isHealthy();
    }

    /** The protocol instance of node {@code i}, or null while it is down: for inspection only. */
    public SwimNode core(int i) {
        return nodes[i].core;
    }

    public long messagesSent() {
        return messagesSent;
    }

    public long bytesSent() {
        return bytesSent;
    }

    /** {@link TrafficCounter#perNodePerSecond}: this run's messages and rumor copies by type. */
    Map<String, Object> trafficPerNodePerSecond(double seconds) {
        return traffic.perNodePerSecond(seconds, nodes.length);
    }

    public long eventsProcessed() {
        return eventsProcessed;
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }
}
