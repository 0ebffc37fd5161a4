package dev.grapevine.examples;

import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.Member;
import dev.grapevine.api.NodeBootstrap;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VersionReporterTest {

    private static <T> ActorSystem<T> node(Behavior<T> guardian, String name, String seed) {
        return ActorSystem.create(guardian, "grapevine", ConfigFactory.parseString(
                "pekko.loglevel = WARNING\n"
                        + "grapevine { profile = local, node.name = " + name
                        + (seed == null ? "" : ", seeds = [\"" + seed + "\"]") + " }")
                .withFallback(NodeBootstrap.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load()));
    }

    @Test
    void aDeployEventShowsUpAsTheReportersVersionTagEverywhere() throws Exception {
        ActorSystem<Void> operator = node(Behaviors.empty(), "operator", null);
        ActorSystem<Object> app = node(VersionReporter.create(), "app-1", Grapevine.get(operator).address());
        try {
            Grapevine ops = Grapevine.get(operator);
            TestProbe<Void> probe = TestProbe.create(operator);
            probe.awaitAssert(Duration.ofSeconds(20), Duration.ofMillis(100), () -> {
                assertEquals(2, ops.members().toCompletableFuture().get(5, TimeUnit.SECONDS).size());
                return null;
            });
            ops.sendUserEvent("deploy", "v43".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            probe.awaitAssert(Duration.ofSeconds(20), Duration.ofMillis(100), () -> {
                List<Member> members = ops.members().toCompletableFuture().get(5, TimeUnit.SECONDS);
                Member reporter = members.stream().filter(m -> m.name().equals("app-1")).findFirst().orElseThrow();
                assertEquals("v43", reporter.tags().get("version"));
                return null;
            });
        } finally {
            app.terminate();
            operator.terminate();
            app.getWhenTerminated().toCompletableFuture().join();
            operator.getWhenTerminated().toCompletableFuture().join();
        }
    }
}
