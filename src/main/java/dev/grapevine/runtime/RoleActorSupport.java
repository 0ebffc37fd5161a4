package dev.grapevine.runtime;

import dev.grapevine.core.node.ClusterGuard;
import dev.grapevine.core.node.Counters;
import dev.grapevine.core.node.Effect;
import dev.grapevine.core.node.Outbox;
import dev.grapevine.core.node.Role;
import dev.grapevine.core.node.Timer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the three role actors share: the node's monotonic clock, and performing a step's effects.
 * Sends go to peers through the {@link PeerRouter}, signals straight to siblings ({@link RoleRefs}), timers
 * to the actor's own {@link TimerScheduler} (keyed by the timer, so re-arming one replaces it).
 */
final class RoleActorSupport<C> {
    private final long originNanos;
    private final NodeMetrics metrics;
    private final DroppedInputs droppedInputs;
    private final PeerRouter router;
    private final PeerUids peerUids;
    private final PeerSystems peerSystems;
    private final TlsPeers tls;
    private final ActorRef<NodeGuardian.Command> guardian;
    private final RoleRefs siblings;
    private final TimerScheduler<C> timers;
    private final Function<Timer, C> tick;
    final Outbox outbox = new Outbox();

    RoleActorSupport(NodeContext node, ActorRef<NodeGuardian.Command> guardian, TimerScheduler<C> timers,
                     Function<Timer, C> tick, ActorSystem<?> system) {
        this.originNanos = node.originNanos();
        this.metrics = node.metrics();
        this.droppedInputs = node.droppedInputs();
        this.router = new PeerRouter(system, node);
        this.peerUids = node.peerUids();
        this.peerSystems = node.peerSystems();
        this.tls = TlsPeers.get(system);
        this.guardian = guardian;
        this.siblings = node.roleRefs();
        this.timers = timers;
        this.tick = tick;
    }

    /** Milliseconds on this node's monotonic clock; the core only ever compares them. */
    long nowMillis() {
        return (System.nanoTime() - originNanos) / 1_000_000;
    }

    /**
     * A peer's message of {@code role} arrived: its sender's uid may be learnt (see {@link PeerUids}),
     * and its system's name (see {@link PeerSystems}). Call only for messages the cluster guard admitted.
     * @return false if the message must be dropped: its sender speaks for a name its TLS certificate
     * does not carry, or that certificate is revoked ({@link TlsPeers#admit})
     */
    boolean heard(Role role, PeerMessage m) {
        if (!tls.admit(m)) {
            return false;
        }
        peerUids.heard(role, m.from(), m.fromEpoch(), m.fromUid());
        peerSystems.heard(m.from(), m.fromSystem());
        return true;
    }

    /**
     * Whether {@code m} comes from a node of this node's cluster. If not, it was counted, logged
     * (one line at once, then a count a minute) and, if it was a join, answered with a refusal.
     */
    boolean admits(PeerMessage m, ClusterGuard guard) {
        ClusterGuard.Refused refused = guard.check(m.from(), m.cluster(), m.message(), outbox);
        if (refused == null) {
            return true;
        }
        droppedInputs.foreignCluster().count("foreign_cluster_refused", 1, "messages from another cluster refused",
                "a node of another cluster reached this one; clusters never merge",
                (refused.join() ? "refused a join from " : "dropped a " + m.message().getClass().getSimpleName() + " from ")
                        + refused.from() + (refused.clusterName() != null ? " of cluster '" + refused.clusterName() + "'"
                                : " of cluster id " + Long.toHexString(refused.cluster()))
                        + "; this node is in '" + guard.cluster().name() + "'");
        // A refusal goes back under the system name the frame stated: this node learns nothing from a
        // node of another cluster, and that node's system is likely named after its own cluster.
        List<Effect> effects = outbox.effects();
        for (int i = 0, n = effects.size(); i < n; i++) {
            if (effects.get(i) instanceof Effect.Send s && s.to().equals(m.from())) {
                router.answer(s.to(), s.message(), m);
            }
        }
        outbox.clear();
        return false;
    }

    /** Copies an actor's counters and its component's gauges into the node's metrics, and warns of what it dropped. */
    void publishMetrics(Role role, Counters counters, Map<String, Long> gauges) {
        Map<String, Long> figures = new LinkedHashMap<>(counters.asMap());
        figures.putAll(gauges);
        router.putCounts(figures);
        figures.put("peer_uids_known", (long) peerUids.known(role));
        metrics.publish(role, figures);
        if (tls.enabled()) {
            metrics.publish("tls", tls.figures()); // one source for the node, whichever role publishes
            tls.flushWarnings();
        }
        droppedInputs.report(role.name(), figures);
    }

    /** Performs and clears the outbox; {@code other} takes publish and deliver effects. */
    void perform(Consumer<Effect> other) {
        List<Effect> effects = outbox.effects();
        long now = nowMillis();
        for (int i = 0, n = effects.size(); i < n; i++) {
            Effect e = effects.get(i);
            if (e instanceof Effect.Send s) {
                router.send(s.to(), s.message());
            } else if (e instanceof Effect.Schedule s) {
                timers.startSingleTimer(s.timer(), tick.apply(s.timer()), Duration.ofMillis(Math.max(0, s.atMillis() - now)));
            } else if (e instanceof Effect.Tell t) {
                if (!siblings.tell(t.to(), t.signal())) {
                    guardian.tell(new NodeGuardian.Route(t.to(), t.signal())); // the node is still starting
                }
            } else {
                other.accept(e);
            }
        }
        outbox.clear();
    }
}
