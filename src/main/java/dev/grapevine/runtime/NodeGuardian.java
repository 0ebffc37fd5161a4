package dev.grapevine.runtime;

import dev.grapevine.core.node.Role;
import dev.grapevine.core.node.Signal;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

import dev.grapevine.log.ActorFailures;
import dev.grapevine.log.GrapevineLogs;
import dev.grapevine.spi.SupervisionSettings;

import java.util.HashMap;
import java.util.Map;

/**
 * The root of one node: starts the three protocol actors and the recovery coordinator, binds the
 * protocol actors to each other ({@link RoleRefs}: their signals then skip this actor), and
 * supervises them by what their state can survive.
 *
 * <ul>
 *   <li>The failure detector and the gossiper hold replicas: they restart with backoff and ask
 *       membership for the view again.</li>
 *   <li>The repair actor restarts with backoff; the exchanges it ran fail to the coordinator, which
 *       retries them. The recovery coordinator restarts with backoff and rebuilds from membership's
 *       view and the last finished epoch.</li>
 *   <li>Membership is the view. If it fails, the node's word about the cluster is gone: it restarts
 *       as a new life of the node (a new epoch, which supersedes the old entry everywhere) and the
 *       replicas start over with it.</li>
 * </ul>
 * Past {@code grapevine.supervision.restarts-max} failures of any of them (with no quiet
 * {@code restarts-within} between two), the node stops rather than flap or run on crippled, and
 * takes its actor system down with it. The table and the reasons: docs/operations.md, "Supervision".
 * Role actors are restarted in place, never stopped and spawned again: peers reach them by path,
 * and Artery caches what a path resolves to.
 */
final class NodeGuardian extends AbstractBehavior<NodeGuardian.Command> {

    public interface Command {
    }

    /** A signal from one child to another, sent before the children were bound to each other ({@link RoleRefs}). */
    record Route(Role to, Signal signal) implements Command {
    }

    /** A replica child (re)started and needs the view. */
    record ReplicaWanted(Role role) implements Command {
    }

    /** Membership restarted under a new epoch: the replicas must start over too. */
    enum ResetReplicas implements Command { INSTANCE }

    /** A request for the membership actor (the local API). */
    public record ToMembership(MembershipActor.Command command) implements Command {
    }

    /** A request for the recovery coordinator (the local API). */
    public record ToRecovery(RecoveryCoordinatorActor.Command command) implements Command {
    }

    // Failures are logged under dev.grapevine.node by ActorFailures, not by Pekko under a Pekko class's name.
    /** DNS discovery holds nothing and the node works without it: restarted for as long as it fails. */
    private static final SupervisorStrategy DISCOVERY_RESTARTS = SupervisorStrategy.restartWithBackoff(
            SupervisionSettings.BACKOFF_MIN, SupervisionSettings.BACKOFF_MAX, 0.2).withLoggingEnabled(false);

    private final NodeContext node;
    private final SupervisionSettings supervision;
    /** The watched children, by the name the log gives them: one stopping stops the node. */
    private final Map<ActorRef<?>, String> vital = new HashMap<>();
    /** A vital child stopped: the node is on its way out. */
    private boolean stopping;
    /** The recovery coordinator stopped (past its restart limit): no decommission can run. */
    private boolean recoveryStopped;
    private final ActorRef<MembershipActor.Command> membership;
    private final ActorRef<ReplicaActor.Command> failureDetector;
    private final ActorRef<ReplicaActor.Command> gossiper;
    private final ActorRef<RecoveryCoordinatorActor.Command> recovery;

    /** The guardian of one node, over the context it gives its children. */
    static Behavior<Command> create(NodeContext node) {
        return Behaviors.setup(ctx -> new NodeGuardian(ctx, node));
    }

    private NodeGuardian(ActorContext<Command> ctx, NodeContext node) {
        super(ctx);
        this.node = node;
        this.supervision = SupervisionSettings.from(ctx.getSystem().settings().config());
        String name = node.settings().name();
        SupervisorStrategy membershipRestarts = SupervisorStrategy.restart()
                .withLimit(supervision.restartsMax(), supervision.restartsWithin()).withLoggingEnabled(false);
        SupervisorStrategy replicaRestarts = restartsWithBackoff(supervision);
        membership = ctx.spawn(Behaviors.supervise(ActorFailures.logged(name, "membership", MembershipActor.create(node, ctx.getSelf())))
                .onFailure(membershipRestarts), PeerRouter.actorName(Role.MEMBERSHIP));
        failureDetector = ctx.spawn(Behaviors.supervise(ActorFailures.logged(name, "failure detector",
                        ReplicaActor.failureDetector(node, ctx.getSelf())))
                .onFailure(replicaRestarts), PeerRouter.actorName(Role.FAILURE_DETECTOR));
        gossiper = ctx.spawn(Behaviors.supervise(ActorFailures.logged(name, "gossiper", ReplicaActor.gossiper(node, ctx.getSelf())))
                .onFailure(replicaRestarts), PeerRouter.actorName(Role.GOSSIPER));
        // Its live view is rebuilt from membership's current view when it restarts.
        ActorRef<RepairActor.Command> repair = ctx.spawn(Behaviors.supervise(ActorFailures.logged(name, "repair actor",
                        RepairActor.create(node, node.repairCounters())))
                .onFailure(replicaRestarts), RepairActor.NAME);
        recovery = ctx.spawn(Behaviors.supervise(ActorFailures.logged(name, "recovery coordinator",
                        RecoveryCoordinatorActor.create(node, ctx.getSelf(), repair)))
                .onFailure(replicaRestarts), "recovery-coordinator");
        if (node.settings().discovery().enabled()) {
            // Its state is a few counters: restarted like a replica, it just looks the name up again.
            ctx.spawn(Behaviors.supervise(DnsDiscoveryActor.create(node, membership)).onFailure(DISCOVERY_RESTARTS), "dns-discovery");
        }
        vital.put(membership, "membership");
        vital.put(failureDetector, "failure detector");
        vital.put(gossiper, "gossiper");
        vital.put(repair, "repair actor");
        vital.put(recovery, "recovery coordinator");
        vital.keySet().forEach(ctx::watch);
        node.roleRefs().bind(membership, failureDetector, gossiper); // from now on their signals skip this actor
        node.peerUids().own(Role.MEMBERSHIP, membership.path().uid());
        node.peerUids().own(Role.FAILURE_DETECTOR, failureDetector.path().uid());
        node.peerUids().own(Role.GOSSIPER, gossiper.path().uid());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Route.class, this::onRoute)
                .onMessage(ReplicaWanted.class, r -> {
                    membership.tell(new MembershipActor.ReplicaWanted(r.role()));
                    return this;
                })
                .onMessageEquals(ResetReplicas.INSTANCE, () -> {
                    failureDetector.tell(ReplicaActor.Reset.INSTANCE);
                    gossiper.tell(ReplicaActor.Reset.INSTANCE);
                    return this;
                })
                .onMessage(ToMembership.class, m -> {
                    membership.tell(m.command());
                    return this;
                })
                .onMessage(ToRecovery.class, m -> {
                    if (recoveryStopped && m.command() instanceof RecoveryCoordinatorActor.Decommission d) {
                        // Stopped past its restart limit, and the node with it: the leave on the way out
                        // must not wait the decommission's whole bound for an answer that cannot come.
                        d.replyTo().tell(new RecoveryCoordinatorActor.Decommissioned(false,
                                "the recovery coordinator has stopped, so nothing was handed off"));
                        return this;
                    }
                    recovery.tell(m.command());
                    return this;
                })
                .onSignal(Terminated.class, t -> {
                    // A node without membership would answer probes while knowing nothing; one without
                    // its failure detector, gossiper, repair or recovery would stay a member that
                    // cannot do its share. Stop the whole actor system, so a supervisor (systemd,
                    // Kubernetes) starts it afresh under a new epoch.
                    // ChildFailed: the restart limit was hit. A plain Terminated: something stopped it.
                    recoveryStopped |= t.getRef().equals(recovery);
                    if (stopping) {
                        return this; // one line for the first; the rest stop with the system
                    }
                    stopping = true;
                    String what = vital.getOrDefault(t.getRef(), "an actor");
                    GrapevineLogs.asNode(node.settings().name(), () -> {
                        if (t instanceof ChildFailed) {
                            GrapevineLogs.logger(GrapevineLogs.NODE).error(
                                    "{} of {} failed more than {} times, each within {} of the one before; the node and its actor system stop",
                                    what, node.settings().name(), supervision.restartsMax(), supervision.restartsWithin().toSeconds() + " s");
                        } else {
                            GrapevineLogs.logger(GrapevineLogs.NODE).error(
                                    "{} of {} was stopped, not by a failure; the node and its actor system stop",
                                    what, node.settings().name());
                        }
                    });
                    getContext().getSystem().terminate();
                    // With membership still here, the node leaves on the way out (grapevine.shutdown.leave):
                    // its peers record it as left at once instead of suspecting it first.
                    return t.getRef().equals(membership) ? Behaviors.stopped() : this;
                })
                .build();
    }

    /**
     * Restarts with backoff, at most {@code restartsMax} times with less than {@code restartsWithin}
     * of quiet between two; then the actor stops, and with a watcher, its node.
     */
    static SupervisorStrategy restartsWithBackoff(SupervisionSettings s) {
        return SupervisorStrategy.restartWithBackoff(SupervisionSettings.BACKOFF_MIN, SupervisionSettings.BACKOFF_MAX, 0.2)
                .withMaxRestarts(s.restartsMax()).withResetBackoffAfter(s.restartsWithin()).withLoggingEnabled(false);
    }

    private Behavior<Command> onRoute(Route r) {
        switch (r.to()) {
            case MEMBERSHIP -> membership.tell(new MembershipActor.FromSibling(r.signal()));
            case FAILURE_DETECTOR -> failureDetector.tell(new ReplicaActor.FromSibling(r.signal()));
            case GOSSIPER -> gossiper.tell(new ReplicaActor.FromSibling(r.signal()));
        }
        return this;
    }
}
