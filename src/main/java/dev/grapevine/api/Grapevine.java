package dev.grapevine.api;

import dev.grapevine.core.member.Address;
import dev.grapevine.runtime.GrapevineNode;
import dev.grapevine.runtime.MembershipActor;
import dev.grapevine.runtime.NodeGuardian;
import dev.grapevine.runtime.NodeMetrics;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

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
    public static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

    private static final ExtensionId<Grapevine> ID = new ExtensionId<>() {
        @Override
        public Grapevine createExtension(ActorSystem<?> system) {
            return new Grapevine(system);
        }
    };

    private final ActorSystem<?> system;
    private final ActorRef<NodeGuardian.Command> node;
    private final NodeMetrics metrics;

    public static Grapevine get(ActorSystem<?> system) {
        return system.registerExtension(ID);
    }

    private Grapevine(ActorSystem<?> system) {
        this.system = system;
        GrapevineNode.Started started = GrapevineNode.start(system);
        this.node = started.guardian();
        this.metrics = started.metrics();
    }

    /**
     * This node's counters and gauges by name (probes, suspicions raised, refutations, broadcasts
     * dropped, ...), as its actors published them within the last second.
     */
    public Map<String, Long> metrics() {
        return metrics.snapshot();
    }

    /** This node's endpoint, {@code host:port}. */
    public String address() {
        return GrapevineNode.endpoint(system).toString();
    }

    /** This node's view: every member it knows, dead and left ones included, in a stable order. */
    public CompletionStage<List<Member>> members() {
        return ask(MembershipActor.GetMembers::new)
                .thenApply(list -> list.stream().map(Member::of).toList());
    }

    /** Sends {@code subscriber} the current view, then every membership change, until it unsubscribes. */
    public void subscribe(ActorRef<MembershipEvent> subscriber) {
        toMembership(new MembershipActor.SubscribeMembers(subscriber, e -> subscriber.tell(MembershipEvent.of(e))));
    }

    /** Sends {@code subscriber} every user event this node delivers from now on. */
    public void subscribeUserEvents(ActorRef<UserEvent> subscriber) {
        toMembership(new MembershipActor.SubscribeUserEvents(subscriber, e -> subscriber.tell(UserEvent.of(e))));
    }

    /** Sends {@code subscriber} the current set of live members, then every new version of it. */
    public void subscribeLiveMembers(ActorRef<LiveMembers> subscriber) {
        node.tell(new NodeGuardian.ToRecovery(new dev.grapevine.runtime.RecoveryCoordinatorActor.SubscribeLiveView(subscriber,
                s -> subscriber.tell(new LiveMembers(s.version(), s.live())))));
    }

    public void unsubscribe(ActorRef<?> subscriber) {
        toMembership(new MembershipActor.Unsubscribe(subscriber));
    }

    /**
     * Sends a user event to every member, this one included. Fails with an
     * {@link IllegalArgumentException} naming the limit if name and payload are too large.
     */
    public CompletionStage<UserEvent> sendUserEvent(String name, byte[] payload) {
        return ask((ActorRef<MembershipActor.EmitResult> replyTo) -> new MembershipActor.Emit(name, payload.clone(), replyTo))
                .thenCompose(r -> r.error() != null
                        ? CompletableFuture.failedFuture(new IllegalArgumentException(r.error()))
                        : CompletableFuture.completedFuture(UserEvent.of(r.event())));
    }

    /** Publishes new tags for this node (they replace the old ones). At most 1024 bytes in all. */
    public void setTags(Map<String, String> tags) {
        int bytes = dev.grapevine.core.member.Member.tagsBytes(tags); // checked here, not in the actor
        if (bytes > dev.grapevine.core.member.Member.TAGS_BYTES_MAX) {
            throw new IllegalArgumentException("tags take " + bytes + " bytes; the limit is "
                    + dev.grapevine.core.member.Member.TAGS_BYTES_MAX);
        }
        toMembership(new MembershipActor.SetTags(Map.copyOf(tags)));
    }

    /** Asks the nodes at these endpoints ({@code host:port}) for their view, joining their cluster. */
    public void join(List<String> addresses) {
        List<Address> parsed = addresses.stream().map(Address::parse).toList();
        toMembership(new MembershipActor.Join(parsed));
    }

    /**
     * Leaves the cluster gracefully: the others record this node as left, not failed. Completes once the
     * leave has gone out; then terminate the actor system.
     */
    public CompletionStage<Done> leave() {
        return ask(MembershipActor.Leave::new);
    }

    private void toMembership(MembershipActor.Command command) {
        node.tell(new NodeGuardian.ToMembership(command));
    }

    private <R> CompletionStage<R> ask(java.util.function.Function<ActorRef<R>, MembershipActor.Command> request) {
        return AskPattern.ask(node, (ActorRef<R> replyTo) -> new NodeGuardian.ToMembership(request.apply(replyTo)),
                ASK_TIMEOUT, system.scheduler());
    }
}
