package dev.grapevine.sim;

import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.node.DomainsTag;
import dev.grapevine.core.recovery.EpochProgress;
import dev.grapevine.core.recovery.MajorityGate;
import dev.grapevine.core.recovery.Ownership;
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
 * Recovery under churn, with data: every node runs the real {@link RecoveryCoordinator} on the
 * membership events of its simulated node, gossips its progress, and runs its exchanges with the
 * production Merkle exchange machines ({@link CoreExchange}) between in-memory replicas
 * ({@link ReplicaStore}), and its hand-offs and drops with the production planner ({@link HandOffDriver}). Meanwhile simulated clients write
 * and read through quorum coordinators with hints and read repair ({@link QuorumClient}). For the
 * scenario's duration, every {@value #CHURN_EVERY_MILLIS} ms a random node crashes or a crashed one
 * restarts (with its data and the last epoch it finished, as from its data dir), and some nodes
 * pause; with {@code --partitions} the network splits about 60|40 now and then, and with
 * {@code --leaves} a node leaves for good now and then. A leave with data runs the production
 * decommission: the node stops advertising the domain (the others' ownership goes on without it),
 * folds its hints into its partitions, hands everything to the owners that stay with push-only
 * exchanges ({@link HandOffDriver}), and only then leaves the membership, or once
 * {@value #DECOMMISSION_TIMEOUT_MILLIS} ms passed.
 *
 * <p>Then the faults heal: the churn and the writes stop, crashed nodes restart, the network heals.
 * The run settles once every live node reports the same epoch complete everywhere, every pair of
 * owners of every partition has exchanged it in that epoch, and no request or hint for a live node is
 * pending; the figure is how long after the last change that happened. Then it checks the data:
 * every acknowledged write is readable by a quorum read with its version or a newer one, and held by
 * every owner of its key; no deleted key came back (see {@link WriteLedger} for the figures).
 *
 * <p>Every node recovers one domain, {@value #DOMAIN}. In {@code recovery-mixed}, every
 * {@code withoutDomainEvery}-th node runs no domain (a reporter, say): it must own no partition, take
 * part in no exchange, coordinate no request, and the epoch is complete among the others alone.
 */
final class RecoveryScenario implements Scenario {
    static final String DOMAIN = "kv";
    static final long CHURN_EVERY_MILLIS = 7_000;
    /** With {@code --leaves}: how often a node leaves, how long it takes to stop after, and how many may. */
    static final long LEAVE_EVERY_MILLIS = 30_000;
    static final long LEAVE_STOP_AFTER_MILLIS = 10_000;
    /**
     * A leaving node hands off for at most this long, then leaves anyway, as
     * {@code grapevine.recovery.decommission-timeout} bounds it. Longer than the runtime's 20 s default:
     * here the membership changes every {@value #CHURN_EVERY_MILLIS} ms, and a round hands off only
     * in an epoch complete everywhere, which under that churn often takes longer than 20 s to come.
     */
    static final long DECOMMISSION_TIMEOUT_MILLIS = 60_000;
    private static final long TICK_MILLIS = 200;
    private static final long CHECK_READS_MILLIS_MAX = 60_000;
    private static final int CHECK_READ_TRIES = 5;
    private static final RecoveryCoordinator.Settings SETTINGS =
            new RecoveryCoordinator.Settings(64, 3, 2_000, 4, 10, 2_000, 600_000, 500);

    /**
     * For tests: once a node begins to leave, its hand-off exchanges with one owner it must hand a
     * partition to fail, as if that owner were out of its reach (membership still sees it alive).
     */
    boolean cutOffLeavers;
    /** Leaver to the owner it cannot reach; those owners are never crashed meanwhile, so they stay owners. */
    private final Map<Integer, Integer> cutOwners = new java.util.HashMap<>();

    /** Every this-th node (0: none) runs no domain. */
    private final int withoutDomainEvery;

    private Simulation sim;
    private RecoveryCoordinator[] coordinators;
    private Map<String, Long>[] saved;
    private boolean[] left;
    /** Nodes leaving now: decommissioning, not yet gone from the membership. */
    private boolean[] leaving;
    private long decommissions;
    private long decommissionTimeouts;
    private long decommissionsAlone;
    private long hintsLeftBehind;
    private long entriesLeftBehind;
    private long lastLeaveMillis;
    private ReplicaStore[] stores;
    private MajorityGate[] gates;
    private QuorumClient client;
    private CoreExchange exchange;
    private HandOffDriver handOffs;
    private final Set<String> synced = new HashSet<>(); // "epoch/partition/a/b" of successful exchanges
    private long epochsStarted;
    private long exchanges;
    private long failures;
    private long leaves;
    private int splits;

    RecoveryScenario(int withoutDomainEvery) {
        this.withoutDomainEvery = withoutDomainEvery;
    }

    private boolean runsDomain(int node) {
        return withoutDomainEvery == 0 || node % withoutDomainEvery != 0;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public boolean run(Simulation sim, ScenarioSpec spec, Map<String, Object> figures, LongConsumer progress) {
        this.sim = sim;
        int n = sim.size();
        DataSpec data = spec.data();
        coordinators = new RecoveryCoordinator[n];
        saved = new Map[n];
        left = new boolean[n];
        leaving = new boolean[n];
        SplittableRandom random = sim.scenarioRandom();
        if (data.writesPerSecond() > 0) {
            stores = new ReplicaStore[n];
            gates = new MajorityGate[n];
            for (int i = 0; i < n; i++) {
                stores[i] = new ReplicaStore(QuorumClient.Settings.DEFAULT.hintsMax());
                gates[i] = new MajorityGate(List.of()); // kept across restarts, as the runtime saves its reference
            }
            exchange = new CoreExchange(sim, stores, DOMAIN);
            handOffs = new HandOffDriver(sim, stores, cutOffLeavers ? new ReplicaExchange() {
                @Override
                public void run(int initiator, int peer, int partition, java.util.function.Consumer<Boolean> done) {
                    if (Integer.valueOf(peer).equals(cutOwners.get(initiator))) {
                        sim.afterOn(initiator, CoreExchange.LIMITS.requestTimeoutMillis(), () -> done.accept(false));
                    } else {
                        exchange.run(initiator, peer, partition, done);
                    }
                }

                @Override
                public long entriesSent() {
                    return exchange.entriesSent();
                }

                @Override
                public long bytesSent() {
                    return exchange.bytesSent();
                }

                @Override
                public long bytesThatChanged() {
                    return exchange.bytesThatChanged();
                }
            } : exchange, coordinators);
            client = new QuorumClient(sim, QuorumClient.Settings.DEFAULT, data.mode(),
                    i -> coordinators[i] == null ? null : coordinators[i].ownership(), stores, gates, this::runsDomain);
        }

        sim.addObserver(new SimObserver() {
            @Override
            public void onMemberEvent(int node, MemberEvent event, long nowMillis) {
                if (coordinators[node] != null) {
                    var m = event.member();
                    MemberStatus status = event.kind() == MemberEvent.Kind.REAPED ? MemberStatus.DEAD : m.status();
                    coordinators[node].onMember(m.name(), m.epoch(), status, DomainsTag.parse(m.tags()), nowMillis);
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
                    int node = i;
                    perform(i, stores == null ? coordinators[i].onTick(sim.nowMillis())
                            : coordinators[i].onTick(sim.nowMillis(), () -> stores[node].held()));
                    if (leaving[i]) {
                        handOffs.step(i);
                    }
                }
            }
            sim.at(sim.nowMillis() + TICK_MILLIS, tick[0]);
        };
        sim.startConverged();
        for (int i = 0; i < n; i++) {
            sim.publishDomains(i, runsDomain(i) ? List.of(DOMAIN) : List.of());
        }
        for (int i = 0; i < n; i++) {
            coordinators[i] = startCoordinator(i, null);
        }
        sim.at(0, tick[0]);

        long churnEnd = WARM_UP_MILLIS + spec.durationMillisOr(Duration.ofSeconds(120));
        long lastChange = WARM_UP_MILLIS;
        for (long t = WARM_UP_MILLIS; t < churnEnd; t += CHURN_EVERY_MILLIS) {
            sim.at(t, () -> churn(random));
            lastChange = t;
        }
        if (data.leaves()) {
            for (long t = WARM_UP_MILLIS + LEAVE_EVERY_MILLIS / 2; t < churnEnd; t += LEAVE_EVERY_MILLIS) {
                sim.at(t, () -> leave(random));
                lastChange = Math.max(lastChange, t + LEAVE_STOP_AFTER_MILLIS);
            }
        }
        if (data.partitions()) {
            for (long t = WARM_UP_MILLIS + 10_000; t + DataSpec.SPLIT_MILLIS < churnEnd; t += DataSpec.SPLIT_EVERY_MILLIS) {
                sim.at(t, () -> split(random));
                sim.at(t + DataSpec.SPLIT_MILLIS, this::heal);
            }
        }
        if (client != null) {
            client.start(WARM_UP_MILLIS, data.writesPerSecond());
        }
        sim.runUntil(churnEnd);
        healAll();
        lastChange = Math.max(lastChange, churnEnd);
        long capMillis = churnEnd + 300_000;
        boolean settled = sim.runUntil(capMillis, () -> !anyLeaving() && settled() && (client == null || client.quiet()), 100, progress);
        lastChange = Math.max(lastChange, lastLeaveMillis);
        long withNonRunners = 0;
        for (String pair : synced) { // "epoch/partition/a/b"
            String[] parts = pair.split("/");
            if (!runsDomain(sim.indexOf(parts[2])) || !runsDomain(sim.indexOf(parts[3]))) {
                withNonRunners++;
            }
        }
        figures.put("epochs_started", epochsStarted);
        figures.put("exchanges", exchanges);
        figures.put("exchanges_failed", failures);
        figures.put("exchanges_with_non_runners", withNonRunners);
        figures.put("complete_after_last_change_ms", settled ? sim.nowMillis() - lastChange : -1);
        if (client == null) {
            return settled;
        }
        DataCheck check = settled ? checkData() : new DataCheck(-1, -1, -1, -1);
        WriteLedger ledger = client.ledger();
        figures.put("partition_mode", data.mode().id());
        figures.put("writes_per_second", data.writesPerSecond());
        figures.put("splits", splits);
        figures.put("leaves", leaves);
        figures.put("decommissions", decommissions);
        figures.put("decommission_timeouts", decommissionTimeouts);
        figures.put("decommissions_with_no_one_to_hand_to", decommissionsAlone);
        figures.put("hints_folded", handOffs.hintsFolded);
        figures.put("hints_left_behind", hintsLeftBehind);
        figures.put("entries_left_behind", entriesLeftBehind);
        figures.put("writes", client.writes);
        figures.put("acked_writes", ledger.ackedCount());
        figures.put("writes_failed", client.writesFailed);
        figures.put("writes_refused", client.writesRefused);
        figures.put("lost_acked_writes", check.lost());
        figures.put("under_replicated_keys", check.underReplicated());
        figures.put("resurrected_keys", check.resurrected());
        figures.put("superseded_acked_writes", ledger.superseded(false));
        figures.put("superseded_by_acked_writes", ledger.superseded(true));
        figures.put("check_reads_failed", check.readsFailed());
        figures.put("reads", client.reads);
        figures.put("reads_failed", client.readsFailed);
        figures.put("read_repairs", client.readRepairs);
        figures.put("hints_stored", client.hintsStored);
        figures.put("hints_replayed", client.hintsReplayed);
        figures.put("hints_dropped", client.hintsDropped);
        figures.put("repair_entries", exchange.entriesSent());
        figures.put("repair_bytes", exchange.bytesSent());
        figures.put("repair_bytes_min", exchange.bytesThatChanged());
        figures.put("partitions_dropped", handOffs.partitionsDropped);
        figures.put("entries_dropped", handOffs.entriesDropped);
        figures.put("hand_offs_kept", handOffs.partitionsKept);
        return settled && check.lost() == 0 && check.underReplicated() == 0 && check.resurrected() == 0
                && check.readsFailed() == 0;
    }

    private RecoveryCoordinator startCoordinator(int i, Map<String, Long> lastEpoch) {
        RecoveryCoordinator c = new RecoveryCoordinator(sim.name(i), DOMAIN, SETTINGS, lastEpoch);
        for (var m : sim.core(i).members()) {
            c.onMember(m.name(), m.epoch(), m.status(), DomainsTag.parse(m.tags()), sim.nowMillis());
        }
        for (EpochProgress progress : sim.core(i).progress()) { // what the node holds already, as the runtime replays it
            c.onProgress(progress);
        }
        return c;
    }

    // ---------------------------------------------------------------- faults

    /** Crash a random live node (keeping a majority up), or restart a crashed one; sometimes pause one. */
    private void churn(SplittableRandom random) {
        int n = sim.size();
        List<Integer> up = new ArrayList<>();
        List<Integer> down = new ArrayList<>();
        int present = 0;
        for (int i = 0; i < n; i++) {
            if (!left[i]) {
                (sim.isUp(i) ? up : down).add(i);
                present++;
            }
        }
        if (!down.isEmpty() && (random.nextBoolean() || up.size() <= present / 2 + 1)) {
            restart(down.get(random.nextInt(down.size())), up.get(random.nextInt(up.size())));
        } else if (!up.isEmpty()) {
            int victim = up.get(random.nextInt(up.size()));
            if (!cutOwners.containsValue(victim)) {
                crash(victim);
            }
        }
        if (random.nextInt(3) == 0) {
            int i = random.nextInt(n);
            if (sim.isUp(i)) {
                sim.pause(i, 1_000 + random.nextInt(3_000));
            }
        }
    }

    private void crash(int i) {
        sim.crash(i);
        coordinators[i] = null;
        if (client != null) {
            client.onCrash(i);
            handOffs.reset(i);
            exchange.reset(i);
        }
    }

    private void restart(int i, int seed) {
        sim.startNode(i, List.of(sim.address(seed)));
        sim.publishDomains(i, runsDomain(i) ? List.of(DOMAIN) : List.of()); // as the restarted node registers its domain
        coordinators[i] = startCoordinator(i, saved[i]);
        if (handOffs != null) {
            handOffs.reset(i);
        }
    }

    /** A random live node leaves gracefully (at most a fifth of the cluster ever), and stops a little later. */
    private void leave(SplittableRandom random) {
        List<Integer> up = new ArrayList<>();
        for (int i = 0; i < sim.size(); i++) {
            if (!left[i] && sim.isUp(i)) {
                up.add(i);
            }
        }
        if (leaves >= sim.size() / 5 || up.size() <= sim.size() / 2 + 1) {
            return;
        }
        int i = up.get(random.nextInt(up.size()));
        left[i] = true;
        leaves++;
        if (client == null) {
            leaveMembership(i);
            return;
        }
        // The production decommission: stop advertising the domain, hand everything off, then leave.
        leaving[i] = true;
        if (cutOffLeavers) {
            cutOffFromAnOwner(i);
        }
        client.onLeaving(sim.name(i));
        exchange.pushOnly(i);
        sim.publishDomains(i, List.of());
        handOffs.startDecommission(i, handedOff -> endDecommission(i, handedOff ? Ended.HANDED_OFF : Ended.NO_ONE_TO_HAND_TO));
        sim.at(sim.nowMillis() + DECOMMISSION_TIMEOUT_MILLIS, () -> endDecommission(i, Ended.TIMED_OUT));
    }

    private void cutOffFromAnOwner(int i) {
        var view = coordinators[i].leavingView();
        for (int p : stores[i].held()) {
            for (String owner : view.ownership().owners(p)) {
                cutOwners.put(i, sim.indexOf(owner));
                return;
            }
        }
    }

    /** The decommission of leaving node {@code i} ended, handed off or timed out: it leaves the membership. */
    private void endDecommission(int i, Ended how) {
        if (!leaving[i]) {
            return;
        }
        leaving[i] = false;
        switch (how) {
            case HANDED_OFF -> decommissions++;
            case TIMED_OUT -> decommissionTimeouts++; // it leaves anyway; anti-entropy among the others repairs from their copies
            case NO_ONE_TO_HAND_TO -> decommissionsAlone++; // it saw no other live runner
        }
        hintsLeftBehind += stores[i].hintCount();
        entriesLeftBehind += stores[i].entryCount();
        leaveMembership(i);
    }

    private enum Ended { HANDED_OFF, TIMED_OUT, NO_ONE_TO_HAND_TO }

    private void leaveMembership(int i) {
        sim.leave(i);
        if (client != null) {
            client.onLeft(sim.name(i));
        }
        lastLeaveMillis = sim.nowMillis() + LEAVE_STOP_AFTER_MILLIS;
        sim.at(lastLeaveMillis, () -> {
            if (sim.isUp(i)) {
                crash(i); // the process exits once its leave went out; it never comes back
            }
        });
    }

    /** Whether a node is still decommissioning, or left and has not exited yet. */
    private boolean anyLeaving() {
        for (int i = 0; i < sim.size(); i++) {
            if (leaving[i] || (left[i] && sim.isUp(i))) {
                return true;
            }
        }
        return false;
    }

    /** The network splits into two random groups of about 60 and 40 percent. */
    private void split(SplittableRandom random) {
        int n = sim.size();
        int[] groups = new int[n];
        for (int i = 0; i < n; i++) {
            groups[i] = random.nextInt(5) < 2 ? 1 : 0;
        }
        splits++;
        sim.network().partition(groups);
        if (client != null) {
            client.onSplit(splits, groups);
        }
    }

    private void heal() {
        sim.network().heal();
        if (client != null) {
            client.onSplit(0, null);
        }
    }

    /** The faults end: no more writes, the network whole, every crashed node (but those that left) back. */
    private void healAll() {
        if (client != null) {
            client.stop();
        }
        heal();
        int seed = -1;
        for (int i = 0; i < sim.size(); i++) {
            if (sim.isUp(i) && !left[i]) {
                seed = i;
                break;
            }
        }
        for (int i = 0; i < sim.size(); i++) {
            if (!sim.isUp(i) && !left[i] && seed >= 0) {
                restart(i, seed);
            }
        }
    }

    // ---------------------------------------------------------------- recovery actions

    private void perform(int i, List<RecoveryAction> actions) {
        RecoveryCoordinator c = coordinators[i];
        for (RecoveryAction a : actions) {
            if (a instanceof RecoveryAction.PublishProgress p) {
                sim.publishProgress(i, p.progress(), p.index(), p.members());
            } else if (a instanceof RecoveryAction.EpochStarted e) {
                epochsStarted++;
                if (gates != null) {
                    gates[i].onEpoch(e.ownership().members());
                }
            } else if (a instanceof RecoveryAction.SaveEpoch s) {
                saved[i] = s.lives();
            } else if (a instanceof RecoveryAction.CompleteEverywhere c2) {
                if (gates != null) {
                    gates[i].onEpochComplete(c2.ownership().members());
                }
                if (handOffs != null) {
                    handOffs.onCompleteEverywhere(i);
                }
            } else if (a instanceof RecoveryAction.StartSync s) {
                exchanges++;
                startSync(i, c, s.task());
            }
        }
    }

    private void startSync(int i, RecoveryCoordinator c, SyncTask t) {
        int peer = sim.indexOf(t.peer());
        if (exchange != null) {
            exchange.run(i, peer, t.partition(), ok -> syncFinished(i, c, t, ok));
            return;
        }
        long roundTrip = 2 * sim.network().latencyMillis() + 2;
        sim.at(sim.nowMillis() + roundTrip, () -> {
            if (coordinators[i] != c || !sim.isUp(i)) {
                return; // the node crashed meanwhile: its exchanges died with it
            }
            syncFinished(i, c, t, peer >= 0 && sim.isUp(peer) && sim.network().canReach(i, peer)
                    && sim.network().canReach(peer, i));
        });
    }

    private void syncFinished(int i, RecoveryCoordinator c, SyncTask t, boolean ok) {
        if (coordinators[i] != c) {
            return;
        }
        if (ok) {
            String a = sim.name(i);
            String b = t.peer();
            synced.add(t.epoch() + "/" + t.partition() + "/" + (a.compareTo(b) < 0 ? a + "/" + b : b + "/" + a));
        } else {
            failures++;
        }
        perform(i, c.onSyncFinished(t, ok, sim.nowMillis()));
    }

    // ---------------------------------------------------------------- checks

    /**
     * Every live node that runs the domain on one epoch of exactly the runners that are up, complete
     * everywhere, with every owner pair of every partition exchanged in it; every node up that runs
     * none in no epoch, owning nothing.
     */
    private boolean settled() {
        String epoch = null;
        RecoveryCoordinator any = null;
        for (int i = 0; i < sim.size(); i++) {
            if (!sim.isUp(i) || left[i]) {
                continue; // a node that left and has not exited yet runs no domain any more
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
            if (sim.isUp(i) && runsDomain(i) && !left[i]) {
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

    /** The data checks' counts; -1 when the run did not settle and nothing was checked. */
    private record DataCheck(long lost, long underReplicated, long resurrected, long readsFailed) {
    }

    /**
     * After the run settled: each key with an acknowledged write must be held at its newest acknowledged
     * version (or a newer one) by every owner of the final epoch (RF of them, or every runner if fewer),
     * and a quorum read through the protocol must return, for every acknowledged write, that write or a
     * newer one, and never a value older than an acknowledged delete.
     */
    private DataCheck checkData() {
        WriteLedger ledger = client.ledger();
        List<String> keys = ledger.ackedKeys();
        Ownership ownership = null;
        List<Integer> readers = new ArrayList<>();
        for (int i = 0; i < sim.size(); i++) {
            if (sim.isUp(i) && runsDomain(i) && !left[i]) {
                ownership = coordinators[i].ownership();
                readers.add(i);
            }
        }
        long under = 0;
        for (String key : keys) {
            int p = Ownership.partitionOf(key, ownership.partitions());
            SimRecord newest = ledger.newestAcked(key);
            List<String> owners = ownership.owners(p);
            int holding = 0;
            for (String o : owners) {
                int oi = sim.indexOf(o);
                SimRecord held = stores[oi].get(p, key);
                if (sim.isUp(oi) && held != null && held.atLeast(newest)) {
                    holding++;
                }
            }
            if (holding < Math.min(SETTINGS.replicationFactor(), ownership.members().size())) {
                under++;
            }
        }
        long[] lost = {0};
        long[] resurrected = {0};
        long[] failed = {0};
        int[] pending = {keys.size()};
        SplittableRandom random = sim.scenarioRandom();
        for (String key : keys) {
            checkRead(key, readers, random, CHECK_READ_TRIES, lost, resurrected, failed, pending);
        }
        sim.runUntil(sim.nowMillis() + CHECK_READS_MILLIS_MAX, () -> pending[0] == 0, 100, null);
        return new DataCheck(lost[0], under, resurrected[0], failed[0] + pending[0]);
    }

    private void checkRead(String key, List<Integer> readers, SplittableRandom random, int triesLeft, long[] lost,
                           long[] resurrected, long[] failed, int[] pending) {
        int coordinator = readers.get(random.nextInt(readers.size()));
        client.read(coordinator, key, answer -> {
            if (answer == null) {
                if (triesLeft > 1) {
                    checkRead(key, readers, random, triesLeft - 1, lost, resurrected, failed, pending);
                } else {
                    failed[0]++;
                    pending[0]--;
                }
                return;
            }
            SimRecord read = answer[0];
            lost[0] += client.ledger().lost(key, read);
            resurrected[0] += client.ledger().resurrected(key, read) ? 1 : 0;
            pending[0]--;
        });
    }
}
