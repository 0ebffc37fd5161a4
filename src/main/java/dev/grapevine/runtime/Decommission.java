package dev.grapevine.runtime;

import dev.grapevine.log.GrapevineLogs;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A graceful leave, whatever asked for it (the API's {@code leave}, the admin route and CLI, or a
 * shutdown): first this node hands its partitions and its KV hints to the owners without it (the
 * recovery coordinator's decommission, bounded by {@code grapevine.recovery.decommission-timeout}),
 * then membership gossips the leave, so the cluster records the node as left only once its data is
 * elsewhere. A decommission that runs out of time is counted ({@code decommission_timeouts}) and
 * logged at WARN, and the leave goes on: a node asked to go goes.
 */
final class Decommission {
    /** Beyond the decommission's own bound: the coordinator always answers by its timer, this is a backstop. */
    private static final Duration ANSWER_MARGIN = Duration.ofSeconds(2);

    private Decommission() {
    }

    /**
     * Decommissions, then leaves; completes once the leave has gone out.
     *
     * @param decommissionMax the longest the hand-off may take here: the configured timeout, or less
     *                        (what a shutdown's phase leaves); null: the configured timeout
     * @param leaveTimeout    the longest to wait for membership to send the leave
     */
    static CompletionStage<Done> thenLeave(ActorSystem<?> system, ActorRef<NodeGuardian.Command> guardian, String nodeName,
                                           Duration decommissionMax, Duration leaveTimeout) {
        Duration answerWithin = (decommissionMax == null ? RecoverySettings.DECOMMISSION_TIMEOUT_MAX : decommissionMax).plus(ANSWER_MARGIN);
        CompletionStage<RecoveryCoordinatorActor.Decommissioned> handedOff;
        try {
            handedOff = AskPattern.<NodeGuardian.Command, RecoveryCoordinatorActor.Decommissioned>ask(guardian,
                    replyTo -> new NodeGuardian.ToRecovery(new RecoveryCoordinatorActor.Decommission(decommissionMax, replyTo)),
                    answerWithin, system.scheduler());
        } catch (RuntimeException e) {
            handedOff = CompletableFuture.failedFuture(e);
        }
        return handedOff.handle((done, error) -> {
            if (error != null) {
                GrapevineLogs.asNode(nodeName, () -> GrapevineLogs.logger(GrapevineLogs.RECOVERY).warn(
                        "{}'s hand-off did not answer within {} ms ({}); it leaves anyway", nodeName, answerWithin.toMillis(), error.toString()));
            }
            return Done.getInstance();
        }).thenCompose(ignored -> AskPattern.<NodeGuardian.Command, Done>ask(guardian,
                replyTo -> new NodeGuardian.ToMembership(new MembershipActor.Leave(replyTo)), leaveTimeout, system.scheduler()));
    }
}
