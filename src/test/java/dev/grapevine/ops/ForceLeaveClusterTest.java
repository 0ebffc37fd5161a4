package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.ForceLeaveResult;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.Member;
import dev.grapevine.api.MemberStatus;
import dev.grapevine.api.NodeBootstrap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Force-leave end to end on three real nodes in this JVM (Artery over TCP, local profile): refused for
 * a live member, unknown names and the node itself; after a crash, accepted on one survivor and
 * recorded as left by both, through the api, the admin HTTP API and the CLI.
 */
class ForceLeaveClusterTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final HttpClient http = HttpClient.newHttpClient();
    private final List<ActorSystem<Void>> systems = new ArrayList<>();

    @TempDir
    Path dirs;

    private record Node(ActorSystem<Void> system, Grapevine grapevine, String http, Path dataDir) {
    }

    private Node start(String name, String seed) throws Exception {
        Path dataDir = dirs.resolve(name);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "grapevine", ConfigFactory.parseString(
                        "pekko.loglevel = WARNING\npekko.coordinated-shutdown.exit-jvm = off\n"
                                + "grapevine.shutdown.leave = off\n" // c's terminate is a crash here
                                + "grapevine { profile = local, node.name = " + name + ", node.data-dir = \""
                                + dataDir.toString().replace("\\", "/") + "\" }\n"
                                + "grapevine.seeds = [" + (seed == null ? "" : "\"" + seed + "\"") + "]\n")
                .withFallback(NodeBootstrap.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load()));
        systems.add(system);
        Grapevine grapevine = Grapevine.get(system);
        AdminServer server = new AdminHttp(system, grapevine, Map.of("name", name), null)
                .bind(new InetSocketAddress("127.0.0.1", 0));
        return new Node(system, grapevine, "127.0.0.1:" + server.address().getPort(), dataDir);
    }

    @AfterEach
    void stop() {
        systems.forEach(ActorSystem::terminate);
        systems.forEach(s -> s.getWhenTerminated().toCompletableFuture().join());
    }

    private static MemberStatus statusOf(Node viewer, String name) throws Exception {
        return viewer.grapevine().members().toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
                .filter(m -> m.name().equals(name)).map(Member::status).findFirst().orElse(null);
    }

    private static void awaitStatus(Node viewer, String name, MemberStatus status) {
        await(viewer.grapevine().name() + " sees " + name + " " + status).atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(100)).until(() -> statusOf(viewer, name) == status);
    }

    private static HttpResponse<String> post(Node node, String rawPath) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + node.http() + rawPath))
                        .POST(HttpRequest.BodyPublishers.noBody()).timeout(DEADLINE).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCrashedMemberIsRemovedFromOneSurvivorAndLeftOnBoth() throws Exception {
        Node a = start("a", null);
        Node b = start("b", a.grapevine().address());
        Node c = start("c", a.grapevine().address());
        for (Node viewer : List.of(a, b)) {
            for (String name : List.of("a", "b", "c")) {
                awaitStatus(viewer, name, MemberStatus.ALIVE);
            }
        }

        // Refused while c is alive, for unknown names and for the node itself; bad names get a 400.
        HttpResponse<String> alive = post(a, "/v1/force-leave/c");
        assertEquals(409, alive.statusCode(), alive.body());
        assertEquals("c is alive; only a dead or suspect member can be removed; stop it or make it leave",
                Json.MAPPER.readTree(alive.body()).get("error").asText());
        CliRun refused = CliRun.of("force-leave", "c", "--http", a.http());
        assertEquals(1, refused.code(), refused.toString());
        assertEquals("grapevine: c is alive; only a dead or suspect member can be removed; stop it or make it leave",
                refused.err().strip());
        assertEquals("", refused.out());
        CliRun refusedJson = CliRun.of("force-leave", "c", "--json", "--http", a.http());
        assertEquals(1, refusedJson.code(), refusedJson.toString());
        assertEquals("c", refusedJson.json().get("name").asText(), "--json prints the agent's refusal for scripts");
        assertTrue(refusedJson.json().get("error").asText().startsWith("c is alive"), refusedJson.toString());
        CliRun unknown = CliRun.of("force-leave", "nobody", "--http", a.http());
        assertEquals(1, unknown.code(), unknown.toString());
        assertEquals("grapevine: no member named nobody is known here", unknown.err().strip());
        assertEquals(404, post(a, "/v1/force-leave/nobody").statusCode());
        assertEquals(409, post(a, "/v1/force-leave/a").statusCode());
        HttpResponse<String> empty = post(a, "/v1/force-leave/%20");
        assertEquals(400, empty.statusCode());
        assertTrue(Json.MAPPER.readTree(empty.body()).get("error").asText().contains("member name is empty"), empty.body());
        assertEquals(400, post(a, "/v1/force-leave").statusCode());
        assertEquals(405, http.send(HttpRequest.newBuilder(URI.create("http://" + a.http() + "/v1/force-leave/c")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        CliRun badName = CliRun.of("force-leave", "", "--http", a.http());
        assertEquals(2, badName.code(), badName.toString());
        assertTrue(badName.err().contains("the member name is empty"), badName.err());
        assertEquals(MemberStatus.ALIVE, statusOf(b, "c"), "nothing happened to c");

        String cAddress = c.grapevine().address();
        c.system().terminate(); // a crash, to its peers: it says nothing
        c.system().getWhenTerminated().toCompletableFuture().join();
        awaitStatus(a, "c", MemberStatus.DEAD);
        awaitStatus(b, "c", MemberStatus.DEAD);

        CliRun removed = CliRun.of("force-leave", "c", "--json", "--http", a.http());
        assertEquals(0, removed.code(), removed.toString());
        JsonNode body = removed.json();
        assertEquals("c", body.get("name").asText());
        assertEquals("left", body.get("status").asText());

        awaitStatus(a, "c", MemberStatus.LEFT);
        awaitStatus(b, "c", MemberStatus.LEFT);
        ForceLeaveResult again = b.grapevine().forceLeave("c").toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(ForceLeaveResult.Outcome.ALREADY_LEFT, again.outcome());
        assertTrue(again.accepted());
        CliRun human = CliRun.of("force-leave", "c", "--http", b.http());
        assertEquals(0, human.code(), human.toString());
        assertEquals("c has left already", human.out().strip());

        await("force_leaves counted").atMost(DEADLINE).until(() -> a.grapevine().metrics().getOrDefault("force_leaves", 0L) == 1L);
        assertEquals(0L, b.grapevine().metrics().getOrDefault("force_leaves", 0L), "b only heard of it");
        for (Node survivor : List.of(a, b)) {
            Path peers = survivor.dataDir().resolve("peers");
            await("peers file of " + survivor.grapevine().name()).atMost(DEADLINE)
                    .until(() -> Files.exists(peers) && !Files.readString(peers).isBlank());
            assertFalse(Files.readString(peers).contains(cAddress), "a restart must not redial c: " + Files.readString(peers));
        }
    }
}
