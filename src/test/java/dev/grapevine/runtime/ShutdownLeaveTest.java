package dev.grapevine.runtime;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.log.CapturedLines;
import dev.grapevine.log.GrapevineLogs;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node whose actor system terminates leaves the cluster through CoordinatedShutdown. */
class ShutdownLeaveTest {
    private static final Duration FORMED = Duration.ofSeconds(20);
    private static final String LEAVE_ON = "grapevine.shutdown.leave = on";

    @Test
    void aTerminatedSystemIsRecordedAsLeftNotFailedAndNobodyWarnsAboutItAfterwards() {
        CapturedLines lines = new CapturedLines();
        Logger grapevine = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.grapevine");
        lines.setContext(grapevine.getLoggerContext());
        lines.start();
        grapevine.addAppender(lines);
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), LEAVE_ON);
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), LEAVE_ON);
            // c's system has another name: its leave is addressed and heard all the same.
            LocalCluster.Node c = cluster.startAs("shop", "c", List.of(a.address().toString()), LEAVE_ON);
            for (LocalCluster.Node viewer : List.of(a, b, c)) {
                for (String name : List.of("a", "b", "c")) {
                    LocalCluster.awaitStatus(viewer, name, MemberStatus.ALIVE, FORMED);
                }
            }
            TestProbe<MemberEvent> events = TestProbe.create(a.system());
            LocalCluster.subscribe(a, events.getRef(), null);

            c.system().terminate(); // no explicit leave: CoordinatedShutdown's task leaves
            c.system().getWhenTerminated().toCompletableFuture().join();
            for (LocalCluster.Node survivor : List.of(a, b)) {
                LocalCluster.awaitStatus(survivor, "c", MemberStatus.LEFT, Duration.ofSeconds(10));
            }
            List<MemberEvent> aboutC = events.fishForMessage(FORMED, e -> e.member().name().equals("c")
                            && e.member().status() == MemberStatus.LEFT
                            ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                            : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore()).stream()
                    .filter(e -> e.member().name().equals("c")).toList();
            assertEquals(MemberEvent.Kind.LEFT, aboutC.get(aboutC.size() - 1).kind(), "a's events about c: " + aboutC);
            assertTrue(aboutC.stream().noneMatch(e -> e.kind() == MemberEvent.Kind.FAILED), "a's events about c: " + aboutC);

            // Several probe rounds later: c is still left everywhere, and no survivor warned about it.
            long probes = a.metric("probes");
            TestProbe.create(a.system()).awaitAssert(FORMED, Duration.ofMillis(100), () -> {
                assertTrue(a.metric("probes") >= probes + 10, "probes at a: " + a.metric("probes"));
                return null;
            });
            for (LocalCluster.Node survivor : List.of(a, b)) {
                assertEquals(MemberStatus.LEFT, LocalCluster.member(survivor, "c").status());
            }
            List<ch.qos.logback.classic.spi.ILoggingEvent> logged;
            synchronized (lines.list) {
                logged = new java.util.ArrayList<>(lines.list);
            }
            for (String node : List.of("a", "b")) {
                List<String> warnings = logged.stream()
                        .filter(e -> node.equals(e.getMDCPropertyMap().get(GrapevineLogs.NODE_MDC)))
                        .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                        .map(e -> e.getFormattedMessage()).filter(m -> m.contains("c ") || m.contains(c.address().toString()))
                        .toList();
                assertEquals(List.of(), warnings, node + " warned about c");
            }
            List<String> cLog = logged.stream().filter(e -> "c".equals(e.getMDCPropertyMap().get(GrapevineLogs.NODE_MDC)))
                    .map(e -> e.getFormattedMessage()).toList();
            assertTrue(cLog.contains("c left the cluster; its actor system stops"), "c logged " + cLog);
        } finally {
            grapevine.detachAppender(lines);
        }
    }
}
