package dev.grapevine.sim;

import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.node.DomainsTag;
import dev.grapevine.core.recovery.EpochProgress;
import dev.grapevine.core.recovery.RecoveryAction;
import dev.grapevine.core.recovery.RecoveryCoordinator;
import dev.grapevine.core.recovery.SyncTask;

import java.util.List;

/**
 * Every node runs the production {@link RecoveryCoordinator} (one domain, no data: an exchange
 * succeeds after a round trip if both ends are up and hear each other), fed its node's member
 * events and progress and ticked every {@value #TICK_MILLIS} ms, and this counts the epochs each node
 * starts from a given moment on: how much re-partitioning a fault causes. A crashed node's
 * coordinator dies with it.
 */
final class RecoveryEpochCounter implements SimObserver {
    static final String DOMAIN = "kv";
    static final long TICK_MILLIS = 200;
    /** The runtime's defaults (reference.conf, grapevine.recovery: settle-max 10 s), with progress told every 500 ms. */
    static final RecoveryCoordinator.Settings SETTINGS =
            new RecoveryCoordinator.Settings(64, 3, 2_000, 4, 10, 2_000, 600_000, 500, 10_000);

    private final Simulation sim;
    private final RecoveryCoordinator[] coordinators;
    private final int[] epochsStarted;
    private long countFromMillis = Long.MAX_VALUE;

    RecoveryEpochCounter(Simulation sim) {
        this.sim = sim;
        this.coordinators = new RecoveryCoordinator[sim.size()];
        this.epochsStarted = new int[sim.size()];
    }

    /** After {@link Simulation#startConverged()}: every node advertises the domain and starts its coordinator; ticks begin. */
    void start() {
        for (int i = 0; i < sim.size(); i++) {
            sim.publishDomains(i, List.of(DOMAIN));
        }
        for (int i = 0; i < sim.size(); i++) {
            RecoveryCoordinator c = new RecoveryCoordinator(sim.name(i), DOMAIN, SETTINGS, null);
            for (var m : sim.core(i).members()) {
                c.onMember(m.name(), m.epoch(), m.status(), DomainsTag.parse(m.tags()), sim.nowMillis());
            }
            coordinators[i] = c;
        }
        sim.at(sim.nowMillis(), this::tick);
    }

    /** Counts only the epochs started at or after {@code millis}. */
    void countFrom(long millis) {
        countFromMillis = millis;
    }

    /** Epochs node {@code i} started since the count began. */
    int epochsStarted(int i) {
        return epochsStarted[i];
    }

    @Override
    public void onMemberEvent(int node, MemberEvent event, long nowMillis) {
        RecoveryCoordinator c = coordinators[node];
        if (c != null) {
            var m = event.member();
            var status = event.kind() == MemberEvent.Kind.REAPED ? dev.grapevine.core.member.MemberStatus.DEAD : m.status();
            c.onMember(m.name(), m.epoch(), status, DomainsTag.parse(m.tags()), nowMillis);
        }
    }

    @Override
    public void onProgress(int node, EpochProgress progress, long nowMillis) {
        if (coordinators[node] != null) {
            coordinators[node].onProgress(progress);
        }
    }

    private void tick() {
        for (int i = 0; i < sim.size(); i++) {
            if (coordinators[i] != null && !sim.isUp(i)) {
                coordinators[i] = null; // crashed: its coordinator is gone with the process
            }
            if (coordinators[i] != null && sim.isResponsive(i)) {
                perform(i, coordinators[i].onTick(sim.nowMillis()));
            }
        }
        sim.at(sim.nowMillis() + TICK_MILLIS, this::tick);
    }

    private void perform(int i, List<RecoveryAction> actions) {
        for (RecoveryAction a : actions) {
            if (a instanceof RecoveryAction.PublishProgress p) {
                sim.publishProgress(i, p.progress(), p.index(), p.members());
            } else if (a instanceof RecoveryAction.EpochStarted) {
                if (sim.nowMillis() >= countFromMillis) {
                    epochsStarted[i]++;
                }
            } else if (a instanceof RecoveryAction.StartSync s) {
                startSync(i, s.task());
            }
        }
    }

    private void startSync(int i, SyncTask t) {
        RecoveryCoordinator c = coordinators[i];
        int peer = sim.indexOf(t.peer());
        long roundTripMillis = 2 * sim.network().latencyMillis() + 2;
        sim.at(sim.nowMillis() + roundTripMillis, () -> {
            if (coordinators[i] != c || !sim.isUp(i)) {
                return; // the node crashed meanwhile: its exchanges died with it
            }
            boolean ok = peer >= 0 && sim.isUp(peer) && sim.network().canDeliver(i, peer)
                    && sim.network().canDeliver(peer, i);
            perform(i, c.onSyncFinished(t, ok, sim.nowMillis()));
        });
    }
}
