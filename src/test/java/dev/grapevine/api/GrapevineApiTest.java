package dev.grapevine.api;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public API, used as domain code uses it: two nodes, each started by {@code Grapevine.get}. */
class GrapevineApiTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private final List<ActorSystem<Void>> systems = new ArrayList<>();

    private ActorSystem<Void> node(String name, String seed) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "grapevine", ConfigFactory.parseString(
                "pekko.loglevel = WARNING\n"
                        + "grapevine { profile = local, node.name = " + name
                        + (seed == null ? "" : ", seeds = [\"" + seed + "\"]") + " }\n")
                .withFallback(NodeBootstrap.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load()));
        systems.add(system);
        return system;
    }

    @AfterEach
    void stop() {
        systems.forEach(ActorSystem::terminate);
        systems.forEach(s -> s.getWhenTerminated().toCompletableFuture().join());
    }

    @Test
    void domainCodeSeesMembersEventsAndTags() throws Exception {
        ActorSystem<Void> a = node("a", null);
        Grapevine ga = Grapevine.get(a);
        assertTrue(ga == Grapevine.get(a), "one node per system");
        TestProbe<MembershipEvent> changes = TestProbe.create(a);
        ga.subscribe(changes.getRef());
        assertEquals(MembershipEvent.Kind.JOINED, changes.receiveMessage().kind(), "the current view comes first");

        TestProbe<LiveMembers> live = TestProbe.create(a);
        ga.subscribeLiveMembers(live.getRef());

        ActorSystem<Void> b = node("b", ga.address());
        Grapevine gb = Grapevine.get(b);
        MembershipEvent joined = changes.fishForMessage(DEADLINE, e -> e.member().name().equals("b")
                ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0);
        assertEquals(MembershipEvent.Kind.JOINED, joined.kind());
        assertEquals(gb.address(), joined.member().address());

        // a saw b's join; b learns of a from a's answer, which may still be on its way.
        changes.awaitAssert(DEADLINE, Duration.ofMillis(100), () -> {
            List<Member> seenByB = gb.members().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertTrue(seenByB.stream().anyMatch(m -> m.name().equals("a") && m.status() == MemberStatus.ALIVE), seenByB.toString());
            return null;
        });

        changes.awaitAssert(DEADLINE, Duration.ofMillis(200), () -> {
            assertTrue(ga.metrics().getOrDefault("probes", 0L) > 0, "probes are counted: " + ga.metrics());
            assertEquals(2L, ga.metrics().get("members_live"), ga.metrics().toString());
            return null;
        });

        TestProbe<UserEvent> events = TestProbe.create(a);
        ga.subscribeUserEvents(events.getRef());
        gb.sendUserEvent("deploy", "v42".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        UserEvent e = events.receiveMessage(DEADLINE);
        assertEquals("deploy", e.name());
        assertEquals("b", e.origin());
        assertEquals("v42", new String(e.payload(), StandardCharsets.UTF_8));

        gb.setTags(Map.of("role", "db"));
        MembershipEvent updated = changes.fishForMessage(DEADLINE, c -> c.kind() == MembershipEvent.Kind.UPDATED
                ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0);
        assertEquals(Map.of("role", "db", "grapevine.system", "grapevine"), updated.member().tags(), "with the node's own");
        assertEquals(java.util.Optional.of("grapevine"), updated.member().systemName());

        LiveMembers both = live.fishForMessage(DEADLINE, v -> v.names().equals(List.of("a", "b"))
                ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0);

        gb.leave().toCompletableFuture().get(5, TimeUnit.SECONDS);
        LiveMembers after = live.fishForMessage(DEADLINE, v -> v.names().equals(List.of("a"))
                ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0);
        assertTrue(after.version() > both.version(), "versions only grow");
        MembershipEvent left = changes.fishForMessage(DEADLINE, c -> c.kind() == MembershipEvent.Kind.LEFT
                ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0);
        assertEquals("b", left.member().name());
    }

    @Test
    void everyNodeReadsTheApplicationStateEachMemberPublished() throws Exception {
        ActorSystem<Void> a = node("a", null);
        Grapevine ga = Grapevine.get(a);
        Grapevine gb = Grapevine.get(node("b", ga.address()));
        TestProbe<Object> wait = TestProbe.create(a);
        ga.publishState("schema", "v1".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        gb.publishState("schema", "v1".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        gb.publishState("schema", "v2".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        wait.awaitAssert(DEADLINE, Duration.ofMillis(100), () -> {
            for (Grapevine g : List.of(ga, gb)) {
                Map<String, byte[]> states = g.states("schema").toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertEquals(List.of("a", "b"), List.copyOf(states.keySet()), g.name() + " holds " + states.keySet());
                assertEquals("v1", new String(states.get("a"), StandardCharsets.UTF_8), g.name());
                assertEquals("v2", new String(states.get("b"), StandardCharsets.UTF_8), g.name() + ": the newest of b's");
            }
            return null;
        });
        assertEquals(Map.of(), ga.states("nobody-published").toCompletableFuture().get(5, TimeUnit.SECONDS));

        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                () -> ga.publishState("k", new byte[Grapevine.STATE_BYTES_MAX]));
        assertEquals("application state 'k' takes 257 bytes (key plus value); the limit is 256", tooLarge.getMessage());
        for (int i = 1; i < Grapevine.STATE_KEYS_MAX; i++) {
            ga.publishState("k" + i, new byte[0]).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        CompletionException tooMany = assertThrows(CompletionException.class,
                () -> ga.publishState("one-more", new byte[0]).toCompletableFuture().join());
        assertInstanceOf(IllegalArgumentException.class, tooMany.getCause());
        assertTrue(tooMany.getCause().getMessage().endsWith("; the limit is " + Grapevine.STATE_KEYS_MAX), tooMany.getCause().getMessage());
    }

    @Test
    void badRequestsFailWithTheReason() {
        Grapevine g = Grapevine.get(node("solo", null));
        CompletionException tooBig = assertThrows(CompletionException.class,
                () -> g.sendUserEvent("big", new byte[100_000]).toCompletableFuture().join());
        assertInstanceOf(IllegalArgumentException.class, tooBig.getCause());
        assertTrue(tooBig.getCause().getMessage().contains("user-event-max-bytes"), tooBig.getCause().getMessage());
        IllegalArgumentException tags = assertThrows(IllegalArgumentException.class, () -> g.setTags(Map.of("k", "v".repeat(2000))));
        assertTrue(tags.getMessage().contains("the limit is " + Grapevine.USER_TAGS_BYTES_MAX), tags.getMessage());
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> g.setTags(Map.of("grapevine.recovery", "x")));
        assertTrue(reserved.getMessage().contains("reserved"), reserved.getMessage());
        IllegalArgumentException join = assertThrows(IllegalArgumentException.class, () -> g.join(List.of("nowhere")));
        assertTrue(join.getMessage().contains("HOST:PORT"), join.getMessage());
    }
}
