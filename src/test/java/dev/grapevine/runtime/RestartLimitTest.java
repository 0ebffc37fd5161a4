package dev.grapevine.runtime;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.log.ActorFailures;
import dev.grapevine.log.CapturedLines;
import dev.grapevine.log.GrapevineLogs;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An actor of a node that keeps failing past grapevine.supervision.restarts-max stops the node, with
 * one ERROR line that says which and why: its actor system terminates (the agent then exits 1), its
 * peers declare it dead, and a supervisor starts it afresh. It does not run on crippled.
 */
class RestartLimitTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String CRASHABLE = "grapevine.supervision { restarts-max = 2, crash-on-demand = on }";

    private final CapturedLines lines = new CapturedLines();
    private Logger nodeLogger;

    @BeforeEach
    void captureLogs() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        nodeLogger = context.getLogger(GrapevineLogs.NODE);
        lines.setContext(context);
        lines.start();
        nodeLogger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        nodeLogger.detachAppender(lines);
    }

    private static void crash(LocalCluster.Node node, String path) {
        Adapter.toClassic(node.system()).actorSelection(path)
                .tell(new ActorFailures.CrashOnDemand("again"), org.apache.pekko.actor.ActorRef.noSender());
    }

    private List<String> errors(String node) {
        return lines.of(node, GrapevineLogs.NODE).stream().filter(l -> l.startsWith("ERROR")).toList();
    }

    /** The two ways a node stops: a backoff-supervised actor (repair), and membership with its own limit. */
    @ParameterizedTest(name = "{1}")
    @CsvSource({
            "repair, repair actor",
            "membership, membership"})
    void anActorFailingPastItsLimitStopsTheNode(String child, String what) {
        stopsTheNode(child, what);
    }

    /** The other backoff-supervised actors take the repair actor's path; in the slow run (-Pslow). */
    @ParameterizedTest(name = "{1}")
    @CsvSource({
            "recovery-coordinator, recovery coordinator",
            "failure-detector, failure detector",
            "gossiper, gossiper"})
    @org.junit.jupiter.api.Tag("slow")
    void everyOtherActorFailingPastItsLimitStopsTheNode(String child, String what) {
        stopsTheNode(child, what);
    }

    private void stopsTheNode(String child, String what) {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), CRASHABLE);
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), CRASHABLE);
            LocalCluster.awaitStatus(a, "b", MemberStatus.ALIVE, DEADLINE);
            // One failure more than the limit; each crash is sent once the one before was taken, so
            // none is lost to an actor that is between two lives.
            for (int i = 1; i <= 3; i++) {
                int failures = i;
                crash(b, "/system/grapevine/" + child);
                await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() ->
                        errors("b").stream().filter(l -> l.startsWith("ERROR the " + what + " of b failed: ")).count() >= failures);
            }
            await().atMost(DEADLINE).until(() -> b.system().whenTerminated().isCompleted());
            assertTrue(errors("b").contains("ERROR " + what + " of b failed more than 2 times, each within 60 s of the one "
                    + "before; the node and its actor system stop"), errors("b").toString());
            // To its peers, a crash: a supervisor restarts it under a new epoch.
            LocalCluster.awaitStatus(a, "b", MemberStatus.DEAD, DEADLINE);
            assertFalse(a.system().whenTerminated().isCompleted());
        }
    }

    @Test
    void aNodeStoppedByItsLimitLeavesOnTheWayOutWhenItsMembershipStillWorks() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), CRASHABLE);
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), CRASHABLE + "\ngrapevine.shutdown.leave = on");
            LocalCluster.awaitStatus(a, "b", MemberStatus.ALIVE, DEADLINE);
            for (int i = 1; i <= 3; i++) {
                int failures = i;
                crash(b, "/system/grapevine/recovery-coordinator");
                await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() ->
                        errors("b").stream().filter(l -> l.startsWith("ERROR the recovery coordinator of b failed: ")).count() >= failures);
            }
            await().atMost(DEADLINE).until(() -> b.system().whenTerminated().isCompleted());
            // Left, not dead: its peers move its partitions at once, and its next life rejoins under a new epoch.
            LocalCluster.awaitStatus(a, "b", MemberStatus.LEFT, DEADLINE);
        }
    }

    @Test
    void failuresWithinTheLimitDoNotStopTheNode() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), CRASHABLE);
            LocalCluster.members(a);
            for (int i = 1; i <= 2; i++) {
                int failures = i;
                crash(a, "/system/grapevine/repair");
                await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> errors("a").size() >= failures);
            }
            // Still serving: the guardian answers through membership, and nothing said it stops.
            assertEquals("a", LocalCluster.member(a, "a").name());
            assertTrue(errors("a").stream().noneMatch(l -> l.contains("the node and its actor system stop")), errors("a").toString());
            assertFalse(a.system().whenTerminated().isCompleted());
        }
    }

    @Test
    void withoutTheTestSettingACrashRequestIsIgnored() {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            LocalCluster.members(a);
            crash(a, "/system/grapevine/repair");
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> lines.of("a", GrapevineLogs.NODE).contains(
                    "WARN the repair actor of a ignored a request to fail: grapevine.supervision.crash-on-demand is off"));
            assertEquals(List.of(), errors("a"));
            assertEquals("a", LocalCluster.member(a, "a").name());
        }
    }
}
