package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.NameIndex;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the guardian gives its children: the validated settings, this node's epochs, and the origin
 * of its monotonic clock. Each child builds its own core component from it.
 */
final class NodeContext {
    private final NodeSettings settings;
    private final AtomicLong lastEpoch;
    private final long firstEpoch;
    private final List<Address> joinTargets;
    private final long originNanos;
    private final Subscribers subscribers = new Subscribers();
    private final NodeMetrics metrics;
    private final DataDir dataDir;
    /** Domains whose data recovery repairs, by name; registered through the API, read by the repair actor. */
    private final java.util.concurrent.ConcurrentSkipListMap<String, dev.grapevine.spi.Recoverable> domains =
            new java.util.concurrent.ConcurrentSkipListMap<>();
    /** The last recovery epoch finished in this process, so a restarted coordinator plans from it. */
    private final java.util.concurrent.atomic.AtomicReference<java.util.Map<String, Long>> lastRecoveryEpoch;
    private final RepairCounters repairCounters = new RepairCounters();
    private final PeerUids peerUids = new PeerUids();
    private final RoleRefs roleRefs = new RoleRefs();
    private final PeerSystems peerSystems;
    /** Tag changes made at run time, over the configured tags (see {@link RuntimeTags}); read once at start. */
    private final java.util.concurrent.atomic.AtomicReference<RuntimeTags> runtimeTags;
    private final DroppedInputs droppedInputs;
    private final UnavailableDomains unavailableDomains = new UnavailableDomains();

    /**
     * @param firstEpoch this process's first epoch, already recorded in the data dir if there is one
     * @param dataDir    where epochs and peers are kept, or null
     * @param systemName the name of the node's actor system, which peers must address it under
     */
    NodeContext(NodeSettings settings, long firstEpoch, long originNanos, DataDir dataDir, NodeMetrics metrics,
                String systemName) {
        this.peerSystems = new PeerSystems(systemName, dev.grapevine.core.node.SystemNameTag.DEFAULT, settings.seedSystems());
        this.metrics = metrics;
        this.joinTargets = joinTargets(settings, dataDir);
        this.settings = settings;
        this.dataDir = dataDir;
        this.lastEpoch = new AtomicLong(firstEpoch - 1);
        this.firstEpoch = firstEpoch;
        this.originNanos = originNanos;
        this.droppedInputs = new DroppedInputs(settings.name(), originNanos);
        this.lastRecoveryEpoch = new java.util.concurrent.atomic.AtomicReference<>(
                dataDir == null ? null : dataDir.lastRecoveryEpoch());
        this.runtimeTags = new java.util.concurrent.atomic.AtomicReference<>(
                dataDir == null ? RuntimeTags.NONE : dataDir.runtimeTags());
    }

    RuntimeTags runtimeTags() {
        return runtimeTags.get();
    }

    /**
     * Records tag changes for later lives of this node: in the data dir first, if there is one.
     *
     * @return whether they were written to disk
     * @throws java.io.UncheckedIOException if the data dir cannot be written; nothing changed then
     */
    boolean recordRuntimeTags(RuntimeTags tags) {
        if (dataDir != null) {
            dataDir.saveRuntimeTags(tags);
        }
        runtimeTags.set(tags);
        return dataDir != null;
    }

    /**
     * The tags a new life starts with: the configured ones, with the run-time changes over them, and
     * the node's actor system name, under which its peers reach it.
     */
    private java.util.Map<String, String> startTags() {
        java.util.Map<String, String> tags = runtimeTags.get().over(settings.tags());
        tags.put(dev.grapevine.core.node.SystemNameTag.KEY, peerSystems.own());
        return tags;
    }

    java.util.concurrent.ConcurrentSkipListMap<String, dev.grapevine.spi.Recoverable> domains() {
        return domains;
    }

    /** Set once this node begins to leave: from then on it advertises no domain (see {@code Decommission}). */
    private final java.util.concurrent.atomic.AtomicBoolean decommissioning = new java.util.concurrent.atomic.AtomicBoolean();

    /** Marks this node as leaving; true if it was not already. */
    boolean startDecommission() {
        return decommissioning.compareAndSet(false, true);
    }

    boolean decommissioning() {
        return decommissioning.get();
    }

    /**
     * The domains this node tells the others it runs: none once it is leaving, so that they compute
     * ownership without it (its LEAVING state) while it hands its data to them.
     */
    java.util.Set<String> advertisedDomains() {
        return decommissioning.get() ? java.util.Set.of() : domains.keySet();
    }

    /** Domains that said they cannot hold their data now, with why. */
    UnavailableDomains unavailableDomains() {
        return unavailableDomains;
    }

    RepairCounters repairCounters() {
        return repairCounters;
    }

    java.util.Map<String, Long> lastRecoveryEpoch() {
        return lastRecoveryEpoch.get();
    }

    void recordRecoveryEpoch(java.util.Map<String, Long> lives) {
        lastRecoveryEpoch.set(java.util.Map.copyOf(lives));
        if (dataDir != null) {
            dataDir.saveRecoveryEpoch(lives);
        }
    }

    /** Where this node's actors report what they refused or dropped, for the rate-limited WARN lines. */
    DroppedInputs droppedInputs() {
        return droppedInputs;
    }

    NodeSettings settings() {
        return settings;
    }

    long originNanos() {
        return originNanos;
    }

    NodeMetrics metrics() {
        return metrics;
    }

    /** Who hears of membership changes and user events; kept here so a membership restart keeps them. */
    Subscribers subscribers() {
        return subscribers;
    }

    /** The uids of peers' actors, shared by this node's actors (see {@link PeerUids}). */
    /** The role actors, for their signals to each other. */
    RoleRefs roleRefs() {
        return roleRefs;
    }

    PeerUids peerUids() {
        return peerUids;
    }

    /** The system names of peers' actor systems, shared by this node's actors (see {@link PeerSystems}). */
    PeerSystems peerSystems() {
        return peerSystems;
    }

    /** This node's current life: the epoch of the last {@link #newLife()}. */
    long epoch() {
        return lastEpoch.get();
    }

    /**
     * This node as a new life of its name: each call (a start, or membership restarting after a
     * failure) takes an epoch above every earlier one, so the new life supersedes the old everywhere.
     */
    Member newLife() {
        long epoch = lastEpoch.incrementAndGet();
        if (dataDir != null && epoch > firstEpoch) {
            dataDir.recordEpoch(epoch); // a later process must start above this life too
        }
        return Member.alive(settings.name(), settings.address(), epoch, 0, startTags());
    }

    /**
     * This node as the replicas first hold it, at epoch 0: any life membership announces overrides
     * it. The replicas only use the name and address.
     */
    Member placeholder() {
        return Member.alive(settings.name(), settings.address(), 0, 0, startTags());
    }

    /** The data dir, if the node has one. */
    Optional<DataDir> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /**
     * Whom to join: the configured seeds, then the peers this node last knew (a restart rejoins them
     * unprompted), without repeats and without itself.
     */
    List<Address> joinTargets() {
        return joinTargets;
    }

    /** Read once, at start: a bad peers file must not fail membership at every restart. */
    private static List<Address> joinTargets(NodeSettings settings, DataDir dataDir) {
        LinkedHashSet<Address> targets = new LinkedHashSet<>(settings.seeds());
        if (dataDir != null) {
            targets.addAll(dataDir.peers());
        }
        targets.remove(settings.address());
        return List.copyOf(targets);
    }

    /** Each component gets its own index: actors share no mutable state. */
    NameIndex newNameIndex() {
        return new NameIndex();
    }
}
