package dev.grapevine.api;

import dev.grapevine.core.member.Address;
import dev.grapevine.runtime.NodeHandle;
import dev.grapevine.spi.Recoverable;
import dev.grapevine.spi.StoreLoad;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Grapevine node of an actor system, and everything domain code needs of it:
 * {@code Grapevine.get(system)} starts the node on first use (from the system's {@code grapevine.*}
 * config; the system must run {@code pekko.actor.provider = remote}) and returns it.
 *
 * <p>All methods are thread-safe and never block; answers come as {@link CompletionStage}s or as
 * messages to the subscribed actors.
 */
public final class Grapevine implements Extension {

    /** How long a request to the local node may take before its stage fails. */
    public static final Duration ASK_TIMEOUT = NodeHandle.ASK_TIMEOUT;

    /** Bytes of tags a user may set: the member limit less room for the node's own (recovery progress). */
    public static final int USER_TAGS_BYTES_MAX = NodeHandle.USER_TAGS_BYTES_MAX;

    private static final ExtensionId<Grapevine> ID = new ExtensionId<>() {
        @Override
        public Grapevine createExtension(ActorSystem<?> system) {
            return new Grapevine(system);
        }
    };

    private final ActorSystem<?> system;
    private final NodeHandle started;

    public static Grapevine get(ActorSystem<?> system) {
        return system.registerExtension(ID);
    }

    private Grapevine(ActorSystem<?> system) {
        this.system = system;
        this.started = NodeHandle.start(system);
    }

    /**
     * This node's counters and gauges by name (probes, suspicions raised, refutations, broadcasts
     * dropped, ...), as its actors published them within the last second.
     */
    public Map<String, Long> metrics() {
        return started.metrics();
    }

    /**
     * Messages and bytes this node sent and received over Artery, by message type: a protocol
     * message by its type ({@code ping}, {@code ack}, {@code push_pull}, ...), a domain's by its domain
     * and type ({@code repair_push}, {@code kv_replica_write}), Pekko's own as {@code other}. The
     * types are a fixed set of at most 64 names; every protocol type is present from the start.
     */
    public Map<String, MessageTraffic> traffic() {
        Map<String, MessageTraffic> out = new java.util.TreeMap<>();
        started.traffic()
                .forEach((type, c) -> out.put(type, new MessageTraffic(c.messagesIn(), c.bytesIn(), c.messagesOut(), c.bytesOut())));
        return out;
    }

    /** How many members of this node's view are in each status (every status present, 0 if none). */
    public CompletionStage<Map<MemberStatus, Integer>> membersByStatus() {
        return members().thenApply(ms -> {
            Map<MemberStatus, Integer> counts = new java.util.EnumMap<>(MemberStatus.class);
            for (MemberStatus s : MemberStatus.values()) {
                counts.put(s, 0);
            }
            ms.forEach(m -> counts.merge(m.status(), 1, Integer::sum));
            return counts;
        });
    }

    /**
     * The endpoints ({@code host:port}) this node set out to join at start: its seeds and, with a data
     * dir, the peers it last knew alive, never itself. Empty for a node that starts a cluster.
     */
    public List<String> joinTargets() {
        return started.joinTargets().stream().map(Object::toString).toList();
    }

    /** This node's name: its identity in the cluster ({@code grapevine.node.name}, or its endpoint). */
    public String name() {
        return started.name();
    }

    /** The name of this node's cluster ({@code grapevine.cluster-name}): it admits no node of another. */
    public String clusterName() {
        return system.settings().config().getString("grapevine.cluster-name");
    }

    /** This node's endpoint, {@code host:port}. */
    public String address() {
        return NodeHandle.endpoint(system).toString();
    }

    /** This node's view: every member it knows, dead and left ones included, in a stable order. */
    public CompletionStage<List<Member>> members() {
        return started.members()
                .thenApply(list -> list.stream().map(Member::of).toList());
    }

    /** Sends {@code subscriber} the current view, then every membership change, until it unsubscribes. */
    public void subscribe(ActorRef<MembershipEvent> subscriber) {
        started.subscribeMembers(subscriber, e -> subscriber.tell(MembershipEvent.of(e)));
    }

    /** Sends {@code subscriber} every user event this node delivers from now on. */
    public void subscribeUserEvents(ActorRef<UserEvent> subscriber) {
        started.subscribeUserEvents(subscriber, e -> subscriber.tell(UserEvent.of(e)));
    }

    /** Sends {@code subscriber} the current set of live members, then every new version of it. */
    public void subscribeLiveMembers(ActorRef<LiveMembers> subscriber) {
        started.subscribeLiveMembers(subscriber,
                s -> subscriber.tell(new LiveMembers(s.version(), s.live())));
    }

    /**
     * Makes a domain recoverable: from now on, every recovery epoch repairs its partitions between
     * their owners (see {@link Recoverable}). The node advertises the domains it runs, and a domain's
     * partitions are owned only by the live members that run it; registering one later starts a new
     * epoch of it on every node.
     *
     * @param domain a short name, the same on every node
     */
    public void registerRecoverable(String domain, Recoverable recoverable) {
        if (domain == null || domain.isBlank() || domain.length() > 64) {
            throw new IllegalArgumentException("a domain name is 1..64 characters, but was '" + domain + "'");
        }
        java.util.Set<String> domains = new java.util.TreeSet<>(started.domains().keySet());
        domains.add(domain);
        String problem = dev.grapevine.core.node.DomainsTag.problem(domains);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Recoverable before = started.domains().putIfAbsent(domain, java.util.Objects.requireNonNull(recoverable));
        if (before != null && before != recoverable) {
            throw new IllegalArgumentException("domain '" + domain + "' is registered already");
        }
        started.publishDomains(); // owners of a domain are its runners: say we run it
    }

    /**
     * Sends {@code subscriber} the current ownership (once the first epoch settled), then every new
     * epoch's: the partition map, and what this node gained and lost; of every domain this node runs.
     */
    public void subscribeOwnership(ActorRef<OwnershipChanged> subscriber) {
        subscribeOwnership(null, subscriber);
    }

    /**
     * As {@link #subscribeOwnership(ActorRef)}, for one domain's epochs only (null: every domain's): its
     * partitions are owned by the live members that registered it, so a store places its replicas by this.
     */
    public void subscribeOwnership(String domain, ActorRef<OwnershipChanged> subscriber) {
        started.subscribeOwnership(subscriber, domain,
                (epoch, ownership, addresses, owned, gained, lost) -> subscriber.tell(new OwnershipChanged(epoch,
                        new PartitionMap(ownership, addresses), owned, gained, lost)));
    }

    /**
     * The cluster's recovery as this node sees it: the epoch, whether it is complete everywhere, what is
     * pending; of the first domain (by name) this node runs.
     */
    public CompletionStage<RecoveryStatus> recoveryStatus() {
        return recoveryStatus(null);
    }

    /** As {@link #recoveryStatus()}, of {@code domain}: complete among the live members that run it. */
    public CompletionStage<RecoveryStatus> recoveryStatus(String domain) {
        return started.recoveryStatus(domain)
                .thenApply(this::toStatus);
    }

    /**
     * Starts a round of anti-entropy on this node now: every partition it owns is compared with its
     * co-owners (as Cassandra's {@code nodetool repair}); progress shows as {@code routine_pending}.
     */
    public void repairNow() {
        started.repairNow();
    }

    /**
     * Tells recovery that this node cannot hold {@code domain}'s data now (its store's disk refuses
     * writes, say), with the reason: until {@link #reportAvailable}, this node reports every partition
     * of the domain it owns as pending, so no one counts its recovery complete (nor drops a partition
     * handed to it), and {@code /health/ready} names the reason. Repeating it changes nothing.
     */
    public void reportUnavailable(String domain, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason is needed: it is what operators read");
        }
        started.reportAvailability(java.util.Objects.requireNonNull(domain, "domain"), reason);
    }

    /**
     * {@code domain} holds its data again, after {@link #reportUnavailable}: recovery compares every
     * partition it owns here with each co-owner, so the writes missed meanwhile arrive, and counts them
     * pending until they did.
     */
    public void reportAvailable(String domain) {
        started.reportAvailability(java.util.Objects.requireNonNull(domain, "domain"), null);
    }

    /** The domains that said they cannot hold their data now ({@link #reportUnavailable}), with why; by name. */
    public Map<String, String> unavailableDomains() {
        return new java.util.TreeMap<>(started.unavailableDomains());
    }

    private RecoveryStatus toStatus(dev.grapevine.core.recovery.RecoveryCoordinator.Status s) {
        Map<String, RecoveryStatus.NodeProgress> nodes = new java.util.TreeMap<>();
        s.nodes().forEach((name, p) -> nodes.put(name, p == null ? null : new RecoveryStatus.NodeProgress(p.epoch(), p.pending(), p.failed())));
        Map<String, Long> local = new java.util.LinkedHashMap<>();
        local.put("pending", s.local() == null ? 0L : s.local().pending());
        local.put("failed", s.local() == null ? 0L : s.local().failed());
        local.put("running", (long) s.running());
        local.put("routine_pending", (long) s.routinePending());
        local.put("partitions_owned", (long) s.partitionsOwned());
        local.put("syncs_done", s.syncsDone());
        local.put("syncs_failed", s.syncsFailed());
        local.put("epochs_started", s.epochsStarted());
        started.metrics().forEach((k, v) -> {
            if (k.startsWith("repair_")) {
                local.put(k, v);
            }
        });
        PartitionMap map = s.ownership() == null ? null : new PartitionMap(s.ownership(), Map.of());
        return new RecoveryStatus(s.epoch(), s.members(), s.completeEverywhere(), s.partitionsPending(), nodes, local, map, s.domain(),
                s.catchingUpFrom());
    }

    /** The node's data dir ({@code grapevine.node.data-dir}), where domains may keep their own files. */
    public java.util.Optional<java.nio.file.Path> dataDir() {
        return started.dataDir();
    }

    public void unsubscribe(ActorRef<?> subscriber) {
        started.unsubscribe(subscriber);
    }

    /**
     * Sends a user event to every member, this one included. Fails with an
     * {@link IllegalArgumentException} naming the limit if name and payload are too large.
     */
    public CompletionStage<UserEvent> sendUserEvent(String name, byte[] payload) {
        try {
            Names.checkEventName(name);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return started.emit(name, payload.clone())
                .thenApply(UserEvent::of);
    }

    /**
     * Publishes new tags for this node (they replace the old ones). At most {@value #USER_TAGS_BYTES_MAX}
     * bytes in all; keys starting with {@code grapevine.} are the node's own.
     */
    public void setTags(Map<String, String> tags) {
        int bytes = dev.grapevine.core.member.Member.tagsBytes(tags); // checked here, not in the actor
        if (bytes > USER_TAGS_BYTES_MAX) {
            throw new IllegalArgumentException("tags take " + bytes + " bytes; the limit is " + USER_TAGS_BYTES_MAX);
        }
        for (String key : tags.keySet()) {
            if (key.startsWith(dev.grapevine.core.node.Membership.RESERVED_TAG_PREFIX)) {
                throw new IllegalArgumentException("tag keys starting with '"
                        + dev.grapevine.core.node.Membership.RESERVED_TAG_PREFIX + "' are reserved: " + key);
            }
        }
        started.setTags(Map.copyOf(tags));
    }

    /**
     * Changes this node's tags: sets {@code set}, removes {@code delete}, keeps the rest. With a data
     * dir the change is written there first, and survives restarts: on start the recorded changes
     * apply over the configured tags ({@code grapevine.node.tags}) for the keys they name, deletions
     * included. Without one it applies until the process ends.
     *
     * @throws IllegalArgumentException (at once) for a bad or reserved key; the stage fails with one
     *                                  if the resulting tags exceed {@value #USER_TAGS_BYTES_MAX} bytes
     */
    public CompletionStage<TagsChange> updateTags(Map<String, String> set, java.util.Collection<String> delete) {
        set.keySet().forEach(Names::checkTagKey);
        delete.forEach(Names::checkTagKey);
        int bytes = dev.grapevine.core.member.Member.tagsBytes(set);
        if (bytes > USER_TAGS_BYTES_MAX) {
            throw new IllegalArgumentException("tags take " + bytes + " bytes; the limit is " + USER_TAGS_BYTES_MAX);
        }
        return started.updateTags(Map.copyOf(set), java.util.Set.copyOf(delete), USER_TAGS_BYTES_MAX)
                .thenApply(r -> new TagsChange(r.tags(), r.persisted()));
    }

    /** Bytes of key (UTF-8) plus value of one application state value, at most. */
    public static final int STATE_BYTES_MAX = dev.grapevine.core.member.AppState.BYTES_MAX;
    /** Keys one node may publish application state under. */
    public static final int STATE_KEYS_MAX = dev.grapevine.core.member.AppState.KEYS_MAX;

    /**
     * Publishes {@code value} under {@code key} as this node's application state (as Cassandra's
     * application states: a schema version, a software version, a readiness flag): every member can
     * read it with {@link #states}, gossip brings it within a few gossip rounds and push-pull to any
     * member gossip missed. A later publication under the same key replaces it everywhere; a
     * restarted node's values replace its earlier life's. It stays while this node is live.
     *
     * @throws IllegalArgumentException (at once) naming the limit if the key is empty or key plus
     *                                  value exceed {@value #STATE_BYTES_MAX} bytes; the stage fails
     *                                  with one if this would be a key past {@value #STATE_KEYS_MAX}
     */
    public CompletionStage<Done> publishState(String key, byte[] value) {
        String problem = dev.grapevine.core.member.AppState.problem(key, value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return started.publishState(key, value.clone());
    }

    /**
     * The application state each live member (this one included) published under {@code key}, by
     * member name, as this node holds it now; members without a value under the key are absent.
     */
    public CompletionStage<Map<String, byte[]>> states(String key) {
        return started.states(key).thenApply(held -> {
            Map<String, byte[]> out = new java.util.TreeMap<>();
            held.forEach((member, state) -> out.put(member, state.value().clone()));
            return java.util.Collections.unmodifiableMap(out);
        });
    }

    /** How long {@link #join} waits for the nodes asked to answer. */
    public static final Duration JOIN_ANSWER_WAIT = NodeHandle.JOIN_ANSWER_WAIT;

    /**
     * Asks the nodes at these endpoints ({@code host:port}) for their view, joining their cluster.
     * Completes once every one answered, or after {@link #JOIN_ANSWER_WAIT} with those that did; fails
     * with an {@link IllegalStateException} if this node has left the cluster (a left node joins again
     * only as a new process).
     *
     * @throws IllegalArgumentException (at once) if an address is not {@code host:port}
     */
    public CompletionStage<JoinResult> join(List<String> addresses) {
        List<Address> parsed = addresses.stream().map(Address::parse).toList();
        return started.join(parsed)
                .thenApply(r -> new JoinResult(
                        r.answered().stream().map(Address::toString).toList(),
                        r.silent().stream().map(Address::toString).toList(),
                        refusedByAddress(r.refused())));
    }

    private static Map<String, String> refusedByAddress(Map<Address, String> refused) {
        Map<String, String> byText = new java.util.TreeMap<>();
        refused.forEach((address, cluster) -> byText.put(address.toString(), cluster));
        return byText;
    }

    /**
     * How much data this node holds, summed over the registered domains that report it
     * ({@link Recoverable#load()}); empty if none does. Other members' loads travel in their tags
     * ({@link StoreLoad#ofTags}).
     */
    public java.util.Optional<StoreLoad> localLoad() {
        return started.localLoad();
    }

    /**
     * Leaves the cluster gracefully: the others record this node as left, not failed. First the node
     * hands its partitions (and a domain's data kept outside them, such as the KV store's hints) to
     * the owners that stay, for at most {@code grapevine.recovery.decommission-timeout}; see
     * docs/recovery.md, "Decommission". Completes once the leave has gone out. Terminating the actor
     * system leaves the same way (its CoordinatedShutdown does, unless {@code grapevine.shutdown.leave = off}).
     */
    public CompletionStage<Done> leave() {
        return started.leave();
    }

    /**
     * Removes a member that is gone for good, as Serf's {@code force-leave} and Cassandra's
     * {@code nodetool removenode} do: a dead or suspect member is recorded as left, every node hears so
     * and stops trying to reconnect to it, and it is reaped after {@code reap-left-after}. An alive
     * member, this node and unknown names are refused, with the reason. If the member was alive after
     * all, it refutes and is back; a restarted node of that name (a higher epoch) joins as usual.
     */
    public CompletionStage<ForceLeaveResult> forceLeave(String name) {
        if (name == null || name.isBlank()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a member name must not be empty"));
        }
        return started.forceLeave(name)
                .thenApply(ForceLeaveResult::of);
    }
}
