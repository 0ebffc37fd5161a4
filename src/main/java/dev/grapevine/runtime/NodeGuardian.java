package dev.grapevine.runtime;

import dev.grapevine.core.member.Member;
import dev.grapevine.core.node.Role;
import dev.grapevine.core.node.Signal;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

import java.time.Duration;

/**
 * The root of one node: owns its identity, starts the three role actors, routes the signals between
 * them, and supervises them by what their state can survive.
 *
 * <ul>
 *   <li>The failure detector and the gossiper hold replicas: they restart with backoff and ask
 *       membership for the view again.</li>
 *   <li>Membership is the view. If it fails, the node's word about the cluster is gone, so the
 *       guardian starts all three again under a new epoch, which supersedes the old entry everywhere.</li>
 * </ul>
 */
public final class NodeGuardian extends AbstractBehavior<NodeGuardian.Command> {

    public interface Command {
    }

    /** A signal from one child to another. */
    record Route(Role to, Signal signal) implements Command {
    }

    /** A replica child (re)started and needs the view. */
    record ReplicaWanted(Role role) implements Command {
    }

    /** A request for the membership actor (the local API). */
    public record ToMembership(MembershipActor.Command command) implements Command {
    }

    /** Replies with the membership actor, for callers that talk to it directly. */
    public record GetMembership(ActorRef<ActorRef<MembershipActor.Command>> replyTo) implements Command {
    }

    private static final SupervisorStrategy REPLICA_RESTARTS =
            SupervisorStrategy.restartWithBackoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.2);

    private NodeContext node;
    private ActorRef<MembershipActor.Command> membership;
    private ActorRef<FailureDetectorActor.Command> failureDetector;
    private ActorRef<GossiperActor.Command> gossiper;

    public static Behavior<Command> create(NodeSettings settings, long epoch) {
        return Behaviors.setup(ctx -> new NodeGuardian(ctx, settings, epoch));
    }

    private NodeGuardian(ActorContext<Command> ctx, NodeSettings settings, long epoch) {
        super(ctx);
        Member self = Member.alive(settings.name(), settings.address(), epoch, 0, settings.tags());
        this.node = new NodeContext(settings, self, System.nanoTime());
        spawnChildren();
    }

    private void spawnChildren() {
        ActorContext<Command> ctx = getContext();
        membership = ctx.spawn(MembershipActor.create(node, ctx.getSelf()), name(Role.MEMBERSHIP));
        failureDetector = ctx.spawn(Behaviors.supervise(FailureDetectorActor.create(node, ctx.getSelf()))
                .onFailure(REPLICA_RESTARTS), name(Role.FAILURE_DETECTOR));
        gossiper = ctx.spawn(Behaviors.supervise(GossiperActor.create(node, ctx.getSelf()))
                .onFailure(REPLICA_RESTARTS), name(Role.GOSSIPER));
        ctx.watch(membership);
        ctx.watch(failureDetector);
        ctx.watch(gossiper);
        ctx.getLog().info("Grapevine node {} started as epoch {} at {}", node.self().name(), node.self().epoch(),
                node.self().address());
    }

    /** Role actors keep fixed names (peers address them by path); a new generation waits for the old to stop. */
    private String name(Role role) {
        return PeerRouter.actorName(role);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Route.class, this::onRoute)
                .onMessage(ReplicaWanted.class, r -> {
                    membership.tell(new MembershipActor.ReplicaWanted(r.role()));
                    return this;
                })
                .onMessage(ToMembership.class, m -> {
                    membership.tell(m.command());
                    return this;
                })
                .onMessage(GetMembership.class, m -> {
                    m.replyTo().tell(membership);
                    return this;
                })
                .onSignal(Terminated.class, this::onTerminated)
                .build();
    }

    private Behavior<Command> onRoute(Route r) {
        switch (r.to()) {
            case MEMBERSHIP -> membership.tell(new MembershipActor.FromSibling(r.signal()));
            case FAILURE_DETECTOR -> failureDetector.tell(new FailureDetectorActor.FromSibling(r.signal()));
            case GOSSIPER -> gossiper.tell(new GossiperActor.FromSibling(r.signal()));
        }
        return this;
    }

    private Behavior<Command> onTerminated(Terminated t) {
        if (!t.getRef().equals(membership)) {
            return this;
        }
        getContext().getLog().error("membership of {} failed; starting the node again under a new epoch",
                node.self().name());
        getContext().stop(failureDetector);
        getContext().stop(gossiper);
        // Children's names free up only once they have stopped: start the new tree when all are gone.
        // Meanwhile signals and requests are dropped; the node is between two lives.
        return Behaviors.receive(Command.class)
                .onSignal(Terminated.class, s -> restartWhenChildrenGone())
                .onMessage(Command.class, m -> Behaviors.same())
                .build();
    }

    private Behavior<Command> restartWhenChildrenGone() {
        if (getContext().getChildren().iterator().hasNext()) {
            return Behaviors.same();
        }
        Member old = node.self();
        node = new NodeContext(node.settings(), Member.alive(old.name(), old.address(), old.epoch() + 1, 0,
                node.settings().tags()), node.originNanos());
        spawnChildren();
        return this;
    }
}
