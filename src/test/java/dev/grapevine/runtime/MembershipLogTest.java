package dev.grapevine.runtime;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.log.CapturedLines;
import dev.grapevine.log.GrapevineLogs;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator reads in a survivor's log while a member crashes, comes back and another leaves:
 * one line per change under dev.grapevine.membership, naming the member, its address, epoch and
 * incarnation, and recovery epochs under dev.grapevine.recovery.
 */
class MembershipLogTest {
    private static final Duration FORMED = Duration.ofSeconds(20);

    @Test
    void aSurvivorLogsJoinsTheFailureTheRestartAndTheLeave(@TempDir Path dir) {
        CapturedLines lines = new CapturedLines();
        Logger grapevine = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.grapevine");
        lines.setContext(grapevine.getLoggerContext());
        lines.start();
        grapevine.addAppender(lines);
        try (LocalCluster cluster = new LocalCluster()) {
            String cData = "grapevine.node.data-dir = \"" + dir.resolve("c").toString().replace("\\", "/") + "\"";
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), "");
            LocalCluster.Node c = cluster.start("c", List.of(a.address()), cData);
            for (LocalCluster.Node n : List.of(a, b, c)) {
                LocalCluster.register(n, "store", LocalCluster.EMPTY); // recovery epochs are a domain's
            }
            for (String name : List.of("a", "b", "c")) {
                LocalCluster.awaitStatus(a, name, MemberStatus.ALIVE, FORMED);
            }
            awaitLine(a, lines, GrapevineLogs.MEMBERSHIP, "INFO c joined: " + c.address() + ", epoch ");
            awaitLine(a, lines, GrapevineLogs.MEMBERSHIP, "INFO b joined: " + b.address() + ", epoch ");
            awaitLine(a, lines, GrapevineLogs.RECOVERY, "INFO recovery epoch ", l -> l.contains(" of store started: 3 live members [a, b, c]"));

            LocalCluster.crash(c);
            awaitLine(a, lines, GrapevineLogs.MEMBERSHIP, "WARN c failed", l -> l.contains(c.address() + ", epoch "));

            LocalCluster.Node again = cluster.start("c", List.of(a.address()), cData);
            LocalCluster.register(again, "store", LocalCluster.EMPTY);
            awaitLine(a, lines, GrapevineLogs.MEMBERSHIP, "INFO c is alive again (restarted: epoch ",
                    l -> l.contains("address " + c.address() + " -> " + again.address()));

            TestProbe<Done> left = TestProbe.create(b.system());
            b.guardian().tell(new NodeGuardian.ToMembership(new MembershipActor.Leave(left.getRef())));
            left.receiveMessage(Duration.ofSeconds(5));
            awaitLine(b, lines, GrapevineLogs.MEMBERSHIP, "INFO b is leaving the cluster");
            // The stop after `grapevine leave` leaves again (SIGTERM): nothing new to say.
            b.guardian().tell(new NodeGuardian.ToMembership(new MembershipActor.Leave(left.getRef())));
            left.receiveMessage(Duration.ofSeconds(5));
            assertEquals(1, lines.of("b", GrapevineLogs.MEMBERSHIP).stream()
                    .filter(l -> l.startsWith("INFO b is leaving the cluster")).count());
            awaitLine(a, lines, GrapevineLogs.MEMBERSHIP, "INFO b left: " + b.address() + ", epoch ");
            awaitLine(a, lines, GrapevineLogs.RECOVERY, "INFO recovery epoch ", l -> l.contains(" of store is complete everywhere: all 2 live members in "));
        } finally {
            grapevine.detachAppender(lines);
        }
    }

    private static void awaitLine(LocalCluster.Node viewer, CapturedLines lines, String logger, String prefix) {
        awaitLine(viewer, lines, logger, prefix, l -> true);
    }

    /** Waits until the node at {@code viewer} (its name is its address's node, found from the lines' MDC) logged such a line. */
    private static void awaitLine(LocalCluster.Node viewer, CapturedLines lines, String logger, String prefix, Predicate<String> also) {
        String node = LocalCluster.members(viewer).stream()
                .filter(m -> m.address().equals(viewer.address())).findFirst().orElseThrow().name();
        TestProbe.create(viewer.system()).awaitAssert(FORMED, Duration.ofMillis(100), () -> {
            List<String> mine = lines.of(node, logger);
            assertTrue(mine.stream().anyMatch(l -> l.startsWith(prefix) && also.test(l)),
                    node + " logged no '" + prefix + "...' under " + logger + "; it logged " + mine);
            return null;
        });
    }
}
