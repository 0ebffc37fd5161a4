package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.kv.KvService;
import dev.grapevine.api.NodeBootstrap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The admin API's contract over HTTP, on one node in this JVM: routes, errors, the kv keys' encoding, the monitor. */
class AdminHttpTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static ActorSystem<Void> system;
    private static String base;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        system = ActorSystem.create(Behaviors.empty(), "grapevine", ConfigFactory.parseString(
                        "pekko.loglevel = WARNING\n"
                                + "grapevine { profile = local, node.name = a, node.data-dir = \""
                                + dir.toString().replace("\\", "/") + "\" }\n"
                                + "grapevine.kv.write-quorum = 1\ngrapevine.kv.read-quorum = 1\n"
                                + "grapevine.recovery.replication-factor = 1\n")
                .withFallback(NodeBootstrap.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load()));
        Grapevine grapevine = Grapevine.get(system);
        KvService kv = KvService.start(system);
        AdminServer server = new AdminHttp(system, grapevine, Map.of("name", "a"), kv).bind(new InetSocketAddress("127.0.0.1", 0));
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterAll
    static void stop() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, publisher).timeout(DEADLINE).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A request the JDK's client refuses to send: a malformed path. */
    private static String rawStatusLine(String requestLine) throws Exception {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) DEADLINE.toMillis());
            socket.getOutputStream().write((requestLine + "\r\nHost: " + uri.getAuthority() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void membersAndInfoAnswerInJson() throws Exception {
        HttpResponse<String> members = call("GET", "/v1/members", null);
        assertEquals(200, members.statusCode());
        assertEquals("a", json(members).get("members").get(0).get("name").asText());
        JsonNode info = json(call("GET", "/v1/info", null));
        assertEquals("a", info.get("name").asText());
        assertTrue(info.get("metrics").has("kv_writes"), info.toString());
    }

    @Test
    void anUnknownPathIs404AndTheWrongMethod405() throws Exception {
        HttpResponse<String> missing = call("GET", "/v1/nothing-here", null);
        assertEquals(404, missing.statusCode());
        assertTrue(json(missing).get("error").asText().contains("/v1/nothing-here"), missing.body());
        assertEquals(404, call("GET", "/v1/members/", null).statusCode(), "a trailing slash is another path");
        HttpResponse<String> wrong = call("DELETE", "/v1/members", null);
        assertEquals(405, wrong.statusCode());
        assertTrue(json(wrong).get("error").asText().contains("use GET"), wrong.body());
    }

    @Test
    void badInputIs400WithTheReason() throws Exception {
        HttpResponse<String> join = call("POST", "/v1/join", "{\"addresses\": []}");
        assertEquals(400, join.statusCode());
        assertTrue(json(join).get("error").asText().contains("addresses"), join.body());
        assertEquals(400, call("POST", "/v1/join", "not json").statusCode());
        assertEquals(400, call("POST", "/v1/join", "null").statusCode());
        for (String bad : List.of("not json", "null", "[]", "{\"addresses\": \"h:1\"}", "{\"addresses\": [1, 2]}",
                "{\"addresses\": {\"a\": 1}}", "{\"addresses\": [[\"h:1\"]]}")) {
            HttpResponse<String> r = call("POST", "/v1/join", bad);
            assertEquals(400, r.statusCode(), bad);
            String error = json(r).get("error").asText();
            assertTrue(error.contains("{\"addresses\":[\"host:port\", ...]}") && !error.contains("java")
                    && !error.contains("Exception"), bad + ": about the body, never a Java type: " + error);
        }
        HttpResponse<String> noPort = call("POST", "/v1/join", "{\"addresses\": [\"nohost\"]}");
        assertEquals(400, noPort.statusCode());
        assertEquals("expected HOST:PORT, but got 'nohost'", json(noPort).get("error").asText());
        HttpResponse<String> tags = call("POST", "/v1/tags", "{\"set\": [1]}");
        assertEquals(400, tags.statusCode());
        assertTrue(!tags.body().contains("java") && !tags.body().contains("LinkedHashMap"), tags.body());
        HttpResponse<String> notUtf8 = call("GET", "/kv/%FF", null);
        assertEquals(400, notUtf8.statusCode());
        assertEquals("the path segment '%FF' is not valid UTF-8", json(notUtf8).get("error").asText());

        HttpResponse<String> huge = call("POST", "/v1/event/big", "x".repeat(AdminServer.BODY_BYTES_MAX + 1));
        assertEquals(400, huge.statusCode());
        assertTrue(json(huge).get("error").asText().contains("at most " + AdminServer.BODY_BYTES_MAX), huge.body());

        HttpResponse<String> value = call("PUT", "/kv/k", "x".repeat(AdminServer.BODY_BYTES_MAX + 1));
        assertEquals(400, value.statusCode());
        assertTrue(json(value).get("error").asText().contains("the limit is"), value.body());
        assertTrue(rawStatusLine("GET /kv/%zz HTTP/1.1").contains(" 400 "), "a malformed escape");
    }

    @Test
    void statusListsEveryMemberWithItsShareAndLoad() throws Exception {
        await().atMost(DEADLINE).until(() -> json(call("GET", "/v1/status", null)).path("epoch").isTextual());
        HttpResponse<String> status = call("GET", "/v1/status", null);
        assertEquals(200, status.statusCode());
        JsonNode self = json(status).get("members").get(0);
        assertEquals("a", self.get("name").asText());
        assertEquals(json(status).get("partitions").asInt(), self.get("partitions_owned").asInt(), status.body());
        assertEquals(100.0, self.get("partitions_owned_pct").asDouble(), status.body());
        assertTrue(self.get("keys").isNumber() && self.get("bytes").isNumber(), status.body());
        assertEquals(405, call("POST", "/v1/status", "").statusCode());
    }

    @Test
    void tagsChangeAndBadOnesAre400WithTheRule() throws Exception {
        HttpResponse<String> ok = call("POST", "/v1/tags", "{\"set\":{\"role\":\"web\"},\"delete\":[\"gone\"]}");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("web", json(ok).get("tags").get("role").asText());
        assertTrue(json(ok).get("persisted").asBoolean(), ok.body());

        HttpResponse<String> reserved = call("POST", "/v1/tags", "{\"set\":{\"grapevine.load\":\"1\"}}");
        assertEquals(400, reserved.statusCode());
        assertTrue(json(reserved).get("error").asText().contains("reserved"), reserved.body());
        HttpResponse<String> large = call("POST", "/v1/tags", "{\"set\":{\"big\":\"" + "x".repeat(Grapevine.USER_TAGS_BYTES_MAX) + "\"}}");
        assertEquals(400, large.statusCode());
        assertTrue(json(large).get("error").asText().contains("the limit is " + Grapevine.USER_TAGS_BYTES_MAX), large.body());
        assertEquals(400, call("POST", "/v1/tags", "{}").statusCode(), "nothing to change");
        assertEquals(400, call("POST", "/v1/tags", "{\"set\":{\"k\":\"v\"},\"delete\":[\"k\"]}").statusCode());
        assertEquals(400, call("POST", "/v1/tags", "[1]").statusCode());
    }

    @Test
    void aBadEventNameIs400AboutTheNameNot404() throws Exception {
        for (String path : List.of("/v1/event/", "/v1/event", "/v1/event/a/b", "/v1/event/a%2Fb")) {
            HttpResponse<String> r = call("POST", path, "payload");
            assertEquals(400, r.statusCode(), path + ": " + r.body());
            assertTrue(json(r).get("error").asText().startsWith("an event name is 1.."), r.body());
        }
    }

    @Test
    void aJoinNobodyAnswersIs504() throws Exception {
        int nobody;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            nobody = s.getLocalPort();
        }
        HttpResponse<String> r = call("POST", "/v1/join", "{\"addresses\":[\"127.0.0.1:" + nobody + "\"]}");
        assertEquals(504, r.statusCode(), r.body());
        assertEquals("127.0.0.1:" + nobody, json(r).get("failed").get(0).asText());
        assertTrue(json(r).get("error").asText().contains("no node answered"), r.body());
    }

    @Test
    void infoCarriesTheVersionAndUptime() throws Exception {
        JsonNode info = json(call("GET", "/v1/info", null));
        assertEquals(Version.current(), info.get("version").asText());
        assertTrue(info.get("uptime_seconds").asLong() >= 0, info.toString());
        assertTrue(java.time.Instant.parse(info.get("started_at").asText()).isBefore(java.time.Instant.now().plusSeconds(1)));
    }

    @Test
    void aKeyIsOnePercentEncodedSegment() throws Exception {
        awaitOwnership();
        String key = "a/b c+d";
        String path = "/kv/" + AdminClient.encodeSegment(key);
        HttpResponse<String> put = call("PUT", path, "v1");
        assertEquals(200, put.statusCode(), put.body());
        JsonNode got = json(call("GET", path, null));
        assertEquals(key, got.get("key").asText());
        assertEquals("v1", got.get("value").asText());
        assertEquals(200, call("DELETE", path, null).statusCode());
        assertEquals(404, call("GET", path, null).statusCode());
        assertEquals(405, call("POST", path, "x").statusCode());
    }

    @Test
    void theMonitorStreamsTheViewThenEventsStampedOnDelivery() throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/monitor")).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertTimeoutPreemptively(DEADLINE, () -> {
                JsonNode first = Json.MAPPER.readTree(lines.readLine());
                assertEquals("member", first.get("type").asText(), "the current view comes first");
                long before = System.currentTimeMillis();
                assertEquals(200, call("POST", "/v1/event/deploy", "v42").statusCode());
                JsonNode event;
                do {
                    event = Json.MAPPER.readTree(lines.readLine());
                } while (!event.get("type").asText().equals("user"));
                assertEquals("deploy", event.get("name").asText());
                assertTrue(event.get("at_ms").asLong() >= before, event.toString());
            });
        }
    }

    private static void awaitOwnership() {
        await("recovery complete on a one-node cluster").atMost(DEADLINE)
                .until(() -> json(call("GET", "/v1/recovery", null)).get("complete").asBoolean());
    }
}
