package dev.grapevine.sim;

import dev.grapevine.core.recovery.HandOffEffect;
import dev.grapevine.core.recovery.HandOffPlanner;
import dev.grapevine.core.recovery.RecoveryCoordinator;

import java.util.List;
import java.util.function.Consumer;

/**
 * Hand-off and drop on a simulated node, decided by the production {@link HandOffPlanner} as the
 * runtime's recovery actor runs it: when the node's epoch is complete everywhere, each partition it
 * holds but no longer owns is exchanged with each of its owners, and dropped (the entries delivered,
 * not a version written since) only if the planner's safety rule holds when the last exchange ends.
 * Dropping is the one step that can lose data, so the simulator runs it.
 *
 * <p>A leaving node decommissions by the same planner ({@link HandOffPlanner#decommission}), stepped
 * on every tick against the others' view without it ({@link RecoveryCoordinator#leavingView()}): its
 * hints fold into its partitions, and everything it holds is handed to the owners that stay.
 */
final class HandOffDriver {

    private final Simulation sim;
    private final ReplicaStore[] stores;
    private final ReplicaExchange exchange;
    private final RecoveryCoordinator[] coordinators;
    private final HandOffPlanner[] planners;
    /** Per node, what to run once its decommission is done; null unless it is leaving. */
    private final Consumer<Boolean>[] decommissioned;
    long hintsFolded;
    long partitionsDropped;
    long entriesDropped;
    long partitionsKept;

    HandOffDriver(Simulation sim, ReplicaStore[] stores, ReplicaExchange exchange, RecoveryCoordinator[] coordinators) {
        this.sim = sim;
        this.stores = stores;
        this.exchange = exchange;
        this.coordinators = coordinators;
        this.planners = new HandOffPlanner[sim.size()];
        this.decommissioned = newArray(sim.size());
        for (int i = 0; i < planners.length; i++) {
            reset(i);
        }
    }

    /** The epoch of node {@code i} is complete everywhere: plan its hand-offs afresh. */
    void onCompleteEverywhere(int i) {
        if (decommissioned[i] != null) {
            return; // leaving: its decommission steps plan against the others' view instead
        }
        run(i, planners[i], planners[i].plan(HandOffPlanner.View.of(coordinators[i]), stores[i].held()));
    }

    /**
     * Node {@code i} begins to leave (it stopped advertising the domain): from now on {@link #step}
     * decommissions it, and {@code done} is told, once the planner says it may go, whether it handed its data off
     * (false: it saw no other live runner to hand to).
     */
    @SuppressWarnings("unchecked")
    private static Consumer<Boolean>[] newArray(int n) {
        return new Consumer[n];
    }

    void startDecommission(int i, Consumer<Boolean> done) {
        planners[i] = new HandOffPlanner(sim.name(i), new HandOffPlanner.Settings(1)); // what was planned as an owner ends here
        decommissioned[i] = done;
    }

    /** One decommission step of leaving node {@code i}, as the runtime's recovery actor takes one a tick. */
    void step(int i) {
        RecoveryCoordinator c = coordinators[i];
        if (decommissioned[i] == null || c == null || planners[i].decommissioned()) {
            return;
        }
        run(i, planners[i], planners[i].decommission(c.leavingView(), stores[i].held()));
    }

    private HandOffPlanner.View viewOf(int i, RecoveryCoordinator c) {
        return decommissioned[i] != null ? c.leavingView() : HandOffPlanner.View.of(c);
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
                        run(i, planner, planner.onExchangeDone(x.partition(), x.owner(), ok, viewOf(i, c)));
                    }
                });
            } else if (e instanceof HandOffEffect.Drop d) {
                partitionsDropped++;
                entriesDropped += stores[i].drop(d.partition(), d.delivered());
            } else if (e instanceof HandOffEffect.Kept) {
                partitionsKept++;
            } else if (e instanceof HandOffEffect.Fold) {
                int moved = stores[i].foldHints();
                hintsFolded += moved;
                run(i, planner, planner.onFolded(moved));
            } else if (e instanceof HandOffEffect.Decommissioned d && decommissioned[i] != null) {
                decommissioned[i].accept(d.handedOff());
            }
        }
    }
}
