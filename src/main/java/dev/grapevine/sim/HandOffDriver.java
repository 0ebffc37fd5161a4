package dev.grapevine.sim;

import dev.grapevine.core.recovery.HandOffEffect;
import dev.grapevine.core.recovery.HandOffPlanner;
import dev.grapevine.core.recovery.RecoveryCoordinator;

import java.util.List;

/**
 * Hand-off and drop on a simulated node, decided by the production {@link HandOffPlanner} as the
 * runtime's recovery actor runs it: when the node's epoch is complete everywhere, each partition it
 * holds but no longer owns is exchanged with each of its owners, and dropped (the entries delivered,
 * not a version written since) only if the planner's safety rule holds when the last exchange ends.
 * Dropping is the one step that can lose data, so the simulator runs it.
 */
final class HandOffDriver {

    private final Simulation sim;
    private final ReplicaStore[] stores;
    private final ReplicaExchange exchange;
    private final RecoveryCoordinator[] coordinators;
    private final HandOffPlanner[] planners;
    long partitionsDropped;
    long entriesDropped;
    long partitionsKept;

    HandOffDriver(Simulation sim, ReplicaStore[] stores, ReplicaExchange exchange, RecoveryCoordinator[] coordinators) {
        this.sim = sim;
        this.stores = stores;
        this.exchange = exchange;
        this.coordinators = coordinators;
        this.planners = new HandOffPlanner[sim.size()];
        for (int i = 0; i < planners.length; i++) {
            reset(i);
        }
    }

    /** The epoch of node {@code i} is complete everywhere: plan its hand-offs afresh. */
    void onCompleteEverywhere(int i) {
        run(i, planners[i], planners[i].plan(HandOffPlanner.View.of(coordinators[i]), stores[i].held()));
    }

    /** Node {@code i} crashed or started: hand-offs under way died with its process. */
    void reset(int i) {
        planners[i] = new HandOffPlanner(sim.name(i), new HandOffPlanner.Settings(1));
    }

    private void run(int i, HandOffPlanner planner, List<HandOffEffect> effects) {
        for (HandOffEffect e : effects) {
            if (planners[i] != planner) {
                return; // the node restarted: what this planner asked for died with it
            }
            if (e instanceof HandOffEffect.ReadDigests r) {
                run(i, planner, planner.onDigests(r.partition(), stores[i].digests(r.partition())));
            } else if (e instanceof HandOffEffect.StartExchange x) {
                exchange.run(i, sim.indexOf(x.owner()), x.partition(), ok -> {
                    RecoveryCoordinator c = coordinators[i];
                    if (planners[i] == planner && c != null) {
                        run(i, planner, planner.onExchangeDone(x.partition(), x.owner(), ok, HandOffPlanner.View.of(c)));
                    }
                });
            } else if (e instanceof HandOffEffect.Drop d) {
                partitionsDropped++;
                entriesDropped += stores[i].drop(d.partition(), d.delivered());
            } else if (e instanceof HandOffEffect.Kept) {
                partitionsKept++;
            }
        }
    }
}
