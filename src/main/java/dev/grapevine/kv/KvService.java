package dev.grapevine.kv;

import dev.grapevine.api.Grapevine;
import dev.grapevine.spi.SupervisionSettings;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The replicated key-value store, Grapevine's reference domain, built only on its public API: a
 * durable store per node ({@code <data-dir>/kv.mv.db}; in memory without a data dir), registered
 * for recovery, and an actor that coordinates requests and serves as a replica.
 */
public final class KvService implements AutoCloseable {
    private final ActorSystem<?> system;
    private final KvStore store;
    private final KvMetrics metrics = new KvMetrics();
    private final ActorRef<KvActor.Command> actor;
    private final KvSettings settings;
    private volatile KvOperation.LatencyObserver latency = (operation, nanos) -> { };

    private KvService(ActorSystem<?> system, Grapevine grapevine, KvSettings settings, String fileSystem) {
        this.system = system;
        this.settings = settings;
        Path file = grapevine.dataDir().map(d -> d.resolve("kv.mv.db")).orElse(null);
        if (file == null) {
            org.slf4j.Logger log = dev.grapevine.log.GrapevineLogs.logger(dev.grapevine.log.GrapevineLogs.KV);
            dev.grapevine.log.GrapevineLogs.asNode(grapevine.name(), () -> log.warn("grapevine.node.data-dir is not set: the "
                    + "key-value store keeps its data in memory, and a crash of this node loses its copies (the other owners keep theirs)"));
        }
        this.store = KvStore.open(file, settings.hintsMax(), fileSystem);
        // Before registering: a node away longer than gc-grace must not offer repair what others purged the tombstones of.
        try {
            metrics.staleKeysDropped.add(TombstonePurge.checkStale(store, settings.tombstoneGc(), settings.staleReplica(),
                    System.currentTimeMillis(), grapevine.name()));
        } catch (StaleReplicaException e) {
            store.close();
            throw e;
        }
        TombstonePurge purge = new TombstonePurge(store, settings.tombstoneGc(), metrics);
        grapevine.registerRecoverable(KvRecoverable.DOMAIN, new KvRecoverable(store, purge));
        system.systemActorOf(TombstonePurge.behavior(purge, TombstonePurge.passEvery(settings.gcGrace()),
                System::currentTimeMillis, grapevine.name()), "grapevine-kv-gc", Props.empty());
        // Loaded once: a restart of the actor by its supervisor keeps counting against the same reference.
        MajorityWrites majority = settings.partitionMode() != PartitionMode.MAJORITY ? null
                : MajorityWrites.load(grapevine.dataDir().map(d -> d.resolve(MajorityWrites.FILE)).orElse(null));
        // Restarted on failure (a disk error, say): a stopped store would leave the node an owner that never answers.
        // Past the restart limit it stops, and KvStopsNode stops the node with it.
        SupervisionSettings supervision = SupervisionSettings.from(system.settings().config());
        this.actor = system.systemActorOf(org.apache.pekko.actor.typed.javadsl.Behaviors.supervise(
                        dev.grapevine.log.ActorFailures.logged(grapevine.name(), "key-value store",
                                KvActor.create(grapevine.name(), store, settings, metrics, a -> grapevine.subscribeOwnership(KvRecoverable.DOMAIN, a),
                                        grapevine::subscribe, majority, health(grapevine), () -> grapevine.recoveryStatus(KvRecoverable.DOMAIN))))
                .onFailure(org.apache.pekko.actor.typed.SupervisorStrategy.restartWithBackoff(
                        SupervisionSettings.BACKOFF_MIN, SupervisionSettings.BACKOFF_MAX, 0.2)
                        .withMaxRestarts(supervision.restartsMax()).withResetBackoffAfter(supervision.restartsWithin())
                        .withLoggingEnabled(false)), KvActor.NAME, Props.empty());
        system.systemActorOf(KvStopsNode.create(grapevine.name(), actor, supervision), KvActor.NAME + "-watch", Props.empty());
        system.getWhenTerminated().thenRun(store::close);
    }

    private static StoreHealth health(Grapevine grapevine) {
        return new StoreHealth() {
            @Override
            public void unavailable(String reason) {
                grapevine.reportUnavailable(KvRecoverable.DOMAIN, reason);
            }

            @Override
            public void available() {
                grapevine.reportAvailable(KvRecoverable.DOMAIN);
            }
        };
    }

    /**
     * The store's library, an optional dependency of the Grapevine artifact: a project that embeds
     * Grapevine and starts the store adds it (the agent has it).
     */
    public static final String STORE_LIBRARY = "com.h2database:h2-mvstore:2.3.232";

    /**
     * Starts the store on this node, with {@code grapevine.kv} and {@code grapevine.recovery} from the system's config.
     *
     * @throws StaleReplicaException if the store was last proven repaired longer ago than gc-grace allows and
     *     {@code grapevine.kv.stale-replica = refuse} (the default)
     */
    public static KvService start(ActorSystem<?> system) {
        return start(system, "");
    }

    /** @param fileSystem an H2 file system prefix for the store's file, for tests that make the disk fail; "" for the disk */
    static KvService start(ActorSystem<?> system, String fileSystem) {
        try {
            // Before KvStore loads: without its library the store stops here with one line, not a NoClassDefFoundError.
            Class.forName("org.h2.mvstore.MVStore", false, KvService.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the key-value store needs " + STORE_LIBRARY + " on the classpath (an "
                    + "optional dependency of dev.grapevine:grapevine: add it to your build)");
        }
        KvSettings settings = KvSettings.from(system.settings().config());
        return new KvService(system, Grapevine.get(system), settings, fileSystem);
    }

    /** Why {@code key} with a value of {@code valueBytes} cannot be stored, or null if it can. */
    public static String check(String key, long valueBytes) {
        String bad = KvRequest.checkKey(key);
        if (bad == null && valueBytes > KvRecord.VALUE_BYTES_MAX) {
            bad = "the value takes " + valueBytes + " bytes; the limit is " + KvRecord.VALUE_BYTES_MAX;
        }
        return bad;
    }

    public CompletionStage<KvActor.WriteResult> put(String key, byte[] value) {
        return timed(KvOperation.PUT, System.nanoTime(), ask(r -> new KvActor.Put(key, value, r)));
    }

    public CompletionStage<KvActor.WriteResult> delete(String key) {
        return timed(KvOperation.DELETE, System.nanoTime(), ask(r -> new KvActor.Put(key, null, r)));
    }

    public CompletionStage<KvActor.ReadResult> get(String key) {
        return timed(KvOperation.GET, System.nanoTime(), ask(r -> new KvActor.Get(key, r)));
    }

    /** From now on tells {@code observer} how long each get, put and delete took (it replaces the one before). */
    public void observeLatency(KvOperation.LatencyObserver observer) {
        this.latency = java.util.Objects.requireNonNull(observer);
    }

    private <R> CompletionStage<R> timed(KvOperation operation, long startNanos, CompletionStage<R> request) {
        request.whenComplete((r, error) -> latency.observe(operation, System.nanoTime() - startNanos));
        return request; // the caller's stage is the ask's own: its failure stays unwrapped
    }

    public CompletionStage<KvActor.ReplicasResult> replicas(String key) {
        return ask(r -> new KvActor.GetReplicas(key, r));
    }

    /** Counters of this node's store: writes, reads, read repairs, hints stored, replayed, pending, dropped. */
    public Map<String, Long> metrics() {
        return metrics.snapshot(store);
    }

    private <R> CompletionStage<R> ask(java.util.function.Function<ActorRef<R>, KvActor.Command> request) {
        // The actor always answers within its request timeout; the margin covers a busy mailbox.
        Duration timeout = settings.requestTimeout().plusSeconds(5);
        return AskPattern.ask(actor, request::apply, timeout, system.scheduler());
    }

    /**
     * Why this node's disk refused the store's last commit ("No space left on device"), or null if it
     * takes writes. Writes this node coordinates are refused meanwhile; it retries by itself.
     */
    public String unwritable() {
        return store.unwritable();
    }

    /** For tests: this node's own copies. */
    KvStore store() {
        return store;
    }

    @Override
    public void close() {
        store.close();
    }
}
