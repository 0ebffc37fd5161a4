package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvCommandsTest {
    private final FakeKvAgent agent = new FakeKvAgent();

    KvCommandsTest() throws IOException {
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    private CliRun kv(String... args) {
        return agent.kv(args);
    }

    @Test
    void putGetDeleteRoundTrip() {
        CliRun put = kv("put", "colour", "green");
        assertEquals(0, put.code(), put.toString());
        assertEquals("OK (3 acks)", put.out().strip());
        CliRun get = kv("get", "colour");
        assertEquals(0, get.code(), get.toString());
        assertEquals("green", get.out().strip());
        CliRun delete = kv("delete", "colour");
        assertEquals(0, delete.code(), delete.toString());
        assertEquals("OK (3 acks)", delete.out().strip());
        CliRun gone = kv("get", "colour");
        assertEquals(1, gone.code(), gone.toString());
        assertEquals("grapevine: colour not found", gone.err().strip());
        assertEquals("", gone.out());
    }

    @Test
    void aKeyWithSlashesSpacesAndUnicodeIsOneEncodedSegment() {
        String key = "a/b c/ü€+..";
        assertEquals(0, kv("put", key, "wert ü").code());
        assertEquals("wert ü", agent.values.get(key));
        assertTrue(agent.rawPaths.contains("/kv/a%2Fb%20c%2F%C3%BC%E2%82%AC%2B%2E%2E"), agent.rawPaths.toString());
        CliRun get = kv("get", key);
        assertEquals(0, get.code(), get.toString());
        assertEquals("wert ü", get.out().strip());
        CliRun replicas = kv("replicas", key, "--json");
        assertEquals(0, replicas.code(), replicas.toString());
        assertEquals(key, replicas.json().get("key").asText());
    }

    @Test
    void aKeyEndingInReplicasIsStillAKey() {
        assertEquals(0, kv("put", "x/replicas", "v").code());
        assertEquals("v", agent.values.get("x/replicas"));
        assertEquals("v", kv("get", "x/replicas").out().strip());
    }

    @Test
    void jsonPrintsTheAgentsAnswer() {
        JsonNode put = kv("put", "k", "v", "--json").json();
        assertEquals("k", put.get("key").asText());
        assertEquals(3, put.get("acks").asInt());
        JsonNode get = kv("get", "k", "--json").json();
        assertEquals("v", get.get("value").asText());
        assertFalse(get.get("version").asText().isEmpty());
        CliRun missing = kv("get", "nope", "--json");
        assertEquals(1, missing.code());
        assertEquals("not found", missing.json().get("error").asText());
        assertEquals(3, kv("delete", "k", "--json").json().get("acks").asInt());
    }

    @Test
    void tooFewReplicasIsExitOneWithTheReasonOnStderr() {
        agent.unavailable = key -> key.equals("hot");
        CliRun put = kv("put", "hot", "v");
        assertEquals(1, put.code(), put.toString());
        assertEquals("", put.out());
        assertEquals("grapevine: hot: only 1 of 2 required replicas answered within 2000 ms (1 acks)", put.err().strip());
        assertEquals(1, kv("get", "hot").code());
        assertEquals(1, kv("delete", "hot").code());
        CliRun json = kv("put", "hot", "v", "--json");
        assertEquals(1, json.code());
        assertEquals(1, json.json().get("acks").asInt());
        assertEquals(0, kv("put", "cold", "v").code());
    }

    @Test
    void aValueTheAgentRefusesIsBadInput() {
        CliRun put = kv("put", "k", "");
        assertEquals(2, put.code(), put.toString());
        assertEquals("grapevine: k: the value must not be empty", put.err().strip());
        assertEquals(2, kv("get", "").code());
    }

    @Test
    void replicasIsATable() {
        kv("put", "k", "v".repeat(100));
        CliRun table = kv("replicas", "k");
        assertEquals(0, table.code(), table.toString());
        String[] lines = table.out().split("\n");
        assertEquals("key k, partition 12", lines[0]);
        assertTrue(lines[1].startsWith("NODE") && lines[1].contains("STATUS") && lines[1].contains("VERSION")
                && lines[1].contains("VALUE"), lines[1]);
        assertTrue(lines[2].matches("n1 +alive +1 +v{40}\\.\\.\\."), lines[2]);
        assertTrue(lines[4].matches("n3 +dead +- +-"), lines[4]);
        JsonNode json = kv("replicas", "k", "--json").json();
        assertEquals(12, json.get("partition").asInt());
        assertEquals("v".repeat(100), json.get("replicas").get(0).get("value").asText());
        assertTrue(json.get("replicas").get(2).get("value").isNull());
    }

    @Test
    void anUnreachableAgentIsOneClearLine() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CliRun get = CliRun.of("kv", "get", "k", "--http", "127.0.0.1:" + closed);
        assertEquals(2, get.code(), get.toString());
        assertTrue(get.err().startsWith("grapevine: cannot reach the agent at 127.0.0.1:" + closed), get.err());
    }

    @Test
    void anAgentWithoutTheKvApiIsNamed() throws IOException {
        HttpServer old = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        old.start();
        try {
            CliRun get = CliRun.of("kv", "get", "k", "--http", "127.0.0.1:" + old.getAddress().getPort());
            assertEquals(2, get.code(), get.toString());
            assertTrue(get.err().contains("has no /kv API"), get.err());
        } finally {
            old.stop(0);
        }
    }

    @Test
    void segmentsAreEncodedByteByByte() {
        assertEquals("key-000001", AdminClient.encodeSegment("key-000001"));
        assertEquals("a%2Fb%20c", AdminClient.encodeSegment("a/b c"));
        assertEquals("%C3%BC%2B%25%3F%23%2E", AdminClient.encodeSegment("ü+%?#."));
        assertEquals("A_z~9", AdminClient.encodeSegment("A_z~9"));
    }
}
