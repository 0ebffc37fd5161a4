package dev.grapevine.sim;

import dev.grapevine.core.member.Member;
import dev.grapevine.core.recovery.MajorityGate;
import dev.grapevine.core.recovery.Ownership;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * Simulated clients of the key-value store and its coordinators, doing what the store does: a
 * client's request goes to a random responsive node, which coordinates it with the ownership its own
 * recovery coordinator computed. A write goes to the key's owners and is acknowledged at
 * {@code writeQuorum} acks; owners that did not ack within the request timeout get a hint, kept by the
 * coordinator (bounded) and replayed once the owner is alive in its view again. A read asks the
 * owners, answers with the newest of {@code readQuorum} replies, and writes the newest back to owners
 * that answered with an older version (read repair). Every message crosses the simulated network.
 *
 * <p>Writes are 90% puts and 10% deletes over a fixed set of keys. A key has at most one client write
 * in flight: clients of one key take turns, so two writes of a key overlap in time only through a
 * network split, never by chance (see {@link WriteLedger} for what counts as concurrent).
 */
final class QuorumClient {

    /** The data-path settings: the key-value store's defaults. */
    record Settings(int writeQuorum, int readQuorum, long requestTimeoutMillis, int hintsMax,
                    long hintReplayIntervalMillis, int hintReplayBatch, int keys) {
        static final Settings DEFAULT = new Settings(2, 2, 2_000, 100_000, 1_000, 256, 2_000);
    }

    private final Simulation sim;
    private final Settings settings;
    private final PartitionMode mode;
    private final IntFunction<Ownership> ownershipOf;
    /** Whether a node runs the store (only those coordinate requests). */
    private final IntPredicate serves;
    private final ReplicaStore[] stores;
    private final MajorityGate[] gates;
    private final long[] clock;
    private final SplittableRandom random;
    private final WriteLedger ledger = new WriteLedger();
    private final Map<Long, Request> requests = new LinkedHashMap<>();
    private final Set<String> keysInFlight = new HashSet<>();
    private final Set<String> keysWritten = new LinkedHashSet<>();
    /** Per node, the targets it is replaying hints to now. */
    private final List<Set<String>> replaying = new ArrayList<>();
    private final Set<String> left = new HashSet<>();
    private final Set<String> draining = new HashSet<>();
    private long nextId = 1;
    /** The network split in force (0: none), and each node's side of it. */
    private int split;
    private int[] sideOf;
    private boolean running;

    long writes;
    long writesRefused;
    long writesFailed;
    long reads;
    long readsFailed;
    long readRepairs;
    long hintsStored;
    long hintsReplayed;
    long hintsDropped;

    QuorumClient(Simulation sim, Settings settings, PartitionMode mode, IntFunction<Ownership> ownershipOf,
                 ReplicaStore[] stores, MajorityGate[] gates, IntPredicate serves) {
        this.serves = serves;
        this.sim = sim;
        this.settings = settings;
        this.mode = mode;
        this.ownershipOf = ownershipOf;
        this.stores = stores;
        this.gates = gates;
        this.clock = new long[sim.size()];
        this.random = sim.scenarioRandom();
        this.sideOf = new int[sim.size()];
        for (int i = 0; i < sim.size(); i++) {
            replaying.add(new HashSet<>());
        }
    }

    private abstract static class Request {
        final long id;
        final int coordinator;
        final String key;
        final int partition;
        final List<String> owners;
        boolean answered;

        Request(long id, int coordinator, String key, int partition, List<String> owners) {
            this.id = id;
            this.coordinator = coordinator;
            this.key = key;
            this.partition = partition;
            this.owners = owners;
        }
    }

    private static final class Write extends Request {
        final SimRecord record;
        /** The hint this request replays; null for a client's write. */
        final ReplicaStore.Hint hint;
        final Set<String> acked = new LinkedHashSet<>();

        Write(long id, int coordinator, String key, int partition, List<String> owners, SimRecord record, ReplicaStore.Hint hint) {
            super(id, coordinator, key, partition, owners);
            this.record = record;
            this.hint = hint;
        }
    }

    private static final class Read extends Request {
        final Map<String, SimRecord> replies = new TreeMap<>();
        /** Told the newest version once {@code readQuorum} answered, or null if they did not in time; may be null. */
        final Consumer<SimRecord[]> answer;

        Read(long id, int coordinator, String key, int partition, List<String> owners, Consumer<SimRecord[]> answer) {
            super(id, coordinator, key, partition, owners);
            this.answer = answer;
        }
    }

    // ---------------------------------------------------------------- the workload

    /** Starts a write and a read every {@code 1000 / writesPerSecond} ms until {@link #stop}, and the hint replays. */
    void start(long atMillis, double writesPerSecond) {
        running = true;
        long everyMicros = Math.max(1, Math.round(1_000_000 / writesPerSecond));
        long[] dueMicros = {atMillis * 1000};
        Runnable[] op = new Runnable[1];
        op[0] = () -> {
            if (!running) {
                return;
            }
            while (dueMicros[0] <= sim.nowMillis() * 1000) {
                clientWrite();
                clientRead();
                dueMicros[0] += everyMicros;
            }
            sim.at(Math.max(sim.nowMillis() + 1, dueMicros[0] / 1000), op[0]);
        };
        sim.at(atMillis, op[0]);
        Runnable[] replay = new Runnable[1];
        replay[0] = () -> {
            for (int i = 0; i < sim.size(); i++) {
                if (sim.isUp(i)) {
                    replayHints(i);
                }
            }
            sim.at(sim.nowMillis() + settings.hintReplayIntervalMillis(), replay[0]);
        };
        sim.at(atMillis, replay[0]);
    }

    void stop() {
        running = false;
    }

    /** A network split begins ({@code id > 0}, with each node's side) or heals ({@code 0}). */
    void onSplit(int id, int[] sides) {
        split = id;
        sideOf = sides == null ? new int[sim.size()] : sides.clone();
    }

    /** Node {@code i} crashed: the requests it coordinated die with it (the acknowledged ones stay so). */
    void onCrash(int i) {
        requests.values().removeIf(r -> {
            if (r.coordinator == i) {
                keysInFlight.remove(r.key);
                return true;
            }
            return false;
        });
        replaying.get(i).clear();
    }

    /**
     * {@code name} begins to leave: clients stop sending it requests, as a load balancer drains a node
     * being decommissioned, so the hints it holds are the ones it folds and hands off.
     */
    void onLeaving(String name) {
        draining.add(name);
    }

    /** {@code name} left the cluster: hints for it are dropped at the next replay. */
    void onLeft(String name) {
        left.add(name);
    }

    private int randomCoordinator() {
        for (int tries = 0; tries < 4 * sim.size(); tries++) {
            int i = random.nextInt(sim.size());
            if (sim.isResponsive(i) && serves.test(i) && !left.contains(sim.name(i)) && !draining.contains(sim.name(i))) {
                return i;
            }
        }
        return -1;
    }

    private void clientWrite() {
        String key = "k" + random.nextInt(settings.keys());
        boolean delete = random.nextInt(10) == 0;
        int i = randomCoordinator();
        if (i < 0 || keysInFlight.contains(key)) {
            return; // this client's turn on the key waits; the write is not made
        }
        writes++;
        Ownership ownership = ownershipOf.apply(i);
        if (ownership == null) {
            writesFailed++; // no epoch yet: the store refuses, as the real one does
            return;
        }
        if (mode == PartitionMode.MAJORITY && !gates[i].check(liveView(i)).admitted()) {
            writesRefused++;
            return;
        }
        int partition = Ownership.partitionOf(key, ownership.partitions());
        List<String> owners = ownership.owners(partition);
        if (owners.size() < settings.writeQuorum()) {
            writesFailed++;
            return;
        }
        long id = nextId++;
        SimRecord record = new SimRecord(tick(i), sim.name(i), delete, id);
        ledger.issue(id, key, record, sim.nowMillis(), split, sideOf[i]);
        keysWritten.add(key);
        keysInFlight.add(key);
        Write w = new Write(id, i, key, partition, owners, record, null);
        requests.put(id, w);
        for (String owner : owners) {
            sendWrite(i, owner, partition, key, record, id);
        }
        sim.afterOn(i, settings.requestTimeoutMillis(), () -> onWriteTimeout(id));
    }

    /** This node and the members it sees alive, as the store's majority rule counts them: a suspect is out of reach. */
    private List<String> liveView(int i) {
        List<String> live = new ArrayList<>();
        live.add(sim.name(i));
        for (Member m : sim.core(i).members()) {
            if (m.status() == dev.grapevine.core.member.MemberStatus.ALIVE && !m.name().equals(sim.name(i))) {
                live.add(m.name());
            }
        }
        return live;
    }

    private long tick(int i) {
        clock[i] = Math.max(sim.nowMillis() * 1024, clock[i] + 1);
        return clock[i];
    }

    private void observe(int i, SimRecord r) {
        if (r != null) {
            clock[i] = Math.max(clock[i], r.stamp());
        }
    }

    /** Sends a write to one owner, acknowledged to request {@code id} (0: no request waits for it). */
    private void sendWrite(int from, String owner, int partition, String key, SimRecord record, long id) {
        int o = sim.indexOf(owner);
        sim.sendData(from, o, () -> {
            observe(o, record);
            stores[o].apply(partition, key, record);
            ledger.stored(record.value());
            if (id != 0) {
                sim.sendData(o, from, () -> onAck(id, owner));
            }
        });
    }

    private void onAck(long id, String owner) {
        if (!(requests.get(id) instanceof Write w) || !w.owners.contains(owner) || !w.acked.add(owner)) {
            return;
        }
        if (!w.answered && w.acked.size() >= settings.writeQuorum()) {
            w.answered = true;
            if (w.hint == null) {
                ledger.acked(id, sim.nowMillis(), split, sideOf[w.coordinator]);
                keysInFlight.remove(w.key);
            }
        }
        if (w.acked.size() == w.owners.size()) {
            finish(w, true);
        }
    }

    private void onWriteTimeout(long id) {
        if (!(requests.get(id) instanceof Write w)) {
            return;
        }
        if (w.hint == null) {
            if (!w.answered) {
                writesFailed++;
            }
            for (String owner : w.owners) {
                if (!w.acked.contains(owner) && !owner.equals(sim.name(w.coordinator))) {
                    if (stores[w.coordinator].addHint(owner, w.partition, w.key, w.record)) {
                        hintsStored++;
                    } else {
                        hintsDropped++;
                    }
                }
            }
        }
        finish(w, false);
    }

    private void finish(Write w, boolean allAcked) {
        requests.remove(w.id);
        keysInFlight.remove(w.key);
        if (w.hint != null) {
            replaying.get(w.coordinator).remove(w.hint.target());
            if (allAcked) {
                stores[w.coordinator].hintDelivered(w.hint);
                hintsReplayed++;
            }
        }
    }

    // ---------------------------------------------------------------- hints

    /** One batch per target that is alive in this node's view and not being replayed to already. */
    private void replayHints(int i) {
        ReplicaStore store = stores[i];
        for (String target : store.hintTargets()) {
            if (left.contains(target)) {
                hintsDropped += store.dropHints(target);
                continue;
            }
            Member m = sim.core(i).member(target);
            if (m == null || !m.status().isLive() || !replaying.get(i).add(target)) {
                continue;
            }
            List<ReplicaStore.Hint> batch = store.hintsFor(target, settings.hintReplayBatch());
            List<Long> ids = new ArrayList<>();
            for (ReplicaStore.Hint h : batch) {
                long id = nextId++;
                ids.add(id);
                Write w = new Write(id, i, h.key(), h.partition(), List.of(target), h.record(), h);
                requests.put(id, w);
                sendWrite(i, target, h.partition(), h.key(), h.record(), id);
            }
            // One timer for the batch: what was not acknowledged by then stays a hint for the next round.
            sim.afterOn(i, settings.requestTimeoutMillis(), () -> {
                for (long id : ids) {
                    if (requests.get(id) instanceof Write w) {
                        finish(w, false);
                    }
                }
                replaying.get(i).remove(target);
            });
            if (batch.isEmpty()) {
                replaying.get(i).remove(target);
            }
        }
    }

    // ---------------------------------------------------------------- reads

    private void clientRead() {
        if (keysWritten.isEmpty()) {
            return;
        }
        String key = "k" + random.nextInt(settings.keys());
        int i = randomCoordinator();
        if (i >= 0 && keysWritten.contains(key)) {
            read(i, key, null);
        }
    }

    /**
     * A quorum read of {@code key} coordinated by node {@code i}; {@code answer} (if any) is told
     * {@code {newest}} once read-quorum owners replied, or null if they did not in time.
     */
    void read(int i, String key, Consumer<SimRecord[]> answer) {
        reads++;
        Ownership ownership = ownershipOf.apply(i);
        if (ownership == null) {
            readsFailed++;
            if (answer != null) {
                answer.accept(null);
            }
            return;
        }
        int partition = Ownership.partitionOf(key, ownership.partitions());
        List<String> owners = ownership.owners(partition);
        long id = nextId++;
        Read r = new Read(id, i, key, partition, owners, answer);
        requests.put(id, r);
        for (String owner : owners) {
            int o = sim.indexOf(owner);
            sim.sendData(i, o, () -> {
                SimRecord mine = stores[o].get(partition, key);
                sim.sendData(o, i, () -> onReply(id, owner, mine));
            });
        }
        sim.afterOn(i, settings.requestTimeoutMillis(), () -> {
            if (requests.get(id) instanceof Read q) {
                if (!q.answered) {
                    readsFailed++;
                    q.answered = true;
                    if (q.answer != null) {
                        q.answer.accept(null);
                    }
                }
                repairAndFinish(q);
            }
        });
    }

    private void onReply(long id, String owner, SimRecord record) {
        if (!(requests.get(id) instanceof Read r) || r.replies.containsKey(owner)) {
            return;
        }
        observe(r.coordinator, record);
        r.replies.put(owner, record);
        if (!r.answered && r.replies.size() >= Math.min(settings.readQuorum(), r.owners.size())) {
            r.answered = true;
            if (r.answer != null) {
                r.answer.accept(new SimRecord[] {newest(r)});
            }
        }
        if (r.replies.size() == r.owners.size()) {
            repairAndFinish(r);
        }
    }

    private static SimRecord newest(Read r) {
        SimRecord best = null;
        for (SimRecord v : r.replies.values()) {
            if (v != null && v.supersedes(best)) {
                best = v;
            }
        }
        return best;
    }

    /** Read repair: owners that answered with an older version, or none, get the newest. */
    private void repairAndFinish(Read r) {
        requests.remove(r.id);
        SimRecord best = newest(r);
        if (best == null) {
            return;
        }
        r.replies.forEach((owner, v) -> {
            if (v == null || best.supersedes(v)) {
                readRepairs++;
                sendWrite(r.coordinator, owner, r.partition, r.key, best, 0);
            }
        });
    }

    // ---------------------------------------------------------------- state for the checks

    WriteLedger ledger() {
        return ledger;
    }

    /** True when no request is in flight and no hint waits for a node that is up. */
    boolean quiet() {
        if (!requests.isEmpty()) {
            return false;
        }
        for (int i = 0; i < sim.size(); i++) {
            if (!sim.isUp(i)) {
                continue;
            }
            for (String target : stores[i].hintTargets()) {
                int t = sim.indexOf(target);
                if (t >= 0 && sim.isUp(t) && !left.contains(target)) {
                    return false;
                }
            }
        }
        return true;
    }
}
