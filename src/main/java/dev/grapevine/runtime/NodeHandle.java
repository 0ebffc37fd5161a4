package dev.grapevine.runtime;

import com.typesafe.config.Config;
import dev.grapevine.core.config.Profile;
import dev.grapevine.core.config.Settings;
import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.node.ForceLeave;
import dev.grapevine.core.recovery.LiveView;
import dev.grapevine.core.recovery.Ownership;
import dev.grapevine.core.recovery.RecoveryCoordinator;
import dev.grapevine.spi.ConfigProblems;
import dev.grapevine.spi.Recoverable;
import dev.grapevine.spi.StoreLoad;
import org.apache.pekko.Done;
import org.apache.pekko.actor.setup.Setup;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one way into a running node from above: {@code dev.grapevine.api} reaches the node's actors
 * only through this class, so their messages stay package-private and can change freely. Answers
 * come as {@link CompletionStage}s of core values; nothing here blocks.
 */
public final class NodeHandle {

    /** How long a request to the local node may take before its stage fails. */
    public static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Bytes of tags a user may set: the member limit less room for the node's own, keys included: its
     * load (at most 55 bytes), its actor system's name (80) and the domains it runs (73).
     */
    public static final int USER_TAGS_BYTES_MAX = Member.TAGS_BYTES_MAX - 208;

    /** Characters of a tag key a user may set. */
    public static final int TAG_KEY_CHARS_MAX = 128;

    /**
     * Whether {@code key} has the shape of a user's tag key: 1..{@value #TAG_KEY_CHARS_MAX} characters
     * without '=' (KEY=VALUE could not be read back), control characters or surrounding spaces. The one
     * rule for the config, the API and the command line.
     */
    public static boolean isTagKeyShape(String key) {
        return key != null && !key.isEmpty() && key.length() <= TAG_KEY_CHARS_MAX && key.indexOf('=') < 0
                && key.chars().noneMatch(Character::isISOControl) && key.strip().equals(key);
    }

    /** How long a join waits for the nodes asked to answer. */
    public static final Duration JOIN_ANSWER_WAIT = MembershipActor.JOIN_ANSWER_WAIT;

    private final ActorSystem<?> system;
    private final GrapevineNode.Started started;

    private NodeHandle(ActorSystem<?> system, GrapevineNode.Started started) {
        this.system = system;
        this.started = started;
    }

    /** Starts the node of {@code system} (see {@link GrapevineNode#start}); call once per system. */
    public static NodeHandle start(ActorSystem<?> system) {
        return new NodeHandle(system, GrapevineNode.start(system));
    }

    // ---- bootstrap: the settings a system needs before its node starts

    /** The actor-ref provider a node runs: Pekko's remote provider behind the gossip port's front door. */
    public static String provider() {
        return GrapevineNode.PROVIDER;
    }

    /** Pekko's remoting on Artery at {@code host:port}, over {@link #pekkoTuning()}. */
    public static Config remoting(String host, int port) {
        return GrapevineNode.remoting(host, port);
    }

    /** The Pekko settings a node runs best with, below the user's own. */
    public static Config pekkoTuning() {
        return GrapevineNode.PEKKO_TUNING;
    }

    /** {@code config} with the transport {@code grapevine.tls} asks for in front of it; TLS files are checked here. */
    public static Config transport(Config config) {
        return NodeTls.transport(config);
    }

    /** The Artery endpoint {@code system} bound. */
    public static Address endpoint(ActorSystem<?> system) {
        return GrapevineNode.endpoint(system);
    }

    /**
     * Reads and checks {@code grapevine.*} for the node at {@code endpoint}, adding every problem to
     * {@code problems}; null if there was any. Handed to the actor system as a {@link Setup}, the node
     * starts from these settings instead of reading the config again.
     */
    public static ReadSettings readSettings(Config config, Address endpoint, ConfigProblems problems) {
        NodeSettings s = NodeSettings.read(config, endpoint, problems);
        return s == null ? null : new ReadSettings(s);
    }

    /** Settings read and checked before the actor system starts. */
    public static final class ReadSettings extends Setup {
        final NodeSettings settings;

        private ReadSettings(NodeSettings settings) {
            this.settings = settings;
        }

        public String name() {
            return settings.name();
        }

        public Address address() {
            return settings.address();
        }

        public Profile profile() {
            return settings.profile();
        }

        public Settings protocol() {
            return settings.protocol();
        }

        public List<Address> seeds() {
            return settings.seeds();
        }

        public Optional<Path> dataDir() {
            return settings.dataDir();
        }

        public Map<String, String> tags() {
            return settings.tags();
        }

        public Optional<String> dnsName() {
            return settings.discovery().dnsName();
        }
    }

    // ---- the running node

    public String name() {
        return started.name();
    }

    public Optional<Path> dataDir() {
        return started.dataDir();
    }

    public List<Address> joinTargets() {
        return started.joinTargets();
    }

    /** The registered domains by name; the runtime reads it on every epoch and repair round. */
    public Map<String, Recoverable> domains() {
        return started.domains();
    }

    public Map<String, Long> metrics() {
        return started.metrics().snapshot();
    }

    /** Messages and bytes over Artery, by message type. */
    public record Traffic(long messagesIn, long bytesIn, long messagesOut, long bytesOut) {
    }

    public Map<String, Traffic> traffic() {
        Map<String, Traffic> out = new TreeMap<>();
        WireTraffic.get(Adapter.toClassic(system)).snapshot()
                .forEach((type, c) -> out.put(type, new Traffic(c.messagesIn(), c.bytesIn(), c.messagesOut(), c.bytesOut())));
        return out;
    }

    public Optional<StoreLoad> localLoad() {
        return DomainLoad.sum(started.domains().values());
    }

    public CompletionStage<List<Member>> members() {
        return ask(MembershipActor.GetMembers::new);
    }

    public void subscribeMembers(ActorRef<?> subscriber, Consumer<MemberEvent> deliver) {
        toMembership(new MembershipActor.SubscribeMembers(subscriber, deliver));
    }

    public void subscribeUserEvents(ActorRef<?> subscriber, Consumer<UserEvent> deliver) {
        toMembership(new MembershipActor.SubscribeUserEvents(subscriber, deliver));
    }

    public void unsubscribe(ActorRef<?> subscriber) {
        toMembership(new MembershipActor.Unsubscribe(subscriber));
    }

    public void subscribeLiveMembers(ActorRef<?> subscriber, Consumer<LiveView.Snapshot> deliver) {
        started.guardian().tell(new NodeGuardian.ToRecovery(new RecoveryCoordinatorActor.SubscribeLiveView(subscriber, deliver)));
    }

    /** What a new epoch brings: its ownership, and what this node owns, gained and lost. */
    public interface OwnershipListener {
        void epoch(String epoch, Ownership ownership, Map<String, String> addresses, Set<Integer> owned,
                   Map<Integer, List<String>> gained, List<Integer> lost);
    }

    /** Ownership epochs of {@code domain} (null: of every domain) to {@code deliver}, for as long as {@code subscriber} lives. */
    public void subscribeOwnership(ActorRef<?> subscriber, String domain, OwnershipListener deliver) {
        started.guardian().tell(new NodeGuardian.ToRecovery(new RecoveryCoordinatorActor.SubscribeOwnership(subscriber, domain,
                e -> deliver.epoch(e.epoch(), e.ownership(), e.addresses(), e.owned(), e.task().gained(), e.task().lost()))));
    }

    /** The recovery status of {@code domain} (null: of the first domain this node runs, by name). */
    public CompletionStage<RecoveryCoordinator.Status> recoveryStatus(String domain) {
        return AskPattern.ask(started.guardian(), (ActorRef<RecoveryCoordinator.Status> replyTo) ->
                new NodeGuardian.ToRecovery(new RecoveryCoordinatorActor.GetStatus(domain, replyTo)), ASK_TIMEOUT, system.scheduler());
    }

    /** Tells membership to advertise the domains this node runs now (after one was registered). */
    public void publishDomains() {
        started.guardian().tell(new NodeGuardian.ToMembership(MembershipActor.PublishDomains.INSTANCE));
    }

    public void repairNow() {
        started.guardian().tell(new NodeGuardian.ToRecovery(RecoveryCoordinatorActor.RepairNow.INSTANCE));
    }

    /**
     * {@code domain} cannot hold its data now ({@code reason}), or can again (null): recovery counts its
     * partitions as pending meanwhile, and repairs them from their co-owners once it can.
     */
    public void reportAvailability(String domain, String reasonOrNull) {
        if (started.unavailable().set(domain, reasonOrNull)) {
            started.guardian().tell(new NodeGuardian.ToRecovery(new RecoveryCoordinatorActor.AvailabilityChanged(domain)));
        }
    }

    /** Domain to why it cannot hold its data now; empty when every domain can. */
    public Map<String, String> unavailableDomains() {
        return started.unavailable().all();
    }

    /** Emits a user event; the stage fails with an {@link IllegalArgumentException} if membership refused it. */
    public CompletionStage<UserEvent> emit(String name, byte[] payload) {
        return ask((ActorRef<MembershipActor.EmitResult> replyTo) -> new MembershipActor.Emit(name, payload, replyTo))
                .thenCompose(r -> r.error() != null
                        ? CompletableFuture.failedFuture(new IllegalArgumentException(r.error()))
                        : CompletableFuture.completedFuture(r.event()));
    }

    public void setTags(Map<String, String> tags) {
        toMembership(new MembershipActor.SetTags(tags));
    }

    /** The tags after an update, and whether the change was written to the data dir. */
    public record TagsUpdate(Map<String, String> tags, boolean persisted) {
    }

    /** Updates the user tags; the stage fails with an {@link IllegalArgumentException} if membership refused. */
    public CompletionStage<TagsUpdate> updateTags(Map<String, String> set, Set<String> delete, int userBytesMax) {
        return ask((ActorRef<MembershipActor.TagsUpdated> replyTo) -> new MembershipActor.UpdateTags(set, delete, userBytesMax, replyTo))
                .thenCompose(r -> r.error() != null
                        ? CompletableFuture.failedFuture(new IllegalArgumentException(r.error()))
                        : CompletableFuture.completedFuture(new TagsUpdate(r.tags(), r.persisted())));
    }

    /** Publishes this node's application state under {@code key}; the stage fails with an {@link IllegalArgumentException} naming the limit. */
    public CompletionStage<Done> publishState(String key, byte[] value) {
        return ask((ActorRef<MembershipActor.StatePublished> replyTo) -> new MembershipActor.PublishState(key, value, replyTo))
                .thenCompose(r -> r.error() != null
                        ? CompletableFuture.failedFuture(new IllegalArgumentException(r.error()))
                        : CompletableFuture.completedFuture(Done.getInstance()));
    }

    /** Each live member's application state under {@code key}, by member name. */
    public CompletionStage<Map<String, dev.grapevine.core.member.AppState>> states(String key) {
        return ask((ActorRef<Map<String, dev.grapevine.core.member.AppState>> replyTo) -> new MembershipActor.GetStates(key, replyTo));
    }

    /** What came of a join: who answered, who did not, and who is of another cluster (with its name). */
    public record JoinAnswers(List<Address> answered, List<Address> silent, Map<Address, String> refused) {
    }

    /** Joins the nodes at {@code seeds}; the stage fails with an {@link IllegalStateException} if this node has left. */
    public CompletionStage<JoinAnswers> join(List<Address> seeds) {
        return AskPattern.ask(started.guardian(), (ActorRef<MembershipActor.Joined> replyTo) ->
                                new NodeGuardian.ToMembership(new MembershipActor.Join(seeds, replyTo)),
                        JOIN_ANSWER_WAIT.plus(ASK_TIMEOUT), system.scheduler())
                .thenCompose(r -> r.left()
                        ? CompletableFuture.failedFuture(new IllegalStateException(
                        "this node has left the cluster; start it again to rejoin"))
                        : CompletableFuture.completedFuture(new JoinAnswers(r.answered(), r.silent(), r.refused())));
    }

    /** Hands this node's data to the others (see {@link Decommission}), then leaves; completes once the leave went out. */
    public CompletionStage<Done> leave() {
        return Decommission.thenLeave(system, started.guardian(), started.name(), started.decommissionTimeout(), ASK_TIMEOUT);
    }

    public CompletionStage<ForceLeave> forceLeave(String name) {
        return ask((ActorRef<ForceLeave> replyTo) -> new MembershipActor.ForceLeave(name, replyTo));
    }

    private void toMembership(MembershipActor.Command command) {
        started.guardian().tell(new NodeGuardian.ToMembership(command));
    }

    private <R> CompletionStage<R> ask(Function<ActorRef<R>, MembershipActor.Command> request) {
        return AskPattern.ask(started.guardian(), (ActorRef<R> replyTo) -> new NodeGuardian.ToMembership(request.apply(replyTo)),
                ASK_TIMEOUT, system.scheduler());
    }
}
