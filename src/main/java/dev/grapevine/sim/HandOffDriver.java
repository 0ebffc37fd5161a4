package dev.grapevine.sim;

import dev.grapevine.core.recovery.RecoveryCoordinator;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-off and drop on a simulated node, as the runtime's recovery actor does them: once an epoch is
 * complete everywhere, each partition the node holds but no longer owns ({@link RecoveryCoordinator#handOffs})
 * is exchanged with each of its owners, one partition at a time; if every exchange succeeded and the
 * epoch is still the same, still complete everywhere, and the partition still not owned here, the
 * entries delivered are dropped (a version written since stays). Dropping is the one step that can
 * lose data, so the simulator runs it.
 */
final class HandOffDriver {

    private final Simulation sim;
    private final ReplicaStore[] stores;
    private final ReplicaExchange exchange;
    private final RecoveryCoordinator[] coordinators;
    private final State[] states;
    long partitionsDropped;
    long entriesDropped;

    private static final class State {
        final ArrayDeque<Map.Entry<Integer, List<String>>> queue = new ArrayDeque<>();
        boolean busy;
    }

    HandOffDriver(Simulation sim, ReplicaStore[] stores, ReplicaExchange exchange, RecoveryCoordinator[] coordinators) {
        this.sim = sim;
        this.stores = stores;
        this.exchange = exchange;
        this.coordinators = coordinators;
        this.states = new State[sim.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = new State();
        }
    }

    /** The epoch of node {@code i} is complete everywhere: plan its hand-offs afresh. */
    void onCompleteEverywhere(int i) {
        State s = states[i];
        s.queue.clear();
        s.queue.addAll(coordinators[i].handOffs(stores[i].held()).entrySet());
        if (!s.busy) {
            next(i);
        }
    }

    /** Node {@code i} crashed or started: a hand-off under way died with its process. */
    void reset(int i) {
        states[i] = new State();
    }

    private void next(int i) {
        State s = states[i];
        RecoveryCoordinator c = coordinators[i];
        Map.Entry<Integer, List<String>> e = s.queue.pollFirst();
        if (e == null || c == null || c.epoch() == null) {
            s.busy = false;
            return;
        }
        s.busy = true;
        int partition = e.getKey();
        List<String> owners = e.getValue();
        String epoch = c.epoch();
        Map<String, Long> delivered = stores[i].digests(partition);
        int[] remaining = {owners.size()};
        boolean[] failed = {false};
        Runnable finish = () -> {
            if (states[i] != s) {
                return; // the node restarted meanwhile
            }
            boolean stillSafe = coordinators[i] == c && epoch.equals(c.epoch()) && c.completeEverywhere()
                    && c.handOffs(Set.of(partition)).containsKey(partition);
            if (!failed[0] && stillSafe) {
                partitionsDropped++;
                entriesDropped += stores[i].drop(partition, delivered);
            }
            next(i);
        };
        if (owners.isEmpty()) {
            finish.run();
            return;
        }
        for (String owner : owners) {
            exchange.run(i, sim.indexOf(owner), partition, ok -> {
                failed[0] |= !ok;
                if (--remaining[0] == 0) {
                    finish.run();
                }
            });
        }
    }
}
