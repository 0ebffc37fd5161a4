package dev.grapevine.kv;

import dev.grapevine.api.MembershipEvent;
import dev.grapevine.api.MemberStatus;
import dev.grapevine.api.OwnershipChanged;
import dev.grapevine.api.PartitionMap;
import dev.grapevine.log.CountedWarnings;
import dev.grapevine.log.GrapevineLogs;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The key-value store of one node, in both of its roles.
 *
 * <ul>
 *   <li><b>Coordinator</b> of a client's request (as in Dynamo and Cassandra, any node can be): it
 *       sends the request to the key's owners in the current recovery epoch and answers once
 *       {@code write-quorum} acknowledged (or {@code read-quorum} replied, with the newest version).
 *       Owners that do not acknowledge a write in time get a hint: the write, kept here and replayed
 *       when the owner is alive again. Readers that answered with an older version are repaired.</li>
 *   <li><b>Replica</b>: it applies writes last-write-wins and acknowledges them once committed
 *       (writes that arrive together share one commit).</li>
 * </ul>
 */
public final class KvActor extends AbstractBehavior<KvActor.Command> {

    public interface Command {
    }

    /** Writes {@code value} under {@code key}; a null value deletes it (a tombstone). */
    public record Put(String key, byte[] value, ActorRef<WriteResult> replyTo) implements Command {
    }

    /** @param error null if at least write-quorum owners acknowledged */
    public record WriteResult(String key, int acks, String error) {
    }

    public record Get(String key, ActorRef<ReadResult> replyTo) implements Command {
    }

    /** @param record the newest version among the replies (null if none has one), @param error null if read-quorum replied */
    public record ReadResult(String key, KvRecord record, int replies, String error) {
    }

    /** Asks every owner of {@code key} what it holds. */
    public record GetReplicas(String key, ActorRef<ReplicasResult> replyTo) implements Command {
    }

    public record ReplicasResult(String key, int partition, List<ReplicaState> replicas, String error) {
    }

    /** @param status "alive", "suspect", ... as membership sees it, or "no answer" */
    public record ReplicaState(String node, String status, KvRecord record) {
    }

    private record OwnershipUpdate(OwnershipChanged change) implements Command {
    }

    private record MemberUpdate(MembershipEvent event) implements Command {
    }

    private enum Flush implements Command { INSTANCE }

    private enum ReplayHints implements Command { INSTANCE }

    /** Tries the store's disk again after a refused commit (see {@link DiskRetry}). */
    private enum RetryDisk implements Command { INSTANCE }

    private record RequestTimeout(long id) implements Command {
    }

    /** Recovery's answer about the epoch {@link #unsettled} names; null status if it did not answer. */
    private record EpochStanding(dev.grapevine.api.RecoveryStatus status) implements Command {
    }

    static final String NAME = "grapevine-kv";
    /** Starts the error of a write refused because this node's disk does not take commits (HTTP 507). */
    public static final String DISK_REFUSAL = "this node's disk does not take writes (";
    /** Starts the error of a write refused on the minority side of a partition (kv.partition-mode = majority). */
    public static final String MINORITY_REFUSAL = "writes are refused on the minority side of a partition: ";
    /** Longest a write waits for the commit it shares with others; the added latency of a write. */
    static final java.time.Duration COMMIT_EVERY = java.time.Duration.ofMillis(5);
    /** Writes that force a commit at once. */
    static final int COMMIT_BATCH_MAX = 512;

    private final String self;
    private final KvStore store;
    private final KvSettings settings;
    private final KvMetrics metrics;
    private final Hlc hlc;
    private final TimerScheduler<Command> timers;
    /** Resolved on first use: only a write or read to another node needs it. */
    private ActorRefResolver resolver;
    private final ActorRef<KvMessage> selfRef;
    private final Map<String, String> addresses;
    private final Map<String, MemberStatus> statuses;
    /** Members' actor system names, as they gossip them: a replica is reached under its own system's name. */
    private final Map<String, String> systems;
    /** Members whose hints were dropped because they left; one log line each. */
    private final java.util.Set<String> leftHintsLogged = new java.util.HashSet<>();

    private final Map<String, ActorRef<KvMessage>> peers = new HashMap<>();
    private final Map<Long, KvRequest> requests = new HashMap<>();
    private final Map<String, Integer> replaysInFlight = new HashMap<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private PartitionMap map;
    /** Where the above survive a restart of this actor. */
    private final KvView view;
    /** The majority rule of {@code partition-mode = majority}; null in {@code available} mode. */
    private final MajorityWrites majority;
    /** Why the last epoch was not admitted by {@link #majority}, or null: logged once per change. */
    private String epochRefused;
    /**
     * The current epoch, until it is complete everywhere and offered to {@link #majority}; null after.
     * Only a complete epoch moves the reference: right after a split, the smaller side sees the other
     * side's members die one by one, and settles on epochs that still hold some of them (say c, d, e of
     * a|b|c split from d|e) for as long as stable-after. Such an epoch holds a majority of the reference
     * but never completes, since c never takes part in it; admitted, it would make d and e a majority of
     * the next reference.
     */
    private OwnershipChanged unsettled;
    /** Asks recovery how the store's current epoch stands; null in available mode. */
    private final java.util.function.Supplier<java.util.concurrent.CompletionStage<dev.grapevine.api.RecoveryStatus>> recovery;
    private boolean askingRecovery;
    private final StoreHealth health;
    private final DiskRetry diskRetry = new DiskRetry();
    /** Whether recovery was told this store cannot hold its data (until the disk takes a commit again). */
    private boolean diskFailed;
    /** Refused and dropped input, one WARN line per kind and minute; flushed with the hint replays. */
    private final CountedWarnings warnings;
    /**
     * The next request's id. Each life of this actor starts at a random point (never negative: read
     * repair's writes use -1), so a late ack of a request from before a restart by the supervisor
     * matches no request of this life and cannot count towards its quorum.
     */
    private long nextId = java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 62);

    static Behavior<Command> create(String self, KvStore store, KvSettings settings, KvMetrics metrics,
                                    java.util.function.Consumer<ActorRef<OwnershipChanged>> subscribeOwnership,
                                    java.util.function.Consumer<ActorRef<MembershipEvent>> subscribeMembers) {
        return create(self, store, settings, metrics, subscribeOwnership, subscribeMembers,
                settings.partitionMode() == PartitionMode.MAJORITY ? MajorityWrites.load(null) : null, StoreHealth.NONE, null);
    }

    /**
     * @param majority the majority rule (with its saved reference) in {@code partition-mode = majority}, else null
     * @param health   told when the store stops and starts taking writes
     * @param recovery the store's recovery status, asked until an epoch is complete everywhere (majority
     *                 mode); null: every epoch counts as complete at once (tests that drive the actor alone)
     */
    static Behavior<Command> create(String self, KvStore store, KvSettings settings, KvMetrics metrics,
                                    java.util.function.Consumer<ActorRef<OwnershipChanged>> subscribeOwnership,
                                    java.util.function.Consumer<ActorRef<MembershipEvent>> subscribeMembers,
                                    MajorityWrites majority, StoreHealth health,
                                    java.util.function.Supplier<java.util.concurrent.CompletionStage<dev.grapevine.api.RecoveryStatus>> recovery) {
        KvView view = new KvView(); // outside setup: each life after a failure starts from the last one's
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            subscribeOwnership.accept(ctx.messageAdapter(OwnershipChanged.class, OwnershipUpdate::new));
            subscribeMembers.accept(ctx.messageAdapter(MembershipEvent.class, MemberUpdate::new));
            timers.startTimerWithFixedDelay(ReplayHints.INSTANCE, settings.hintReplayInterval());
            return new KvActor(ctx, self, store, settings, metrics, timers, view, majority, health, recovery);
        }));
    }

    private KvActor(ActorContext<Command> ctx, String self, KvStore store, KvSettings settings, KvMetrics metrics,
                    TimerScheduler<Command> timers, KvView view, MajorityWrites majority, StoreHealth health,
                    java.util.function.Supplier<java.util.concurrent.CompletionStage<dev.grapevine.api.RecoveryStatus>> recovery) {
        super(ctx);
        this.view = view;
        this.addresses = view.addresses;
        this.statuses = view.statuses;
        this.systems = view.systems;
        this.map = view.map;
        this.recovery = recovery;
        this.majority = majority;
        this.health = health;
        this.self = self;
        this.store = store;
        this.settings = settings;
        this.metrics = metrics;
        this.timers = timers;
        this.hlc = new Hlc(settings.maxClockAhead().toMillis());
        this.selfRef = ctx.getSelf().narrow();
        this.warnings = new CountedWarnings(GrapevineLogs.logger(GrapevineLogs.KV), self, 60_000,
                () -> System.nanoTime() / 1_000_000);
        noticeDisk(); // a restart by the supervisor: the store may have failed before
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Put.class, this::onPut)
                .onMessage(Get.class, g -> read(g.key(), false, g.replyTo(), null))
                .onMessage(GetReplicas.class, g -> read(g.key(), true, null, g.replyTo()))
                .onMessage(KvMessage.ReplicaWrite.class, this::onReplicaWrite)
                .onMessage(KvMessage.ReplicaRead.class, this::onReplicaRead)
                .onMessage(KvMessage.WriteAck.class, a -> withRequest(a.id(), r -> r.onAck(a.node())))
                .onMessage(KvMessage.ReadReply.class, this::onReadReply)
                .onMessage(RequestTimeout.class, t -> withRequest(t.id(), KvRequest::onTimeout))
                .onMessageEquals(Flush.INSTANCE, this::onFlush)
                .onMessageEquals(ReplayHints.INSTANCE, this::onReplayHints)
                .onSignal(org.apache.pekko.actor.typed.PreRestart.class, r -> onPreRestart())
                .onMessageEquals(RetryDisk.INSTANCE, this::onRetryDisk)
                .onMessage(EpochStanding.class, this::onEpochStanding)
                .onMessage(OwnershipUpdate.class, o -> {
                    map = o.change().map();
                    view.map = map;
                    onEpoch(o.change());
                    o.change().map().members().forEach(m -> o.change().map().addressOf(m).ifPresent(a -> addresses.putIfAbsent(m, a)));
                    return this;
                })
                .onMessage(MemberUpdate.class, m -> {
                    String name = m.event().member().name();
                    String address = m.event().member().address();
                    if (!address.equals(addresses.put(name, address))) {
                        peers.remove(name); // a new endpoint: resolve it again
                    }
                    String system = m.event().member().systemName().orElse(null);
                    if (system != null && !system.equals(systems.put(name, system))) {
                        peers.remove(name); // another system name (a restart under a new one): resolve it again
                    }
                    statuses.put(name, m.event().member().status());
                    if (m.event().member().status() != MemberStatus.LEFT) {
                        leftHintsLogged.remove(name); // back: should it leave again, say so again
                    }
                    return this;
                })
                .build();
    }

    // ---------------------------------------------------------------- coordinator

    private Behavior<Command> onPut(Put p) {
        metrics.writes.increment();
        String error = KvRequest.checkKey(p.key());
        if (error == null && p.value() != null && p.value().length > KvRecord.VALUE_BYTES_MAX) {
            error = "the value takes " + p.value().length + " bytes; the limit is " + KvRecord.VALUE_BYTES_MAX;
        }
        if (error == null && map == null) {
            error = "this node has no ownership yet (its first recovery epoch has not settled)";
        }
        if (error == null && majority != null) {
            String refusal = majority.refusal(liveMembers());
            if (refusal != null) {
                metrics.writesRefusedMinority.increment();
                warnings.count("kv_writes_refused_minority", 1, "writes refused on the minority side of a partition",
                        "kv.partition-mode = majority; they resume once this node sees a majority again", refusal);
                error = MINORITY_REFUSAL + refusal;
            }
        }
        noticeDisk();
        if (error == null && store.unwritable() != null) {
            // Its own copy would not be durable, and neither would a hint it keeps for another owner.
            error = DISK_REFUSAL + store.unwritable() + "); write through another node, or free space (writes resume by themselves)";
        }
        if (error != null) {
            metrics.writesFailed.increment();
            p.replyTo().tell(new WriteResult(p.key(), 0, error));
            return this;
        }
        int partition = map.partitionOf(p.key());
        if (map.owners(partition).size() < settings.writeQuorum()) {
            metrics.writesFailed.increment();
            p.replyTo().tell(new WriteResult(p.key(), 0, "only " + map.owners(partition).size() + " owners are live for this key; "
                    + "the write quorum is " + settings.writeQuorum()));
            return this;
        }
        long ts = hlc.now(System.currentTimeMillis());
        KvRecord record = p.value() == null ? KvRecord.delete(ts, self) : KvRecord.put(ts, self, p.value());
        KvRequest.Write w = new KvRequest.Write(this, nextId++, p.key(), partition, record, map.owners(partition),
                settings.writeQuorum(), p.replyTo(), null);
        start(w);
        for (String owner : w.owners()) {
            sendWrite(w.id(), owner, partition, p.key(), record);
        }
        return this;
    }

    /** This node and the members it sees alive: what the majority rule counts. */
    private java.util.Set<String> liveMembers() {
        java.util.Set<String> live = new java.util.TreeSet<>();
        live.add(self);
        statuses.forEach((name, status) -> {
            if (status == MemberStatus.ALIVE) {
                live.add(name); // a suspect is one this node cannot reach now: on the other side, as far as it knows
            }
        });
        return live;
    }

    /**
     * A new epoch of the store's domain: offered to the majority rule once it is complete everywhere
     * (see {@link #unsettled}); meanwhile writes are checked against the reference as it stands.
     */
    private void onEpoch(OwnershipChanged change) {
        if (majority == null) {
            return;
        }
        unsettled = change;
        try {
            majority.onEpoch(change.map().members()); // a node's first epoch is its reference at once
        } catch (java.io.UncheckedIOException e) {
            warnings.count("kv_majority_reference_unsaved", 1, "majority references not saved",
                    "it holds in memory; a restart counts against the one saved before", e.getMessage());
        }
        String refused = majority.refusal(change.map().members());
        if (refused != null && !refused.equals(epochRefused)) {
            GrapevineLogs.asNode(self, () -> GrapevineLogs.logger(GrapevineLogs.KV).warn(
                    "recovery epoch {} is not a majority: this node refuses writes until it sees one again: {}", change.epoch(), refused));
        } else if (refused == null && epochRefused != null) {
            GrapevineLogs.asNode(self, () -> GrapevineLogs.logger(GrapevineLogs.KV).info(
                    "recovery epoch {} holds a majority of {}: this node takes writes again", change.epoch(), majority.reference()));
        }
        epochRefused = refused;
        if (recovery == null) {
            admit(change);
        } else {
            askRecovery();
        }
    }

    /** Asks how the unsettled epoch stands, one question at a time (again at each hint replay tick). */
    private void askRecovery() {
        if (unsettled == null || recovery == null || askingRecovery) {
            return;
        }
        askingRecovery = true;
        getContext().pipeToSelf(recovery.get(), (status, error) -> new EpochStanding(error == null ? status : null));
    }

    private Behavior<Command> onEpochStanding(EpochStanding s) {
        askingRecovery = false;
        if (unsettled != null && s.status() != null && s.status().complete() && unsettled.epoch().equals(s.status().epoch())) {
            admit(unsettled);
        }
        return this;
    }

    /** Offers a complete epoch to the majority rule: admitted (and saved as the reference) if it holds a majority. */
    private void admit(OwnershipChanged epoch) {
        unsettled = null;
        try {
            majority.onEpochComplete(epoch.map().members());
        } catch (java.io.UncheckedIOException e) {
            warnings.count("kv_majority_reference_unsaved", 1, "majority references not saved",
                    "it holds in memory; a restart counts against the one saved before", e.getMessage());
        }
    }

    private Behavior<Command> read(String key, boolean allReplicas, ActorRef<ReadResult> replyTo, ActorRef<ReplicasResult> replicasTo) {
        String error = KvRequest.checkKey(key);
        if (error == null && map == null) {
            error = "this node has no ownership yet (its first recovery epoch has not settled)";
        }
        if (error != null) {
            if (replyTo != null) {
                replyTo.tell(new ReadResult(key, null, 0, error));
            } else {
                replicasTo.tell(new ReplicasResult(key, -1, List.of(), error));
            }
            return this;
        }
        metrics.reads.increment();
        int partition = map.partitionOf(key);
        if (!allReplicas && map.owners(partition).size() < settings.readQuorum()) {
            metrics.readsFailed.increment();
            replyTo.tell(new ReadResult(key, null, 0, "only " + map.owners(partition).size() + " owners are live for this key; "
                    + "the read quorum is " + settings.readQuorum()));
            return this;
        }
        KvRequest.Read r = new KvRequest.Read(this, nextId++, key, partition, map.owners(partition),
                allReplicas ? map.owners(partition).size() : settings.readQuorum(), replyTo, replicasTo);
        start(r);
        for (String owner : r.owners()) {
            if (owner.equals(self)) {
                KvRecord mine = store.get(partition, key);
                observe(mine);
                r.onReply(self, mine);
            } else {
                peer(owner).ifPresent(p -> p.tell(new KvMessage.ReplicaRead(r.id(), partition, key, selfRef)));
            }
        }
        return this;
    }

    /**
     * This actor failed and is restarted: its next life knows none of the requests of this one. Writes
     * applied here and waiting for their shared commit are committed and acknowledged now; every
     * request still open is answered with an error rather than left to the client's timeout, and a
     * write's owners that did not acknowledge get a hint. The next life subscribes again and is told
     * the current epoch and members at once.
     */
    private Behavior<Command> onPreRestart() {
        if (!afterCommit.isEmpty()) {
            try {
                onFlush();
            } catch (RuntimeException e) {
                GrapevineLogs.asNode(self, () -> GrapevineLogs.logger(GrapevineLogs.KV).error(
                        "{} writes waiting for a commit were not acknowledged as the key-value actor restarted: {}",
                        afterCommit.size(), e.toString()));
            }
        }
        String why = "the key-value actor of " + self + " failed and restarted";
        for (KvRequest r : new ArrayList<>(requests.values())) {
            try {
                r.onAbandon(why);
            } catch (RuntimeException e) {
                GrapevineLogs.asNode(self, () -> GrapevineLogs.logger(GrapevineLogs.KV).error(
                        "request {} of key {} could not be answered as the key-value actor restarted: {}", r.id(), r.key, e.toString()));
            }
        }
        requests.clear();
        return this;
    }

    private void start(KvRequest r) {
        requests.put(r.id(), r);
        timers.startSingleTimer(r.id(), new RequestTimeout(r.id()), settings.requestTimeout());
    }

    /** Called by a request once it needs nothing more. */
    void finished(KvRequest r) {
        requests.remove(r.id());
        timers.cancel(r.id());
    }

    /** Sends a write to one owner (applied here if it is this node), acknowledged to request {@code id}. */
    void sendWrite(long id, String owner, int partition, String key, KvRecord record) {
        if (owner.equals(self)) {
            try {
                store.apply(partition, key, record);
            } catch (KvStore.Unwritable e) {
                unstored(1, "key " + key + ": " + e.getMessage());
                return; // no ack: the request counts this owner as missing
            }
            // Acknowledged at the commit itself, not by a message to this actor: such a message would
            // queue behind a request timeout already due (after a stall), failing a write that is stored.
            commitThen(() -> withRequest(id, r -> r.onAck(self)));
        } else {
            peer(owner).ifPresent(p -> p.tell(new KvMessage.ReplicaWrite(id, partition, key, record.encode(), selfRef)));
        }
    }

    /**
     * Keeps a write for an owner that did not acknowledge it; counted, and refused when the hint store is full.
     * Never for this node itself: {@link #sendWrite} applied the write to its store already, and only the
     * acknowledgement of the commit that follows was late. Such a hint would never be replayed.
     */
    void hint(String owner, int partition, String key, KvRecord record) {
        if (owner.equals(self)) {
            return;
        }
        boolean kept;
        try {
            kept = store.addHint(owner, partition, key, record);
        } catch (KvStore.Unwritable e) {
            kept = false;
        }
        if (kept) {
            metrics.hintsStored.increment();
        } else {
            warnings.count("kv_hints_dropped", 1, "hints dropped", "the hint store is full (hints-max "
                    + settings.hintsMax() + "); anti-entropy repairs those writes", "key " + key + " for " + owner);
        }
    }

    String self() {
        return self;
    }

    KvMetrics metrics() {
        return metrics;
    }

    String statusOf(String node) {
        MemberStatus s = statuses.get(node);
        return s == null ? "unknown" : s.name().toLowerCase(java.util.Locale.ROOT);
    }

    private java.util.Optional<ActorRef<KvMessage>> peer(String name) {
        ActorRef<KvMessage> ref = peers.get(name);
        if (ref == null) {
            String address = addresses.get(name);
            if (address == null) {
                return java.util.Optional.empty(); // unknown endpoint: the request times out, and a write is hinted
            }
            String host = address.substring(0, address.lastIndexOf(':'));
            String port = address.substring(address.lastIndexOf(':') + 1);
            if (resolver == null) {
                resolver = ActorRefResolver.get(getContext().getSystem());
            }
            String system = systems.getOrDefault(name, dev.grapevine.api.Names.DEFAULT_SYSTEM_NAME);
            ref = resolver.resolveActorRef("pekko://" + system + "@"
                    + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + "/system/" + NAME);
            peers.put(name, ref);
        }
        return java.util.Optional.of(ref);
    }

    private Behavior<Command> onReadReply(KvMessage.ReadReply r) {
        KvRecord record;
        try {
            record = r.record() == null ? null : KvRecord.decode(r.record());
        } catch (IllegalArgumentException e) {
            warnings.count("kv_bad_read_replies", 1, "malformed read replies ignored", null, "from " + r.node() + ": " + e.getMessage());
            return this;
        }
        observe(record);
        return withRequest(r.id(), q -> q.onReply(r.node(), record));
    }

    /**
     * A later write through this node must stamp above what it has read, so causal order survives
     * clocks that differ between nodes. A version stamped too far ahead is read but not followed.
     */
    private void observe(KvRecord record) {
        if (record == null) {
            return;
        }
        try {
            hlc.observe(record.hlc(), System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            warnings.count("kv_clock_ahead", 1, "versions stamped too far ahead read but not followed", "beyond max-clock-ahead",
                    "written by " + record.writer() + ": " + e.getMessage());
        }
    }

    private Behavior<Command> withRequest(long id, java.util.function.Consumer<KvRequest> step) {
        KvRequest r = requests.get(id);
        if (r != null) {
            step.accept(r);
        }
        return this;
    }

    // ---------------------------------------------------------------- replica

    /**
     * Whether a replica request answered at {@code replyTo} comes from this node or from a live member
     * of its view (by the endpoint of the reply address); else it is counted, warned of and dropped:
     * only owners' coordinators write replicas.
     */
    private boolean fromLiveMember(ActorRef<KvMessage> replyTo, String what, String key) {
        if (replyTo == null) {
            return false;
        }
        org.apache.pekko.actor.Address a = replyTo.path().address();
        if (a.getHost().isEmpty() || a.getPort().isEmpty()) {
            return true; // local
        }
        String host = a.getHost().get();
        String endpoint = (host.startsWith("[") || host.indexOf(':') < 0 ? host : "[" + host + "]") + ":" + a.getPort().get();
        for (Map.Entry<String, String> e : addresses.entrySet()) {
            if (e.getValue().equals(endpoint) || e.getValue().equals(host + ":" + a.getPort().get())) {
                MemberStatus status = statuses.get(e.getKey());
                if (status == null || status == MemberStatus.ALIVE || status == MemberStatus.SUSPECT) {
                    return true; // known from the ownership map (live) or alive/suspect in the view
                }
            }
        }
        metrics.replicaMessagesFromStrangers.increment();
        warnings.count("kv_replica_messages_from_strangers", 1, "replica messages from non-members dropped",
                "only live members coordinate writes and reads", what + " of key " + key + " from " + a);
        return false;
    }

    private Behavior<Command> onReplicaWrite(KvMessage.ReplicaWrite w) {
        if (!fromLiveMember(w.replyTo(), "replica write", w.key())) {
            return this;
        }
        try {
            KvRecord record = KvRecord.decode(w.record());
            hlc.observe(record.hlc(), System.currentTimeMillis());
            store.apply(w.partition(), w.key(), record);
        } catch (KvStore.Unwritable e) {
            unstored(1, "key " + w.key() + ": " + e.getMessage());
            return this; // no ack: the coordinator keeps a hint and hands it off once the disk takes writes
        } catch (IllegalArgumentException e) {
            warnings.count("kv_replica_writes_refused", 1, "replica writes refused", "the coordinator counts them as missing", "key " + w.key() + ": " + e.getMessage());
            return this; // no ack: the coordinator counts it as missing
        }
        commitThen(() -> w.replyTo().tell(new KvMessage.WriteAck(w.id(), self)));
        return this;
    }

    private Behavior<Command> onReplicaRead(KvMessage.ReplicaRead r) {
        if (!fromLiveMember(r.replyTo(), "replica read", r.key())) {
            return this;
        }
        try {
            KvRecord record = store.get(r.partition(), r.key());
            r.replyTo().tell(new KvMessage.ReadReply(r.id(), self, record == null ? null : record.encode()));
        } catch (IllegalArgumentException e) {
            // The coordinator times out.
            warnings.count("kv_replica_reads_refused", 1, "replica reads refused", "the coordinator times out", "key " + r.key() + ": " + e.getMessage());
        }
        return this;
    }

    /**
     * Group commit: writes within {@link #COMMIT_EVERY} of the first share one commit (each commit
     * writes a chunk of the file, about 20 KB, so a commit per write would cost far more disk).
     */
    private void commitThen(Runnable ack) {
        if (afterCommit.isEmpty()) {
            timers.startSingleTimer(Flush.INSTANCE, COMMIT_EVERY);
        }
        afterCommit.add(ack);
        if (afterCommit.size() >= COMMIT_BATCH_MAX) {
            timers.cancel(Flush.INSTANCE);
            onFlush();
        }
    }

    private Behavior<Command> onFlush() {
        List<Runnable> acks = new ArrayList<>(afterCommit);
        afterCommit.clear();
        boolean wasUnwritable = store.unwritable() != null;
        try {
            store.commit();
        } catch (KvStore.Unwritable e) {
            // Not durable, so not acknowledged: coordinators count these owners as missing and keep hints.
            unstored(acks.size(), e.getMessage());
            return this;
        }
        if (wasUnwritable) {
            diskBack();
        }
        acks.forEach(Runnable::run);
        return this;
    }

    private void diskBack() {
        timers.cancel(RetryDisk.INSTANCE);
        boolean reported = diskFailed;
        diskFailed = false;
        diskRetry.reset();
        GrapevineLogs.asNode(self, () -> GrapevineLogs.logger(GrapevineLogs.KV).info(
                "the key-value store's disk takes writes again; this node coordinates writes again"
                        + (reported ? " and repairs the writes it missed" : "")));
        if (reported) {
            health.available(); // recovery compares every partition it owns with its co-owners
        }
    }

    /**
     * If the store's disk refused a commit (here, or in a repair's apply), tells recovery this node
     * cannot hold its data, and starts trying the disk again on a backoff timer: a freed disk is
     * noticed without waiting for a request.
     */
    private void noticeDisk() {
        String reason = store.unwritable();
        if (reason == null || diskFailed) {
            return;
        }
        diskFailed = true;
        diskRetry.reset();
        timers.startSingleTimer(RetryDisk.INSTANCE, diskRetry.next());
        health.unavailable("the key-value store cannot write to its disk: " + reason);
        GrapevineLogs.asNode(self, () -> GrapevineLogs.logger(GrapevineLogs.KV).warn(
                "the key-value store's disk refused a commit ({}): this node refuses the writes it coordinates, its "
                        + "partitions count as pending, and it tries the disk again every {} s at most", reason, DiskRetry.MAX.toSeconds()));
    }

    private Behavior<Command> onRetryDisk() {
        if (!diskFailed) {
            return this;
        }
        if (store.unwritable() == null || store.checkWritable()) {
            diskBack();
        } else {
            timers.startSingleTimer(RetryDisk.INSTANCE, diskRetry.next());
        }
        return this;
    }

    /** A write this replica could not make durable: counted, one WARN a minute, never acknowledged. */
    private void unstored(int writes, String what) {
        noticeDisk();
        metrics.writesUnstored.add(writes);
        warnings.count("kv_writes_unstored", writes, "writes not stored on this node's disk",
                "they were not acknowledged; /health/ready says not ready until a commit succeeds again", what);
    }

    // ---------------------------------------------------------------- hinted handoff

    private Behavior<Command> onReplayHints() {
        warnings.flush();
        noticeDisk(); // a repair's apply may have met the full disk: the retry timer takes it from there
        askRecovery();
        long now = System.currentTimeMillis();
        for (String target : store.hintTargets()) {
            if (replaysInFlight.getOrDefault(target, 0) > 0) {
                continue;
            }
            List<KvStore.Hint> batch = new ArrayList<>(store.hintsFor(target, settings.hintReplayBatch()));
            if (statuses.get(target) == MemberStatus.LEFT) {
                dropForLeft(target, batch);
                continue;
            }
            expire(batch, now);
            if (target.equals(self)) {
                dropForSelf(batch);
                continue;
            }
            if (batch.isEmpty() || statuses.get(target) != MemberStatus.ALIVE) {
                continue;
            }
            replaysInFlight.put(target, batch.size());
            for (KvStore.Hint h : batch) {
                KvRequest.Write w = new KvRequest.Write(this, nextId++, h.key(), h.partition(), h.record(), List.of(target),
                        1, null, h);
                start(w);
                sendWrite(w.id(), target, h.partition(), h.key(), h.record());
            }
        }
        return this;
    }

    /**
     * Drops (and counts) the hints of {@code batch}, oldest first, written longer than
     * {@code hint-window} ago: an owner away that long is repaired by anti-entropy, as in Cassandra.
     */
    private void expire(List<KvStore.Hint> batch, long nowMillis) {
        List<KvStore.Hint> old = new ArrayList<>();
        for (KvStore.Hint h : batch) {
            if (nowMillis - Hlc.physicalMillis(h.record().hlc()) <= settings.hintWindow().toMillis()) {
                break;
            }
            old.add(h);
        }
        if (!old.isEmpty()) {
            store.removeHints(old);
            batch.removeAll(old);
            metrics.hintsExpired.add(old.size());
            warnings.count("kv_hints_expired", old.size(), "hints dropped", "older than the hint window ("
                    + settings.hintWindow() + "); anti-entropy repairs those writes", "for " + old.get(0).target());
        }
    }

    /**
     * Drops (and counts) a batch of hints for a member that left, gracefully or by force-leave: it will
     * never take them. If it comes back it is a new life, which recovery syncs whole; if it was
     * force-left while alive and refutes, anti-entropy repairs what the hints held. A batch a replay
     * tick, logged once per member.
     */
    private void dropForLeft(String target, List<KvStore.Hint> batch) {
        store.removeHints(batch);
        metrics.hintsDroppedLeft.add(batch.size());
        if (leftHintsLogged.add(target)) {
            GrapevineLogs.logger(GrapevineLogs.KV).info("dropping the hints for {}: it left the cluster", target);
        }
    }

    /**
     * Hints for this node itself, kept by earlier versions when a write's own commit was acknowledged
     * after its request timed out: dropped, as handed off. The write was applied to this same store
     * before its hint was kept, so it is durable whenever the hint is (and if its partition moved
     * since, it went with the partition: applying it again would bring back a partition not owned).
     */
    private void dropForSelf(List<KvStore.Hint> batch) {
        store.removeHints(batch);
        metrics.hintsReplayed.add(batch.size());
    }

    /** A replayed hint was acknowledged (or not): the hint goes only when its owner has it. */
    void hintReplayed(KvStore.Hint hint, boolean acked) {
        replaysInFlight.merge(hint.target(), -1, Integer::sum);
        if (acked) {
            store.removeHints(List.of(hint));
            metrics.hintsReplayed.increment();
        }
    }
}
