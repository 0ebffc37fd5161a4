package dev.grapevine.runtime;

import com.typesafe.config.Config;
import dev.grapevine.spi.ConfigProblems;
import dev.grapevine.log.GrapevineLogs;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A node leaves the cluster when its actor system shuts down, whatever started the shutdown:
 * {@code ActorSystem.terminate()} (with Pekko's default
 * {@code pekko.coordinated-shutdown.run-by-actor-system-terminate = on}), SIGTERM through the JVM's
 * shutdown hook ({@code run-by-jvm-shutdown-hook = on}), or {@code CoordinatedShutdown.run}. So the
 * cluster records {@code left}, not {@code failed}, and nobody warns about the node afterwards, as
 * Serf's {@code leave_on_terminate}. The agent stops through the same path.
 *
 * <p>The task runs in the phase {@code cluster-leave}: after the application's own service phases
 * (service-unbind, service-requests-done, service-stop), so the node keeps answering probes and its
 * domains keep serving replicas while the application drains its requests, and before
 * actor-system-terminate, while remoting can still send the leave. Pekko Cluster, which is not on
 * Grapevine's path ({@code provider = remote}), uses the same phase for the same purpose.
 *
 * <p>The task first hands this node's data to the owners without it ({@link Decommission}, at most
 * {@code grapevine.recovery.decommission-timeout}), then asks membership to leave and waits until the
 * leave has gone out (a few gossip periods, see {@code MembershipActor.Leave}), at most
 * {@code grapevine.shutdown.leave-timeout}. Both together take no longer than the phase's own timeout
 * allows (Grapevine's reference.conf raises it to fit the defaults); then shutdown continues either way.
 */
public final class ShutdownLeave {
    /** The CoordinatedShutdown phase the leave runs in. */
    public static final String PHASE = CoordinatedShutdown.PhaseClusterLeave();
    static final String TASK = "grapevine-leave";
    /** Kept below the phase's timeout, so that the task's own outcome is what gets logged. */
    private static final Duration PHASE_MARGIN = Duration.ofMillis(250);

    /**
     * The {@code grapevine.shutdown} section.
     *
     * @param leave        whether a shutdown of the actor system leaves the cluster; off: to its peers a
     *                     stopping node fails, as a crash
     * @param leaveTimeout the longest the shutdown waits for the leave to go out
     */
    public record Settings(boolean leave, Duration leaveTimeout) {
        static final Duration LEAVE_TIMEOUT_MAX = Duration.ofMinutes(5);
        public static final Settings DEFAULT = new Settings(true, Duration.ofSeconds(4));

        static Settings read(Config c, ConfigProblems problems) {
            boolean leave = problems.bool(c, "grapevine.shutdown.leave");
            Duration timeout = problems.positive(c, "grapevine.shutdown.leave-timeout");
            if (timeout.compareTo(LEAVE_TIMEOUT_MAX) > 0) {
                problems.bad(c, "grapevine.shutdown.leave-timeout", "must be at most " + LEAVE_TIMEOUT_MAX.toMinutes() + " minutes");
            }
            return new Settings(leave, timeout);
        }
    }

    private ShutdownLeave() {
    }

    /**
     * Adds the leave to {@code system}'s CoordinatedShutdown, unless the settings turn it off. The
     * phase's timeout bounds both steps: the leave keeps its {@code leave-timeout}, and the hand-off
     * before it ({@link Decommission}) gets what remains, at most {@code decommissionTimeout}.
     */
    static void register(ActorSystem<?> system, ActorRef<NodeGuardian.Command> guardian, String nodeName, Settings settings,
                         Duration decommissionTimeout) {
        if (!settings.leave()) {
            return;
        }
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(Adapter.toClassic(system));
        Duration phase = Duration.ofNanos(shutdown.timeout(PHASE).toNanos());
        Duration wanted = settings.leaveTimeout();
        Duration capped = phase.minus(PHASE_MARGIN).isNegative() ? Duration.ZERO : phase.minus(PHASE_MARGIN);
        if (wanted.compareTo(capped) > 0) {
            GrapevineLogs.asNode(nodeName, () -> GrapevineLogs.logger(GrapevineLogs.NODE).warn(
                    "grapevine.shutdown.leave-timeout ({} ms) is above the timeout of CoordinatedShutdown's phase {} ({} ms): "
                            + "a stopping node waits at most {} ms for its leave; raise pekko.coordinated-shutdown.phases.{}.timeout",
                    wanted.toMillis(), PHASE, phase.toMillis(), capped.toMillis(), PHASE));
        }
        Duration timeout = wanted.compareTo(capped) > 0 ? capped : wanted;
        Duration handOff = decommissionBudget(phase, timeout, decommissionTimeout);
        if (handOff.compareTo(decommissionTimeout) < 0) {
            GrapevineLogs.asNode(nodeName, () -> GrapevineLogs.logger(GrapevineLogs.NODE).info(
                    "grapevine.recovery.decommission-timeout ({} ms) and grapevine.shutdown.leave-timeout ({} ms) together are above "
                            + "the timeout of CoordinatedShutdown's phase {} ({} ms): a stopping node hands its data off for at most {} ms; "
                            + "raise pekko.coordinated-shutdown.phases.{}.timeout",
                    decommissionTimeout.toMillis(), timeout.toMillis(), PHASE, phase.toMillis(), handOff.toMillis(), PHASE));
        }
        shutdown.addTask(PHASE, TASK, () -> leave(system, guardian, nodeName, handOff, timeout));
    }

    /** What the phase leaves the hand-off: its timeout less the margin and the leave's own, at most the configured bound. */
    static Duration decommissionBudget(Duration phase, Duration leaveTimeout, Duration decommissionTimeout) {
        Duration left = phase.minus(PHASE_MARGIN).minus(leaveTimeout);
        if (left.isNegative()) {
            left = Duration.ZERO;
        }
        return left.compareTo(decommissionTimeout) < 0 ? left : decommissionTimeout;
    }

    private static CompletionStage<Done> leave(ActorSystem<?> system, ActorRef<NodeGuardian.Command> guardian, String nodeName,
                                               Duration handOff, Duration timeout) {
        org.slf4j.Logger log = GrapevineLogs.logger(GrapevineLogs.NODE);
        CompletionStage<Done> left;
        try {
            left = Decommission.thenLeave(system, guardian, nodeName, handOff, timeout);
        } catch (RuntimeException e) {
            left = CompletableFuture.failedFuture(e);
        }
        return left.handle((done, error) -> {
            if (error == null) {
                GrapevineLogs.asNode(nodeName, () -> log.info("{} left the cluster; its actor system stops", nodeName));
            } else {
                GrapevineLogs.asNode(nodeName, () -> log.warn("{}'s leave did not go out within {} ms ({}); its actor system stops anyway",
                        nodeName, timeout.toMillis(), error.toString()));
            }
            return Done.getInstance();
        });
    }
}
