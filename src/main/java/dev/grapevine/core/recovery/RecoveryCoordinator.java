package dev.grapevine.core.recovery;

import dev.grapevine.core.Hash64;
import dev.grapevine.core.member.MemberStatus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The decisions of recovery on one node, as a step machine: no clock, no threads, no I/O.
 *
 * <ul>
 *   <li><b>Epochs.</b> The live members (alive or suspect) and their lives form a live set; once it
 *       has stayed unchanged for {@code stableAfterMillis}, it becomes an epoch, named by a digest of
 *       the set, so every node that settles on the same set names the same epoch. A flapping member
 *       starts no epoch.</li>
 *   <li><b>One epoch per incident.</b> Nor does an epoch start while a live member is suspect, unless
 *       the first change not yet in an epoch is {@code settleMaxMillis} old. Every epoch costs every
 *       node Merkle exchanges, and one that is superseded seconds later buys nothing. A mass crash is
 *       declared one death at a time: the crashed members are suspected within a probe round or two of
 *       each other, but each suspicion times out on its own clock (Lifeguard shortens those with more
 *       confirmations), so the deaths can come further apart than {@code stableAfterMillis}, and
 *       between two of them the members still suspect are the next deaths. Waiting for no suspect
 *       folds them into one epoch. A single clean crash leaves no suspect once it is declared, so its
 *       epoch starts {@code stableAfterMillis} after the death, as without the rule, and a suspect
 *       that is refuted stops holding it back at once. The bound is for a suspect that never
 *       resolves (a member flapping between alive and suspect, overloaded but answering now and
 *       then): recovery waits for it at most {@code settleMaxMillis} after the first change, and the
 *       suspect then counts as live, as it always does. The bound never overrides
 *       {@code stableAfterMillis}: a member flapping in and out of the live set still starts no
 *       epoch.</li>
 *   <li><b>Work.</b> In each epoch this node makes every partition it owns agree with the partition's
 *       other owners, and with its previous owners that are still live (those hold the data a new
 *       owner lacks). A member whose life changed (it restarted) counts as having gained all it owns.
 *       Of two current owners, the one with the smaller name starts the exchange, so each pair is
 *       covered once whatever either remembers of earlier epochs. Exchanges run at most
 *       {@code maxConcurrentSyncs} at a time and are retried up to {@code maxAttempts} times.</li>
 *   <li><b>Progress.</b> The node gossips {@link Progress} (epoch, pending, failed) as its word in
 *       the epoch's {@link EpochProgress}, and is told everyone's words merged ({@link #onProgress});
 *       an epoch is complete everywhere when every live member reports it done.</li>
 *   <li><b>Anti-entropy.</b> Every {@code antiEntropyIntervalMillis} the exchanges run again as
 *       routine work, which repairs what hinted handoff and read repair missed and does not reopen
 *       the epoch.</li>
 *   <li><b>Repair proof.</b> Each word also says since when this node's exchanges all succeeded
 *       ({@link RepairProof}); the oldest of every live member's is {@link #repairedEverywhereSince()},
 *       which tombstone GC waits for ({@link TombstoneGc}). Routine rounds advance it, so a stable
 *       cluster purges too.</li>
 * </ul>
 */
public final class RecoveryCoordinator {

    /**
     * The knobs of recovery; see reference.conf for what each trades.
     *
     * @param settleMaxMillis the longest a suspect holds back an epoch, from the first change not yet in
     *                        one; at least {@code stableAfterMillis}
     */
    public record Settings(int partitions, int replicationFactor, long stableAfterMillis, int maxConcurrentSyncs,
                           int maxAttempts, long retryAfterMillis, long antiEntropyIntervalMillis,
                           long progressIntervalMillis, long settleMaxMillis) {
        /** reference.conf's {@code settle-max}. */
        public static final long SETTLE_MAX_DEFAULT_MILLIS = 10_000;

        public Settings {
            new Ownership(List.of(), partitions, replicationFactor); // validates both, with their messages
            if (stableAfterMillis < 0 || maxConcurrentSyncs < 1 || maxAttempts < 1 || retryAfterMillis < 0
                    || antiEntropyIntervalMillis < 1 || progressIntervalMillis < 0) {
                throw new IllegalArgumentException("recovery settings out of range: " + this);
            }
            if (settleMaxMillis < stableAfterMillis) {
                throw new IllegalArgumentException("settle-max (" + settleMaxMillis + " ms) must be at least stable-after ("
                        + stableAfterMillis + " ms)");
            }
        }

        /** With the default {@code settle-max} (10 s, or {@code stableAfterMillis} if that is longer). */
        public Settings(int partitions, int replicationFactor, long stableAfterMillis, int maxConcurrentSyncs,
                        int maxAttempts, long retryAfterMillis, long antiEntropyIntervalMillis,
                        long progressIntervalMillis) {
            this(partitions, replicationFactor, stableAfterMillis, maxConcurrentSyncs, maxAttempts, retryAfterMillis,
                    antiEntropyIntervalMillis, progressIntervalMillis, Math.max(SETTLE_MAX_DEFAULT_MILLIS, stableAfterMillis));
        }
    }

    /**
     * What this node knows of the cluster's recovery, for status pages.
     *
     * @param routinePending anti-entropy exchanges queued or running on this node
     * @param ownership      who owns which partition in the current epoch; null before the first
     * @param domain         the domain these are of (members: its live runners); null for every live member
     * @param catchingUpFrom see {@link #catchingUpFrom()}
     */
    public record Status(String epoch, int members, boolean completeEverywhere, int partitionsPending,
                         Map<String, Progress> nodes, Progress local, int running, long syncsDone,
                         long syncsFailed, int partitionsOwned, int routinePending, long epochsStarted,
                         Ownership ownership, String domain, SortedMap<String, Integer> catchingUpFrom) {
    }

    private final String self;
    /** The domain whose partitions this coordinator recovers, among its runners only; null: every live member. */
    private final String domain;
    private final Settings settings;
    private final SortedMap<String, Long> live = new TreeMap<>();
    /** The live members that are suspect: a death may be about to be declared, so no epoch starts yet. */
    private final Set<String> suspects = new HashSet<>();
    /** The progress heard of the last few epochs, as membership merged it; the one told last at the end. */
    private final LinkedHashMap<Long, EpochProgress> heard = new LinkedHashMap<>();
    private static final int EPOCHS_HEARD_MAX = 4;
    private long lastChangeMillis;
    /** Whether the live set changed since the last epoch started; if so, since {@link #unsettledSinceMillis}. */
    private boolean unsettled;
    /** When the first change of the live set not yet in an epoch came: {@code settleMaxMillis} bounds the wait from it. */
    private long unsettledSinceMillis;

    private String epoch;
    private Ownership ownership;
    private Map<String, Long> epochLives = Map.of();
    /** The epoch's members in ascending order of name: member i of its {@link EpochProgress}. */
    private List<String> epochMembers = List.of();
    private Ownership prior;
    private Map<String, Long> priorLives;

    private final Deque<SyncTask> queue = new ArrayDeque<>();
    private final Set<SyncTask> running = new HashSet<>();
    private final Map<SyncTask, Integer> attempts = new HashMap<>();
    private final Map<SyncTask, Long> retryAtMillis = new HashMap<>();
    /** "partition:peer" of this epoch's exchanges that gave up; a routine success clears one. */
    private final Set<String> failedPairs = new HashSet<>();
    private int pending;
    /** Partitions this node gained and has not caught up on yet: see {@link #catchingUpFrom()}. */
    private Set<Integer> gained = Set.of();
    private int failed;
    private long syncsDone;
    private long syncsFailed;
    /** Epochs this node started: each is a change of the stable view, and a round of recovery. */
    private long epochsStarted;
    private long nextRoutineMillis = Long.MAX_VALUE;
    private Progress published;
    /** The last few epochs whose latest word from this node said done: peers may hold that word still. */
    private final LinkedHashSet<String> saidDone = new LinkedHashSet<>();
    private static final int SAID_DONE_MAX = 8;
    private long publishedAtMillis = Long.MIN_VALUE / 2;
    private long epochStartedMillis;
    private String announcedComplete;
    private final RepairProof proof = new RepairProof();
    /** Why this node cannot hold the domain's data now (its store refuses writes), or null. */
    private String unavailable;

    /**
     * @param lastEpochLives the live set (name to life) of the last epoch this node finished, kept
     *                       across restarts; null if none, and then every owned partition is synced
     *                       with its co-owners, as if gained
     */
    public RecoveryCoordinator(String self, Settings settings, Map<String, Long> lastEpochLives) {
        this(self, null, settings, lastEpochLives);
    }

    /**
     * A coordinator of one domain: its epochs, ownership, exchanges and completeness count only the
     * live members that run {@code domain} (see {@link DomainOwnership}); a null domain counts every
     * live member. Feed it members with {@link #onMember(String, long, MemberStatus, java.util.Collection, long)}.
     */
    public RecoveryCoordinator(String self, String domain, Settings settings, Map<String, Long> lastEpochLives) {
        this.self = self;
        this.domain = domain;
        this.settings = settings;
        if (lastEpochLives != null) {
            this.priorLives = Map.copyOf(lastEpochLives);
            this.prior = new Ownership(lastEpochLives.keySet(), settings.partitions(), settings.replicationFactor());
        }
    }

    /** The epoch's name for a live set: the same on every node, and new whenever a member joins, goes or restarts. */
    public static String epochOf(Map<String, Long> lives) {
        return epochOf(Hash64.FNV_OFFSET, lives);
    }

    /**
     * The epoch's name for the runners of {@code domain} (null: {@link #epochOf(Map)}): the domain is
     * part of the name, so two domains run by the same members never share an epoch's progress.
     */
    public static String epochOf(String domain, Map<String, Long> lives) {
        return domain == null ? epochOf(lives) : epochOf(Hash64.mix(Hash64.fnv(Hash64.FNV_OFFSET, domain)), lives);
    }

    private static String epochOf(long seed, Map<String, Long> lives) {
        long h = seed;
        for (Map.Entry<String, Long> e : new TreeMap<>(lives).entrySet()) {
            h = Hash64.mix(Hash64.fnv(h, e.getKey()) ^ e.getValue()) * 0x100000001b3L; // the FNV prime, as before
        }
        return Progress.epochName(Hash64.mix(h));
    }

    // ---------------------------------------------------------------- inputs

    /**
     * A member's state as membership now holds it, with the domains it advertises: it counts for this
     * coordinator only while live and running this coordinator's domain, and while it is suspect no
     * epoch starts (see the class comment).
     *
     * @param status its status; {@link MemberStatus#DEAD} for a member membership no longer holds (reaped)
     */
    public void onMember(String name, long life, MemberStatus status, java.util.Collection<String> domains, long nowMillis) {
        onMember(name, life, status.isLive() && DomainOwnership.runs(domains, domain), status == MemberStatus.SUSPECT,
                nowMillis);
    }

    /**
     * A member's state as membership now holds it, with the domains it advertises, not saying whether
     * it is suspect: as {@link #onMember(String, long, MemberStatus, java.util.Collection, long)} with a
     * live member taken as alive.
     */
    public void onMember(String name, long life, boolean isLive, java.util.Collection<String> domains, long nowMillis) {
        onMember(name, life, isLive && DomainOwnership.runs(domains, domain), false, nowMillis);
    }

    /**
     * A member's state as membership now holds it, not saying whether it is suspect (taken as alive).
     *
     * @param life      its epoch (one per process life)
     * @param isLive    alive or suspect
     */
    public void onMember(String name, long life, boolean isLive, long nowMillis) {
        onMember(name, life, isLive, false, nowMillis);
    }

    /**
     * @param isLive    alive or suspect, and running this coordinator's domain
     * @param suspect   suspect: it counts as live, but may be declared dead soon
     */
    private void onMember(String name, long life, boolean isLive, boolean suspect, long nowMillis) {
        Long before = live.get(name);
        if (isLive) {
            live.put(name, life);
        } else {
            live.remove(name);
        }
        if (isLive && suspect) {
            suspects.add(name);
        } else {
            suspects.remove(name);
        }
        Long after = live.get(name);
        if (before == null ? after != null : !before.equals(after)) {
            lastChangeMillis = nowMillis;
            if (!unsettled) {
                unsettled = true;
                unsettledSinceMillis = nowMillis;
            }
        }
    }

    /**
     * An epoch's progress as membership now holds it: every word it heard, merged. The last few are
     * kept (an epoch this node has yet to settle on may be among them), never dropping the current one.
     */
    public void onProgress(EpochProgress value) {
        heard.remove(value.epoch());
        heard.put(value.epoch(), value);
        Long current = epoch == null ? null : Progress.epochBits(epoch);
        for (Iterator<Long> oldest = heard.keySet().iterator(); heard.size() > EPOCHS_HEARD_MAX; ) {
            if (!oldest.next().equals(current)) {
                oldest.remove();
            }
        }
    }

    /**
     * The word heard of another member about the current epoch; null if none, or if the member is not
     * live in the life the epoch holds (a restarted member's earlier words no longer count).
     */
    private Progress progressOf(String member) {
        Long life = live.get(member);
        int index = Collections.binarySearch(epochMembers, member);
        if (epoch == null || life == null || index < 0 || !life.equals(epochLives.get(member))) {
            return null;
        }
        EpochProgress value = heard.get(Progress.epochBits(epoch));
        return value == null || value.members() != epochMembers.size() ? null : value.progress(index);
    }

    /** Advances time, for a node whose domains hold no partition it does not own. */
    public List<RecoveryAction> onTick(long nowMillis) {
        return onTick(nowMillis, Set::of);
    }

    /**
     * Advances time: may start an epoch, start exchanges, and publish progress.
     *
     * @param held the partitions this node's domains hold data for; asked only when an epoch or an
     *             anti-entropy round starts (those it no longer owns are pushed to their owners)
     */
    public List<RecoveryAction> onTick(long nowMillis, java.util.function.Supplier<Set<Integer>> held) {
        List<RecoveryAction> out = new ArrayList<>();
        if (live.equals(epochLives)) {
            unsettled = false; // the changes were undone: the next one starts the wait afresh
        } else if (live.containsKey(self) && settled(nowMillis)) {
            startEpoch(nowMillis, held.get(), out);
        }
        if (epoch != null && nowMillis >= nextRoutineMillis) {
            nextRoutineMillis = nowMillis + settings.antiEntropyIntervalMillis();
            announcedComplete = null; // a complete epoch is announced again: hand-offs left over get another go
            List<SyncTask> round = tasksFor(epoch, true, held.get());
            proof.roundStarted(round, nowMillis);
            for (SyncTask t : round) {
                if (!queue.contains(t) && !running.contains(t)) {
                    queue.add(t);
                }
            }
        }
        startSyncs(nowMillis, out);
        publish(nowMillis, out);
        // Caught up: a later epoch waits only for what it gains. Alone, nobody could have brought it
        // anything: a restarted node whose seeds answer late still has to catch up once they do.
        if (!gained.isEmpty() && epochLives.size() > 1 && catchingUpFrom().isEmpty()) {
            gained = Set.of();
        }
        if (epoch != null && !epoch.equals(announcedComplete) && completeEverywhere()) {
            announcedComplete = epoch;
            out.add(new RecoveryAction.CompleteEverywhere(epoch, ownership));
        }
        return out;
    }

    /**
     * Whether the changed live set may become an epoch now: unchanged for {@code stableAfterMillis},
     * and no live member suspect, or a suspect held it back {@code settleMaxMillis} since the first
     * change not yet in an epoch.
     */
    private boolean settled(long nowMillis) {
        if (nowMillis - lastChangeMillis < settings.stableAfterMillis()) {
            return false;
        }
        long since = unsettled ? unsettledSinceMillis : lastChangeMillis;
        return suspects.isEmpty() || nowMillis - since >= settings.settleMaxMillis();
    }

    /**
     * True when a tick could find work only once {@link #nextRoutineMillis()} comes or a new input
     * arrives (a member change, progress heard, an exchange's end, a repair asked for): the epoch is
     * the live view's, complete everywhere and announced so, this node's progress is published, and
     * no exchange waits or runs. A shell may then stop ticking until one of those; ticking on would
     * change nothing. Anything else (an epoch failing to complete, say) counts as work.
     */
    public boolean quiet() {
        return epoch != null && epoch.equals(announcedComplete) && live.equals(epochLives)
                && queue.isEmpty() && running.isEmpty() && mine().equals(published);
    }

    /**
     * The wall time on this node's clock now is {@code wallMillis} (its monotonic time
     * {@code nowMillis}): exchanges' starts are recorded on the wall clock, the one tombstones are
     * stamped with. A shell calls it before each tick; without it wall time is monotonic time.
     */
    public void onWallClock(long nowMillis, long wallMillis) {
        proof.wallClock(nowMillis, wallMillis);
    }

    /**
     * Wall ms since which a repair is proven complete everywhere in the current epoch: every live
     * member's word says all the exchanges it starts succeeded in exchanges started no earlier, so
     * every owner exchanged every partition with every other owner, and every holder of a partition
     * it no longer owns with its owners, after this time ({@link TombstoneGc} relies on it).
     * {@link TombstoneGc#NO_PROOF} before the first such round, and as soon as the live members differ
     * from the epoch's (a member that comes back may hold old versions: the next epoch must prove
     * its own repair). Rounded down to the second words carry.
     */
    public long repairedEverywhereSince() {
        if (epoch == null || !live.equals(epochLives)) {
            return TombstoneGc.NO_PROOF;
        }
        long since = Long.MAX_VALUE;
        for (String m : live.keySet()) {
            Progress p = m.equals(self) ? local() : progressOf(m);
            if (p == null || !p.epoch().equals(epoch) || p.repairedSinceSeconds() == Progress.NOT_REPAIRED) {
                return TombstoneGc.NO_PROOF;
            }
            since = Math.min(since, p.repairedSinceSeconds());
        }
        return since * 1000;
    }

    /** When the next routine round of anti-entropy is due ({@code Long.MAX_VALUE} before the first epoch). */
    public long nextRoutineMillis() {
        return nextRoutineMillis;
    }

    /** Starts a round of anti-entropy at the next tick (an operator's "repair now"); ignored before the first epoch. */
    public void repairNow(long nowMillis) {
        if (epoch != null) {
            nextRoutineMillis = nowMillis;
        }
    }

    /**
     * This node cannot hold the domain's data now ({@code reason}: its store refuses writes, say). Until
     * {@link #onAvailable}, it reports every partition it owns as pending (at least one), so neither it
     * nor any other member counts the epoch complete, nor hands off and drops a partition on the
     * strength of it; and it starts no exchange (an apply here would fail), though queued ones wait.
     */
    public void onUnavailable(String reason) {
        if (reason == null) {
            throw new IllegalArgumentException("a reason is needed");
        }
        unavailable = reason;
        if (ownership != null) {
            // It misses the writes of all it owns meanwhile: it catches up on them once it can hold them.
            Set<Integer> missing = new TreeSet<>(gained);
            missing.addAll(ownership.partitionsOf(self));
            gained = Collections.unmodifiableSet(missing);
        }
    }

    /** Why this node cannot hold the domain's data now, or null. */
    public String unavailable() {
        return unavailable;
    }

    /**
     * The domain holds its data again: what it missed meanwhile (writes it could not store) is repaired
     * by an exchange of every partition it owns with each co-owner, whatever the usual rule of who
     * starts, counted as this epoch's pending work. Returns how many exchanges were added.
     */
    public int onAvailable(long nowMillis) {
        if (unavailable == null) {
            return 0;
        }
        unavailable = null;
        if (epoch == null) {
            return 0;
        }
        failed = 0; // what gave up meanwhile is redone below, its partitions being owned ones
        failedPairs.clear();
        Set<SyncTask> waiting = new HashSet<>(queue);
        int added = 0;
        for (int p : ownership.partitionsOf(self)) {
            for (String peer : ownership.owners(p)) {
                SyncTask t = new SyncTask(epoch, p, peer, false);
                if (!peer.equals(self) && !waiting.contains(t) && !running.contains(t)) {
                    queue.add(t);
                    pending++;
                    added++;
                }
            }
        }
        return added;
    }

    /**
     * An exchange ended; a failed one is retried after {@code retryAfterMillis}, up to
     * {@code maxAttempts}. The next queued exchange starts at once, not at the next tick.
     */
    public List<RecoveryAction> onSyncFinished(SyncTask task, boolean ok, long nowMillis) {
        List<RecoveryAction> out = new ArrayList<>();
        if (!running.remove(task)) {
            return out; // not one of ours, or already reported
        }
        finish(task, ok, nowMillis, out);
        startSyncs(nowMillis, out);
        return out;
    }

    private void finish(SyncTask task, boolean ok, long nowMillis, List<RecoveryAction> out) {
        proof.finished(task, ok, epoch);
        boolean counts = !task.routine() && task.epoch().equals(epoch);
        if (ok) {
            syncsDone++;
            attempts.remove(task);
            boolean repaired = task.routine() && task.epoch().equals(epoch) && failedPairs.remove(pairOf(task));
            if (counts || repaired) {
                if (counts) {
                    pending--;
                } else {
                    failed--; // anti-entropy did what the epoch's exchange gave up on
                }
                if (pending == 0 && failed == 0) {
                    out.add(new RecoveryAction.SaveEpoch(epochLives));
                }
            }
            return;
        }
        int tries = attempts.merge(task, 1, Integer::sum);
        if (tries < settings.maxAttempts() && task.epoch().equals(epoch)) {
            retryAtMillis.put(task, nowMillis + settings.retryAfterMillis());
            queue.addLast(task);
            return;
        }
        syncsFailed++;
        attempts.remove(task);
        if (counts) {
            pending--;
            failed++;
            failedPairs.add(pairOf(task));
        }
    }

    // ---------------------------------------------------------------- epochs

    private static String pairOf(SyncTask t) {
        return t.partition() + ":" + t.peer();
    }

    private void startEpoch(long nowMillis, Set<Integer> held, List<RecoveryAction> out) {
        // What this node gained before and has not caught up on is still missing here: keep it.
        Set<Integer> stillGained = gained;
        Map<String, Long> lives = Map.copyOf(live);
        Ownership next = new Ownership(lives.keySet(), settings.partitions(), settings.replicationFactor());
        if (ownership != null) {
            prior = ownership;
            priorLives = epochLives;
        }
        epoch = epochOf(domain, lives);
        epochsStarted++;
        unsettled = false;
        epochStartedMillis = nowMillis;
        ownership = next;
        epochLives = lives;
        epochMembers = List.copyOf(new TreeMap<>(lives).keySet());
        queue.clear();
        retryAtMillis.clear();
        attempts.clear();
        proof.epochStarted();
        proof.roundStarted(tasksFor(epoch, true, held), nowMillis);
        List<SyncTask> work = tasksFor(epoch, false, held);
        // The live set may come back to one it had an epoch for (a member declared dead, then back in
        // the same life), whose exchanges may still run: each counts once, when it ends, not again.
        for (SyncTask t : work) {
            if (!running.contains(t)) {
                queue.add(t);
            }
        }
        pending = work.size();

        Set<Integer> owned = new TreeSet<>(next.partitionsOf(self));
        RecoveryPlan.Task task = myTask(owned);
        Set<Integer> nowGained = new TreeSet<>(task.gained().keySet());
        for (int p : stillGained) {
            if (owned.contains(p)) {
                nowGained.add(p);
            }
        }
        gained = Collections.unmodifiableSet(nowGained);
        failed = 0;
        failedPairs.clear();
        nextRoutineMillis = nowMillis + settings.antiEntropyIntervalMillis();

        out.add(new RecoveryAction.EpochStarted(epoch, next, task, Collections.unmodifiableSet(owned)));
        if (pending == 0) {
            out.add(new RecoveryAction.SaveEpoch(epochLives));
        }
    }

    /** What this node gained and lost; all it owns counts as gained when it restarted or has no record. */
    private RecoveryPlan.Task myTask(Set<Integer> owned) {
        Ownership before = prior != null ? prior : new Ownership(List.of(), settings.partitions(), settings.replicationFactor());
        RecoveryPlan.Task planned = RecoveryPlan.between(0, before, ownership).taskOf(self);
        if (!restarted(self)) {
            return planned;
        }
        Map<Integer, List<String>> gained = new TreeMap<>();
        for (int p : owned) {
            gained.put(p, planned.gained().getOrDefault(p, otherOwners(p)));
        }
        return new RecoveryPlan.Task(gained, planned.lost());
    }

    private List<String> otherOwners(int partition) {
        List<String> others = new ArrayList<>(ownership.owners(partition));
        others.remove(self);
        return others;
    }

    private boolean restarted(String member) {
        Long before = priorLives == null ? null : priorLives.get(member);
        return priorLives == null && member.equals(self) || before != null && !before.equals(epochLives.get(member));
    }

    /**
     * The exchanges this node starts in an epoch (see the class comment for who starts which), and
     * one with each owner of every partition it holds but does not own: whatever this node knew of
     * the past, what it holds reaches the owners before the epoch is complete.
     */
    private List<SyncTask> tasksFor(String epochName, boolean routine, Set<Integer> held) {
        List<SyncTask> tasks = new ArrayList<>();
        for (int p : held) {
            if (p >= 0 && p < ownership.partitions() && !ownership.owners(p).contains(self)) {
                for (String owner : ownership.owners(p)) {
                    tasks.add(new SyncTask(epochName, p, owner, routine));
                }
            }
        }
        for (int p : ownership.partitionsOf(self)) {
            Set<String> peers = new LinkedHashSet<>(ownership.owners(p));
            if (prior != null && !routine) { // routine rounds keep to the owners: previous ones may have dropped it
                for (String o : prior.owners(p)) {
                    if (epochLives.containsKey(o)) {
                        peers.add(o); // a previous owner still holds what a new owner lacks
                    }
                }
            }
            peers.remove(self);
            for (String peer : peers) {
                if (startsExchange(p, peer)) {
                    tasks.add(new SyncTask(epochName, p, peer, routine));
                }
            }
        }
        return tasks;
    }

    /**
     * Of two current owners, the smaller name starts: a rule of the epoch alone, so that nodes that
     * came to it through different earlier epochs still agree (deciding by who gained the partition
     * left pairs uncovered when two nodes remembered different pasts). A previous owner that no
     * longer owns the partition never starts, so the owner does.
     */
    private boolean startsExchange(int partition, String peer) {
        return !ownership.owners(partition).contains(peer) || self.compareTo(peer) < 0;
    }

    private void startSyncs(long nowMillis, List<RecoveryAction> out) {
        if (unavailable != null) {
            return; // nothing can be applied here: the queue waits for onAvailable
        }
        int waiting = queue.size();
        while (running.size() < settings.maxConcurrentSyncs() && waiting-- > 0) {
            SyncTask t = queue.pollFirst();
            Long at = retryAtMillis.get(t);
            if (at != null && at > nowMillis) {
                queue.addLast(t);
                continue;
            }
            retryAtMillis.remove(t);
            running.add(t);
            proof.started(t, nowMillis);
            out.add(new RecoveryAction.StartSync(t));
        }
    }

    /**
     * Gossips this node's progress when it changed: at once when the epoch's work is done, otherwise
     * at most once per progress interval and not before the epoch is that old. Each publication is a
     * word that every member hears, so an epoch whose work ends within the interval (the usual case:
     * one death or rejoin) costs one publication per node, not two. Back in an epoch it last said was
     * done, with work again, it says so at once: the others still hold that "done".
     */
    private void publish(long nowMillis, List<RecoveryAction> out) {
        if (epoch == null) {
            return;
        }
        Progress mine = mine();
        long interval = settings.progressIntervalMillis();
        boolean held = nowMillis - publishedAtMillis < interval || nowMillis - epochStartedMillis < interval;
        if (mine.equals(published) || held && !mine.done() && !saidDone.contains(epoch)) {
            return;
        }
        published = mine;
        publishedAtMillis = nowMillis;
        saidDone.remove(epoch);
        if (mine.done()) {
            saidDone.add(epoch);
            if (saidDone.size() > SAID_DONE_MAX) {
                saidDone.remove(saidDone.iterator().next());
            }
        }
        out.add(new RecoveryAction.PublishProgress(mine, Collections.binarySearch(epochMembers, self), epochMembers.size()));
    }

    // ---------------------------------------------------------------- answers

    /** True when every live member, this one included, reports the current epoch done. */
    public boolean completeEverywhere() {
        if (epoch == null || !live.equals(epochLives)) {
            return false;
        }
        for (String m : live.keySet()) {
            Progress p = m.equals(self) ? local() : progressOf(m);
            if (p == null || !p.epoch().equals(epoch) || !p.done()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The partitions among {@code held} this node no longer owns, each with its owners: hand them
     * over (an exchange with each owner), then drop them.
     */
    public Map<Integer, List<String>> handOffs(Set<Integer> held) {
        Map<Integer, List<String>> out = new TreeMap<>();
        if (ownership == null) {
            return out;
        }
        for (int p : held) {
            if (p >= 0 && p < ownership.partitions() && !ownership.owners(p).contains(self)) {
                out.put(p, ownership.owners(p));
            }
        }
        return out;
    }

    /**
     * The view a node that is leaving hands its data off against (see {@link HandOffPlanner#decommission}):
     * the live runners without this node, the epoch they settle on, its ownership, and whether every
     * one of them reports that epoch done. Its epoch is the one the others start once they see this
     * node no longer runs the domain; this node's word is not awaited.
     */
    public HandOffPlanner.View leavingView() {
        SortedMap<String, Long> others = new TreeMap<>(live);
        others.remove(self);
        String name = epochOf(domain, others);
        Ownership without = new Ownership(others.keySet(), settings.partitions(), settings.replicationFactor());
        EpochProgress value = heard.get(Progress.epochBits(name));
        boolean complete = !others.isEmpty() && value != null && value.members() == others.size();
        for (int i = 0; complete && i < others.size(); i++) {
            complete = value.done(i);
        }
        return new HandOffPlanner.View(name, without, complete);
    }

    public Status status() {
        int pendingEverywhere = 0;
        Map<String, Progress> nodes = new TreeMap<>();
        for (String m : live.keySet()) {
            Progress p = m.equals(self) ? local() : progressOf(m);
            nodes.put(m, p);
            if (p != null && p.epoch().equals(epoch)) {
                pendingEverywhere += p.pending();
            }
        }
        Progress local = local();
        int routine = 0;
        for (SyncTask t : queue) {
            routine += t.routine() ? 1 : 0;
        }
        for (SyncTask t : running) {
            routine += t.routine() ? 1 : 0;
        }
        return new Status(epoch, live.size(), completeEverywhere(), pendingEverywhere, nodes, local, running.size(),
                syncsDone, syncsFailed, ownership == null ? 0 : ownership.partitionsOf(self).size(), routine,
                epochsStarted, ownership, domain, catchingUpFrom());
    }

    /**
     * Who this node still waits on for the data of the partitions it gained: in this epoch, or in an
     * earlier one before it caught up (all it owns, after a restart). By name: this node itself with
     * how many of those partitions have an exchange of this epoch it starts still to run, or given up
     * on (until a routine round repairs the pair); and each member that starts an exchange of one of
     * them with this node (see {@link #startsExchange}) and still has exchanges pending in this epoch,
     * with how many, or -1 if it reported nothing in this epoch yet. A member's failed exchanges are
     * not waited on: its word does not say with whom they failed, and one sick peer elsewhere would
     * hold this node back until the next routine round. Empty once this node holds all it owns, which
     * is what readiness asks: the members that only pass data on to a newcomer are never waited on.
     * While it cannot hold its data, this node itself, with every partition it owns; what it then
     * missed counts as gained.
     */
    public SortedMap<String, Integer> catchingUpFrom() {
        SortedMap<String, Integer> from = new TreeMap<>();
        if (epoch != null && unavailable != null) {
            from.put(self, Math.max(1, ownership.partitionsOf(self).size()));
            return from;
        }
        if (epoch == null || gained.isEmpty() || completeEverywhere()) {
            return from;
        }
        Set<Integer> open = new HashSet<>();
        for (Collection<SyncTask> tasks : List.of(queue, running)) {
            for (SyncTask t : tasks) {
                if (!t.routine() && t.epoch().equals(epoch) && gained.contains(t.partition())) {
                    open.add(t.partition());
                }
            }
        }
        for (String pair : failedPairs) {
            int partition = Integer.parseInt(pair.substring(0, pair.indexOf(':')));
            if (gained.contains(partition)) {
                open.add(partition);
            }
        }
        if (!open.isEmpty()) {
            from.put(self, open.size());
        }
        for (int p : gained) {
            for (String peer : ownership.owners(p)) { // a previous owner never starts (startsExchange)
                if (peer.equals(self) || from.containsKey(peer) || !epochLives.containsKey(peer)
                        || startsExchange(p, peer)) {
                    continue;
                }
                Progress word = progressOf(peer);
                if (word == null || !word.epoch().equals(epoch)) {
                    from.put(peer, -1);
                } else if (word.pending() > 0) {
                    from.put(peer, word.pending());
                }
            }
        }
        return from;
    }

    /** This node's progress in its current epoch; null before the first. */
    private Progress local() {
        return epoch == null ? null : mine();
    }

    /** This node's word on the current epoch: while it cannot hold the data, all it owns is pending. */
    private Progress mine() {
        if (unavailable == null) {
            return new Progress(epoch, pending, failed, proof.sinceSeconds());
        }
        // Nor is any repair proven while it cannot hold what the exchanges would bring it.
        return new Progress(epoch, Math.max(pending, Math.max(1, ownership.partitionsOf(self).size())), failed,
                Progress.NOT_REPAIRED);
    }

    public String epoch() {
        return epoch;
    }

    /** The domain this coordinator recovers; null if it counts every live member. */
    public String domain() {
        return domain;
    }

    public Ownership ownership() {
        return ownership;
    }
}
