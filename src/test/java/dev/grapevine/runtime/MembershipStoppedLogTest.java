package dev.grapevine.runtime;

import dev.grapevine.log.CapturedLines;
import dev.grapevine.log.GrapevineLogs;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.PoisonPill;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A membership actor stopped (not failed) stops its node, and the log says so rather than blaming failures. */
class MembershipStoppedLogTest {
    @Test
    void aStoppedMembershipIsLoggedAsStoppedNotAsFailedTenTimes() {
        CapturedLines lines = CapturedLines.attachedTo(GrapevineLogs.NODE);
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            // The guardian spawns membership asynchronously: one answered ask proves it exists before
            // the selection below is resolved, or the PoisonPill would go to dead letters.
            LocalCluster.members(a);
            // Locally, as nothing remote can any more (untrusted mode): a stop, not a failure.
            Adapter.toClassic(a.system()).actorSelection("/system/grapevine/membership")
                    .tell(PoisonPill.getInstance(), ActorRef.noSender());
            await().atMost(Duration.ofSeconds(20)).until(() -> a.system().whenTerminated().isCompleted());
            List<String> errors = lines.of("a", GrapevineLogs.NODE).stream().filter(l -> l.startsWith("ERROR")).toList();
            assertEquals(List.of("ERROR membership of a was stopped, not by a failure; the node and its actor system stop"), errors);
        } finally {
            lines.detach();
        }
    }
}
