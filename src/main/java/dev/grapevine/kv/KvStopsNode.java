package dev.grapevine.kv;

import dev.grapevine.log.GrapevineLogs;
import dev.grapevine.spi.SupervisionSettings;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Stops the node when its key-value actor stops outside a shutdown: it failed past its restart limit
 * ({@code grapevine.supervision}). A node whose store no longer answers would stay an owner of its
 * partitions in every peer's ownership, failing their quorums; stopped, it is declared dead, its
 * partitions move to live members, and a supervisor (systemd, Kubernetes) starts it afresh.
 */
final class KvStopsNode {
    private KvStopsNode() {
    }

    static Behavior<Void> create(String node, ActorRef<?> kv, SupervisionSettings supervision) {
        return Behaviors.<Void>setup(ctx -> {
            ctx.watch(kv);
            return Behaviors.receive(Void.class)
                    .onSignal(Terminated.class, t -> {
                        if (CoordinatedShutdown.get(ctx.getSystem()).getShutdownReason().isEmpty()) {
                            GrapevineLogs.asNode(node, () -> GrapevineLogs.logger(GrapevineLogs.NODE).error(
                                    "the key-value store of {} failed more than {} times, each within {} of the one before; "
                                            + "the node and its actor system stop", node, supervision.restartsMax(),
                                    supervision.restartsWithin().toSeconds() + " s"));
                            ctx.getSystem().terminate();
                        }
                        return Behaviors.stopped();
                    })
                    .build();
        });
    }
}
