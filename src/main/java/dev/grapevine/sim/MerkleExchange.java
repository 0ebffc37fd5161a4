package dev.grapevine.sim;

import dev.grapevine.core.repair.MerkleSession;
import dev.grapevine.core.repair.MerkleTree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A Merkle exchange between two simulated replicas, driven by the production {@link MerkleSession}:
 * the initiator asks the peer for the hashes of its tree (built when the first request arrives) level
 * by level, at most {@value #NODES_PER_REQUEST} nodes a request, until it knows the differing leaves;
 * then it sends its entries of those leaves, and the peer applies them and answers with its own. Every
 * message crosses the simulated network; a step whose answer does not come within
 * {@value #STEP_TIMEOUT_MILLIS} ms fails the exchange (recovery retries it).
 */
final class MerkleExchange implements ReplicaExchange {
    static final int NODES_PER_REQUEST = 512;
    static final long STEP_TIMEOUT_MILLIS = 5_000;
    /** Depth cap: enough leaves for the simulated key counts, and cheap trees. */
    static final int DEPTH_MAX = 10;

    private final Simulation sim;
    private final ReplicaStore[] stores;
    private long entriesSent;
    private long bytesSent;
    private long bytesThatChanged;

    MerkleExchange(Simulation sim, ReplicaStore[] stores) {
        this.sim = sim;
        this.stores = stores;
    }

    private final class Session {
        final int initiator;
        final int peer;
        final int partition;
        final Consumer<Boolean> done;
        final MerkleSession merkle;
        final int depth;
        /** The peer's tree, built when the first request reaches it. */
        MerkleTree remote;
        long remoteEntries;
        int step;
        boolean over;

        Session(int initiator, int peer, int partition, Consumer<Boolean> done) {
            this.initiator = initiator;
            this.peer = peer;
            this.partition = partition;
            this.done = done;
            Map<String, Long> mine = stores[initiator].digests(partition);
            this.depth = Math.min(DEPTH_MAX, MerkleTree.depthFor(Math.max(1, mine.size())));
            this.merkle = new MerkleSession(MerkleTree.build(mine, depth), mine.size());
        }

        void end(boolean ok) {
            if (!over) {
                over = true;
                done.accept(ok);
            }
        }

        /** Arms the timeout of the step just sent. */
        void expect() {
            int mine = ++step;
            sim.afterOn(initiator, STEP_TIMEOUT_MILLIS, () -> {
                if (step == mine) {
                    end(false);
                }
            });
        }
    }

    @Override
    public void run(int initiator, int peer, int partition, Consumer<Boolean> done) {
        if (peer < 0 || !sim.isUp(peer)) {
            sim.afterOn(initiator, STEP_TIMEOUT_MILLIS, () -> done.accept(false)); // no answer, as from a dead peer
            return;
        }
        askHashes(new Session(initiator, peer, partition, done));
    }

    private void askHashes(Session s) {
        int[] ask = s.merkle.nextRequest(NODES_PER_REQUEST);
        if (ask.length == 0) {
            descended(s);
            return;
        }
        s.expect();
        int step = s.step;
        sim.sendData(s.initiator, s.peer, () -> {
            if (s.remote == null) {
                Map<String, Long> theirs = stores[s.peer].digests(s.partition);
                s.remote = MerkleTree.build(theirs, s.depth);
                s.remoteEntries = theirs.size();
            }
            long[] hashes = new long[ask.length];
            for (int k = 0; k < ask.length; k++) {
                hashes[k] = s.remote.hashAt(ask[k]);
            }
            long entries = s.remoteEntries;
            sim.sendData(s.peer, s.initiator, () -> {
                if (s.over || s.step != step) {
                    return;
                }
                s.merkle.onHashes(ask, hashes, entries);
                askHashes(s);
            });
        });
    }

    private void descended(Session s) {
        if (s.merkle.inSync()) {
            s.end(true);
            return;
        }
        boolean everything = s.merkle.everything();
        List<Integer> leaves = s.merkle.differingLeaves();
        List<Map.Entry<String, SimRecord>> mine = entriesIn(s.initiator, s.partition, everything, leaves, s.depth);
        s.expect();
        int step = s.step;
        sim.sendData(s.initiator, s.peer, () -> {
            applyAll(s.peer, s.partition, mine);
            List<Map.Entry<String, SimRecord>> theirs = entriesIn(s.peer, s.partition, everything, leaves, s.depth);
            count(theirs);
            sim.sendData(s.peer, s.initiator, () -> {
                if (s.over || s.step != step) {
                    return;
                }
                applyAll(s.initiator, s.partition, theirs);
                s.end(true);
            });
        });
        count(mine);
    }

    private List<Map.Entry<String, SimRecord>> entriesIn(int node, int partition, boolean everything, List<Integer> leaves,
                                                         int depth) {
        SortedMap<String, SimRecord> all = new TreeMap<>(stores[node].entries(partition));
        List<Map.Entry<String, SimRecord>> out = new ArrayList<>();
        java.util.Set<Integer> wanted = new java.util.HashSet<>(leaves);
        all.forEach((k, r) -> {
            if (everything || wanted.contains(MerkleTree.leafOf(k, depth))) {
                out.add(Map.entry(k, r));
            }
        });
        return out;
    }

    private void count(List<Map.Entry<String, SimRecord>> entries) {
        for (Map.Entry<String, SimRecord> e : entries) {
            entriesSent++;
            bytesSent += e.getKey().length() + e.getValue().sizeBytes();
        }
    }

    private void applyAll(int node, int partition, List<Map.Entry<String, SimRecord>> entries) {
        for (Map.Entry<String, SimRecord> e : entries) {
            if (stores[node].apply(partition, e.getKey(), e.getValue())) {
                bytesThatChanged += e.getKey().length() + e.getValue().sizeBytes();
            }
        }
    }

    @Override
    public long entriesSent() {
        return entriesSent;
    }

    @Override
    public long bytesSent() {
        return bytesSent;
    }

    @Override
    public long bytesThatChanged() {
        return bytesThatChanged;
    }
}
