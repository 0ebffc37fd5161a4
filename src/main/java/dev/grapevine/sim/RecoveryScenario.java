package dev.grapevine.sim;

import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.node.DomainsTag;
import dev.grapevine.core.recovery.EpochProgress;
import dev.grapevine.core.recovery.RecoveryAction;
import dev.grapevine.core.recovery.RecoveryCoordinator;
import dev.grapevine.core.recovery.SyncTask;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Recovery under churn: every node runs the real {@link RecoveryCoordinator} on the membership
 * events of its simulated node, gossips its progress, and runs its exchanges (which
 * succeed when both ends are up and can reach each other, after a round trip per exchange). For the
 * scenario's duration, every {@value #CHURN_EVERY_MILLIS} ms a random node crashes or a crashed one
 * restarts (with the last epoch it finished, as from its data dir), and some nodes pause. Then the
 * churn stops, and the run succeeds once every live node reports the same epoch complete everywhere
 * and every pair of owners of every partition has exchanged it in that epoch; the figure is how long
 * after the last crash or restart that happened (detection, the stable wait and the exchanges).
 *
 * <p>Every node recovers one domain, {@value #DOMAIN}. In {@code recovery-mixed}, every
 * {@code withoutDomainEvery}-th node runs no domain (a reporter, say): it must own no partition, take
 * part in no exchange, and the epoch is complete among the others alone.
 */
final class RecoveryScenario implements Scenario {
    static final String DOMAIN = "kv";
    /** Every this-th node (0: none) runs no domain. */
    private final int withoutDomainEvery;

    RecoveryScenario(int withoutDomainEvery) {
        this.withoutDomainEvery = withoutDomainEvery;
    }

    private boolean runsDomain(int node) {
        return withoutDomainEvery == 0 || node % withoutDomainEvery != 0;
    }

    static final long CHURN_EVERY_MILLIS = 7_000;
    private static final long TICK_MILLIS = 200;
    private static final RecoveryCoordinator.Settings SETTINGS =
            new RecoveryCoordinator.Settings(64, 3, 2_000, 4, 10, 2_000, 600_000, 500);

    @Override
    public boolean run(Simulation sim, ScenarioSpec spec, Map<String, Object> figures, LongConsumer progress) {
        int n = sim.size();
        RecoveryCoordinator[] coordinators = new RecoveryCoordinator[n];
        @SuppressWarnings("unchecked")
        Map<String, Long>[] saved = new Map[n];
        long[] epochsStarted = {0};
        long[] exchanges = {0};
        long[] failures = {0};
        long[] withNonRunners = {0};
        Set<String> synced = new HashSet<>(); // "epoch/partition/a/b" of successful exchanges
        SplittableRandom random = sim.scenarioRandom();

        sim.addObserver(new SimObserver() {
            @Override
            public void onMemberEvent(int node, MemberEvent event, long nowMillis) {
                if (coordinators[node] != null) {
                    var m = event.member();
                    boolean live = event.kind() != MemberEvent.Kind.REAPED && m.status().isLive();
                    coordinators[node].onMember(m.name(), m.epoch(), live, DomainsTag.parse(m.tags()), nowMillis);
                }
            }

            @Override
            public void onProgress(int node, EpochProgress progress, long nowMillis) {
                if (coordinators[node] != null) {
                    coordinators[node].onProgress(progress);
                }
            }
        });
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            for (int i = 0; i < n; i++) {
                if (coordinators[i] != null && sim.isUp(i)) {
                    perform(sim, i, coordinators, saved, coordinators[i].onTick(sim.nowMillis()), epochsStarted, exchanges,
                            failures, synced);
                }
            }
            sim.at(sim.nowMillis() + TICK_MILLIS, tick[0]);
        };
        sim.startConverged();
        for (int i = 0; i < n; i++) {
            sim.publishDomains(i, runsDomain(i) ? List.of(DOMAIN) : List.of());
        }
        for (int i = 0; i < n; i++) {
            coordinators[i] = startCoordinator(sim, i, null);
        }
        sim.at(0, tick[0]);

        long churnEnd = WARM_UP_MILLIS + spec.durationMillisOr(Duration.ofSeconds(120));
        long lastChange = WARM_UP_MILLIS;
        for (long t = WARM_UP_MILLIS; t < churnEnd; t += CHURN_EVERY_MILLIS) {
            sim.at(t, () -> churn(sim, random, coordinators, saved));
            lastChange = t;
        }
        sim.runUntil(lastChange + 1);
        long capMillis = churnEnd + 300_000;
        boolean settled = sim.runUntil(capMillis, () -> settled(sim, coordinators, synced), 100, progress);
        for (String pair : synced) { // "epoch/partition/a/b"
            String[] parts = pair.split("/");
            if (!runsDomain(sim.indexOf(parts[2])) || !runsDomain(sim.indexOf(parts[3]))) {
                withNonRunners[0]++;
            }
        }
        figures.put("epochs_started", epochsStarted[0]);
        figures.put("exchanges", exchanges[0]);
        figures.put("exchanges_failed", failures[0]);
        figures.put("exchanges_with_non_runners", withNonRunners[0]);
        figures.put("complete_after_last_change_ms", settled ? sim.nowMillis() - lastChange : -1);
        return settled;
    }

    private RecoveryCoordinator startCoordinator(Simulation sim, int i, Map<String, Long> saved) {
        RecoveryCoordinator c = new RecoveryCoordinator(sim.name(i), DOMAIN, SETTINGS, saved);
        for (var m : sim.core(i).members()) {
            c.onMember(m.name(), m.epoch(), m.status().isLive(), DomainsTag.parse(m.tags()), sim.nowMillis());
        }
        for (EpochProgress progress : sim.core(i).progress()) { // what the node holds already, as the runtime replays it
            c.onProgress(progress);
        }
        return c;
    }

    /** Crash a random live node (keeping a majority up), or restart a crashed one; sometimes pause one. */
    private void churn(Simulation sim, SplittableRandom random, RecoveryCoordinator[] coordinators,
                              Map<String, Long>[] saved) {
        int n = sim.size();
        List<Integer> up = new ArrayList<>();
        List<Integer> down = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            (sim.isUp(i) ? up : down).add(i);
        }
        if (!down.isEmpty() && (random.nextBoolean() || up.size() <= n / 2 + 1)) {
            int i = down.get(random.nextInt(down.size()));
            int seed = up.get(random.nextInt(up.size()));
            sim.startNode(i, List.of(sim.address(seed)));
            sim.publishDomains(i, runsDomain(i) ? List.of(DOMAIN) : List.of()); // as the restarted node registers its domain
            coordinators[i] = startCoordinator(sim, i, saved[i]);
        } else {
            int i = up.get(random.nextInt(up.size()));
            sim.crash(i);
            coordinators[i] = null;
        }
        if (random.nextInt(3) == 0) {
            int i = random.nextInt(n);
            if (sim.isUp(i)) {
                sim.pause(i, 1_000 + random.nextInt(3_000));
            }
        }
    }

    private static void perform(Simulation sim, int i, RecoveryCoordinator[] coordinators, Map<String, Long>[] saved,
                                List<RecoveryAction> actions, long[] epochsStarted, long[] exchanges, long[] failures,
                                Set<String> synced) {
        RecoveryCoordinator c = coordinators[i];
        for (RecoveryAction a : actions) {
            if (a instanceof RecoveryAction.PublishProgress p) {
                sim.publishProgress(i, p.progress(), p.index(), p.members());
            } else if (a instanceof RecoveryAction.EpochStarted) {
                epochsStarted[0]++;
            } else if (a instanceof RecoveryAction.SaveEpoch s) {
                saved[i] = s.lives();
            } else if (a instanceof RecoveryAction.StartSync s) {
                exchanges[0]++;
                SyncTask t = s.task();
                int peer = sim.indexOf(t.peer());
                long roundTrip = 2 * sim.network().latencyMillis() + 2;
                sim.at(sim.nowMillis() + roundTrip, () -> {
                    if (coordinators[i] != c || !sim.isUp(i)) {
                        return; // the node crashed meanwhile: its exchanges died with it
                    }
                    boolean ok = peer >= 0 && sim.isUp(peer) && sim.network().canReach(i, peer)
                            && sim.network().canReach(peer, i);
                    if (ok) {
                        String a1 = sim.name(i);
                        String b1 = t.peer();
                        synced.add(t.epoch() + "/" + t.partition() + "/" + (a1.compareTo(b1) < 0 ? a1 + "/" + b1 : b1 + "/" + a1));
                    } else {
                        failures[0]++;
                    }
                    perform(sim, i, coordinators, saved, c.onSyncFinished(t, ok, sim.nowMillis()), epochsStarted,
                            exchanges, failures, synced);
                });
            }
        }
    }

    /**
     * Every live node that runs the domain on one epoch of exactly the runners that are up, complete
     * everywhere, with every owner pair of every partition exchanged in it; every node up that runs
     * none in no epoch, owning nothing.
     */
    private boolean settled(Simulation sim, RecoveryCoordinator[] coordinators, Set<String> synced) {
        String epoch = null;
        RecoveryCoordinator any = null;
        for (int i = 0; i < sim.size(); i++) {
            if (!sim.isUp(i)) {
                continue;
            }
            RecoveryCoordinator c = coordinators[i];
            if (!runsDomain(i)) {
                if (c.epoch() != null) {
                    return false; // never expected: checked as the figure exchanges_with_non_runners too
                }
                continue;
            }
            if (c.epoch() == null || !c.completeEverywhere() || (epoch != null && !epoch.equals(c.epoch()))) {
                return false;
            }
            epoch = c.epoch();
            any = c;
        }
        if (any == null) {
            return false;
        }
        List<String> up = new ArrayList<>();
        for (int i = 0; i < sim.size(); i++) {
            if (sim.isUp(i) && runsDomain(i)) {
                up.add(sim.name(i));
            }
        }
        java.util.Collections.sort(up);
        if (!any.ownership().members().equals(up)) {
            return false; // the epoch is of an earlier view: the last change has not been noticed yet
        }
        for (int p = 0; p < SETTINGS.partitions(); p++) {
            List<String> owners = any.ownership().owners(p);
            for (int x = 0; x < owners.size(); x++) {
                for (int y = x + 1; y < owners.size(); y++) {
                    String a = owners.get(x);
                    String b = owners.get(y);
                    if (!synced.contains(epoch + "/" + p + "/" + (a.compareTo(b) < 0 ? a + "/" + b : b + "/" + a))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
