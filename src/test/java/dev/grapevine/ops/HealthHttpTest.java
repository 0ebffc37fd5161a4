package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /health/live and /health/ready on nodes in this JVM: not ready before joining, ready after, not after leaving. */
class HealthHttpTest {

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void aNodeThatStartsAClusterIsLiveAndThenReady(@TempDir Path dir) throws Exception {
        try (InProcessNode a = new InProcessNode("a", dir, List.of())) {
            HttpResponse<String> live = a.get(HealthHttp.LIVE_PATH);
            assertEquals(200, live.statusCode());
            assertEquals("live", json(live).get("status").asText());
            await().atMost(InProcessNode.DEADLINE).until(() -> a.get(HealthHttp.READY_PATH).statusCode() == 200);
            assertEquals("ready", json(a.get(HealthHttp.READY_PATH)).get("status").asText());
        }
    }

    @Test
    void readyWaitsForAJoinAndEndsWithALeave(@TempDir Path dir) throws Exception {
        int unreachable;
        try (ServerSocket s = new ServerSocket(0)) {
            unreachable = s.getLocalPort(); // closed below: nothing answers there
        }
        try (InProcessNode a = new InProcessNode("a", Files.createDirectories(dir.resolve("a")), List.of());
             InProcessNode c = new InProcessNode("c", Files.createDirectories(dir.resolve("c")),
                     List.of("127.0.0.1:" + unreachable))) {
            assertEquals(200, c.get(HealthHttp.LIVE_PATH).statusCode());
            HttpResponse<String> notYet = c.get(HealthHttp.READY_PATH);
            assertEquals(503, notYet.statusCode());
            JsonNode body = json(notYet);
            assertEquals("not ready", body.get("status").asText());
            assertTrue(body.get("reasons").toString().contains("not joined: no other live member yet (joining 127.0.0.1:"
                    + unreachable + ")"), body.toString());

            c.grapevine.join(List.of(a.grapevine.address()));
            await().atMost(InProcessNode.DEADLINE).until(() -> c.get(HealthHttp.READY_PATH).statusCode() == 200);

            c.grapevine.leave().toCompletableFuture().join();
            await().atMost(InProcessNode.DEADLINE).untilAsserted(() -> {
                HttpResponse<String> left = c.get(HealthHttp.READY_PATH);
                assertEquals(503, left.statusCode());
                assertEquals("[\"left the cluster\"]", json(left).get("reasons").toString());
            });
        }
    }

    /**
     * A domain that says it cannot hold its data (the key-value store on a full disk does) makes the
     * node unready, naming the reason and the partitions it holds up, until it says it can again.
     */
    @Test
    void notReadyWhileADomainCannotHoldItsData(@TempDir Path dir) throws Exception {
        try (InProcessNode a = new InProcessNode("a", dir, List.of())) {
            await().atMost(InProcessNode.DEADLINE).until(() -> a.get(HealthHttp.READY_PATH).statusCode() == 200);
            a.grapevine.reportUnavailable("kv", "the key-value store cannot write to its disk: No space left on device");
            await().atMost(InProcessNode.DEADLINE).untilAsserted(() -> {
                HttpResponse<String> r = a.get(HealthHttp.READY_PATH);
                assertEquals(503, r.statusCode(), r.body());
                String reasons = json(r).get("reasons").toString();
                assertTrue(reasons.contains("domain kv cannot hold its data here: the key-value store cannot write to its disk: "
                        + "No space left on device"), reasons);
                assertTrue(reasons.contains("partitions pending"), reasons);
            });
            a.grapevine.reportAvailable("kv");
            await().atMost(InProcessNode.DEADLINE).until(() -> a.get(HealthHttp.READY_PATH).statusCode() == 200);
        }
    }
}
