package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.Names;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's control verbs through the CLI, against agents started in this JVM: {@code a} runs the
 * key-value store and has a data dir, {@code b} has neither.
 */
class ControlVerbsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final List<AgentCommand.Started> started = new ArrayList<>();
    private static AgentCommand.Started a;
    private static AgentCommand.Started b;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path kv = dir.resolve("kv.conf");
        Files.writeString(kv, "pekko.loglevel = WARNING\ngrapevine.kv.enabled = true\n"
                + "grapevine.kv.write-quorum = 1\ngrapevine.kv.read-quorum = 1\n");
        Path plain = dir.resolve("plain.conf");
        Files.writeString(plain, "pekko.loglevel = WARNING\ngrapevine.kv.enabled = false\n");
        a = agent("--node", "a", "--config", kv.toString(), "--data-dir", dir.resolve("a").toString(), "--tag", "role=db");
        b = agent("--node", "b", "--config", plain.toString(), "--join", a.gossip().toString());
        await("a sees b alive").atMost(DEADLINE).until(() -> CliRun.of("members", "--status", "alive", "--http", http(a))
                .out().contains("b "));
    }

    static AgentCommand.Started agent(String... flags) throws IOException {
        List<String> all = new ArrayList<>(List.of(flags));
        all.addAll(List.of("--bind", "127.0.0.1:" + freePort(), "--http", "127.0.0.1:" + freePort(), "--profile", "local"));
        AgentCommand command = new AgentCommand();
        new CommandLine(command).parseArgs(all.toArray(String[]::new));
        AgentCommand.Started s = command.start();
        started.add(s);
        return s;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String http(AgentCommand.Started s) {
        return s.admin().toString();
    }

    @AfterAll
    static void stop() {
        for (AgentCommand.Started s : started) {
            s.system().terminate();
            s.system().getWhenTerminated().toCompletableFuture().join();
        }
    }

    private static JsonNode member(JsonNode status, String name) {
        for (JsonNode m : status.path("members")) {
            if (m.path("name").asText().equals(name)) {
                return m;
            }
        }
        throw new AssertionError(name + " is not in " + status);
    }

    @Test
    void statusShowsEachMembersShareLoadAndPendingRecovery() {
        assertEquals(0, CliRun.of("kv", "put", "k1", "v1", "--http", http(a)).code());
        await("a's epoch of its store settles").atMost(DEADLINE).until(() -> {
            JsonNode s = CliRun.of("status", "--json", "--http", http(a)).json();
            return member(s, "a").path("partitions_owned").isNumber() && member(s, "a").path("keys").asLong() >= 1;
        });
        JsonNode s = CliRun.of("status", "--json", "--http", http(a)).json();
        int partitions = s.path("partitions").asInt();
        JsonNode ra = member(s, "a");
        JsonNode rb = member(s, "b");
        assertEquals(a.gossip().toString(), ra.path("address").asText());
        assertEquals("alive", rb.path("status").asText());
        assertTrue(partitions > 0, s.toString());
        assertEquals(partitions, ra.path("partitions_owned").asInt(), "a runs the only store, so it owns every partition: " + s);
        assertTrue(rb.path("partitions_owned").isNull(), "b runs no store, so it owns no partition of it: " + s);
        assertEquals(100.0, ra.path("partitions_owned_pct").asDouble(), s.toString());
        assertEquals("local", ra.path("load_from").asText());
        assertTrue(ra.path("bytes").asLong() > 0, "a keeps its store in a file: " + s);
        assertTrue(rb.path("keys").isNull(), "b runs no store, so its load is unknown: " + s);
        assertTrue(ra.path("recovery_pending").isNumber(), s.toString());

        CliRun human = CliRun.of("status", "--http", http(a));
        assertEquals(0, human.code(), human.toString());
        assertTrue(human.out().lines().anyMatch(l -> l.matches("NAME +ADDRESS +STATUS +OWNS +KEYS +BYTES +PENDING")), human.out());
        assertTrue(human.out().lines().anyMatch(l -> l.matches("a +127\\.0\\.0\\.1:\\d+ +alive +" + partitions + "/" + partitions
                + " 100\\.0% +\\d+ +[\\d.]+ (B|KiB|MiB) +\\d+")), human.out());
        assertTrue(human.out().lines().anyMatch(l -> l.matches("b +127\\.0\\.0\\.1:\\d+ +alive +- +- +- +-")), human.out());
    }

    @Test
    void aMembersLoadReachesTheOthersByGossip() {
        await("b hears a's load").atMost(DEADLINE).until(() -> {
            JsonNode ra = member(CliRun.of("status", "--json", "--http", http(b)).json(), "a");
            return ra.path("keys").isNumber() && ra.path("load_from").asText().equals("gossip");
        });
    }

    @Test
    void repairStartsARoundAndSaysHowToFollowIt() {
        CliRun run = CliRun.of("repair", "--http", http(a));
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("repair round started") && run.out().contains("grapevine recovery"), run.out());
        assertTrue(run.out().matches("(?s)repair round started on the agent at " + java.util.regex.Pattern.quote(http(a))
                + " \\(kv, \\d+ partitions\\): .*"), run.out());
        JsonNode json = CliRun.of("repair", "--json", "--http", http(a)).json();
        assertEquals("started", json.path("repair").asText());
        assertEquals("kv", json.path("domain").asText());

        // b runs no recoverable domain: it says so, as nodetool says "Nothing to repair", and exits 0.
        CliRun nothing = CliRun.of("repair", "--http", http(b));
        assertEquals(0, nothing.code(), nothing.toString());
        assertEquals("nothing to repair on the agent at " + http(b)
                + ": this node runs no recoverable domain, so it owns no partition to repair\n", nothing.out());
        assertEquals("nothing", CliRun.of("repair", "--json", "--http", http(b)).json().path("repair").asText());
    }

    @Test
    void tagsAreSetAndDeletedAndKeptInTheDataDir() throws Exception {
        CliRun set = CliRun.of("tags", "set", "zone=a", "rack=r1", "--http", http(a));
        assertEquals(0, set.code(), set.toString());
        assertTrue(set.out().contains("rack=r1") && set.out().contains("role=db") && set.out().contains("zone=a"), set.out());
        assertFalse(set.out().contains("will not survive"), set.out());

        CliRun delete = CliRun.of("tags", "delete", "rack", "--json", "--http", http(a));
        assertEquals(0, delete.code(), delete.toString());
        JsonNode tags = delete.json().path("tags");
        assertEquals("a", tags.path("zone").asText());
        assertTrue(tags.path("rack").isMissingNode(), tags.toString());
        assertTrue(delete.json().path("persisted").asBoolean());
        String file = Files.readString(Path.of(CliRun.of("info", "--json", "--http", http(a)).json().path("data_dir").asText(), "tags"));
        assertTrue(file.contains("\"zone\"") && file.contains("\"rack\""), file);

        await("b sees a's new tags").atMost(DEADLINE).until(() -> CliRun.of("members", "--http", http(b)).out()
                .lines().anyMatch(l -> l.startsWith("a ") && l.contains("zone=a") && !l.contains("rack=")));
    }

    @Test
    void aNodeWithoutADataDirSaysTheChangeWillNotSurviveARestart() {
        CliRun run = CliRun.of("tags", "set", "tier=free", "--http", http(b));
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("tier=free") && run.out().contains("will not survive a restart"), run.out());
    }

    @Test
    void tagsOverTheLimitTogetherWithTheNodesOthersAreRefusedByTheAgentNamingTheLimit() {
        String half = "x".repeat(Grapevine.USER_TAGS_BYTES_MAX / 2);
        assertEquals(0, CliRun.of("tags", "set", "first=" + half, "--http", http(b)).code());
        try {
            CliRun second = CliRun.of("tags", "set", "second=" + half, "--http", http(b));
            assertEquals(2, second.code(), second.toString());
            assertTrue(second.err().matches("grapevine: the agent refused: the tags would take \\d+ bytes; the limit is "
                    + Grapevine.USER_TAGS_BYTES_MAX + "\n"), second.toString());
        } finally {
            assertEquals(0, CliRun.of("tags", "delete", "first", "--http", http(b)).code());
        }
    }

    @Test
    void badTagsAreRefusedBeforeAnythingIsSent() throws IOException {
        String nobody = "127.0.0.1:" + freePort(); // a refusal from here would say the agent cannot be reached
        CliRun reserved = CliRun.of("tags", "set", "grapevine.load=1", "--http", nobody);
        assertEquals(2, reserved.code(), reserved.toString());
        assertTrue(reserved.err().contains("reserved"), reserved.err());
        CliRun large = CliRun.of("tags", "set", "big=" + "x".repeat(Grapevine.USER_TAGS_BYTES_MAX), "--http", nobody);
        assertEquals(2, large.code(), large.toString());
        assertTrue(large.err().contains("at most " + Grapevine.USER_TAGS_BYTES_MAX + " bytes"), large.err());
        CliRun empty = CliRun.of("tags", "delete", "", "--http", nobody);
        assertEquals(2, empty.code(), empty.toString());
        assertTrue(empty.err().contains("a tag key is 1.." + Names.TAG_KEY_CHARS_MAX + " characters"), empty.err());
        CliRun noValue = CliRun.of("tags", "set", "role", "--http", nobody);
        assertEquals(2, noValue.code(), noValue.toString());
        assertTrue(noValue.err().contains("KEY=VALUE"), noValue.err());
    }

    @Test
    void joinReportsWhoAnsweredAndFailsWhenNobodyDid() throws IOException {
        CliRun ok = CliRun.of("join", a.gossip().toString(), "--http", http(b));
        assertEquals(0, ok.code(), ok.toString());
        assertTrue(ok.out().contains("joined through " + a.gossip()), ok.out());

        String nobody = "127.0.0.1:" + freePort();
        CliRun none = CliRun.of("join", nobody, "--http", http(b));
        assertNotEquals(0, none.code(), none.toString());
        assertTrue(none.err().contains("no node answered within 5 s at " + nobody), none.err());

        CliRun noneJson = CliRun.of("join", "--json", nobody, "--http", http(b));
        assertEquals(1, noneJson.code(), noneJson.toString());
        assertEquals(nobody, noneJson.json().path("failed").get(0).asText(), "--json prints the agent's answer for scripts");
        assertTrue(noneJson.json().path("error").asText().startsWith("no node answered"), noneJson.toString());
        assertEquals("grapevine join: " + noneJson.json().path("error").asText() + "\n", noneJson.err(),
                "the reason alone on stderr, without the HTTP status");

        JsonNode partial = CliRun.of("join", "--json", a.gossip().toString(), nobody, "--http", http(b)).json();
        assertEquals(a.gossip().toString(), partial.path("joined").get(0).asText());
        assertEquals(nobody, partial.path("failed").get(0).asText());
    }

    @Test
    void joinFailsOnANodeThatLeft() throws Exception {
        AgentCommand.Started c = agent("--node", "c");
        assertEquals(0, CliRun.of("leave", "--http", http(c)).code());

        CliRun run = CliRun.of("join", a.gossip().toString(), "--http", http(c));

        assertEquals(1, run.code(), run.toString());
        assertEquals("grapevine join: this node has left the cluster; start it again to rejoin\n", run.err(), run.toString());
        CliRun json = CliRun.of("join", "--json", a.gossip().toString(), "--http", http(c));
        assertEquals(1, json.code(), json.toString());
        assertEquals("this node has left the cluster; start it again to rejoin", json.json().path("error").asText());

        CliRun event = CliRun.of("event", "deploy", "--http", http(c)); // "sent" before, to no one
        assertEquals(2, event.code(), event.toString());
        assertEquals("grapevine: the agent refused: this node has left the cluster, so no member would receive the event; "
                + "start it again to rejoin\n", event.err(), event.toString());
    }

    @Test
    void infoIsReadableWithVersionAndUptime() {
        CliRun json = CliRun.of("info", "--json", "--http", http(a));
        assertEquals(0, json.code(), json.toString());
        JsonNode info = json.json();
        assertEquals(Version.current(), info.path("version").asText());
        assertTrue(info.path("uptime_seconds").isNumber() && info.path("started_at").asText().endsWith("Z"), info.toString());

        CliRun human = CliRun.of("info", "--http", http(a));
        assertEquals(0, human.code(), human.toString());
        List<String> lines = human.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("node: +a")), human.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("version: +" + java.util.regex.Pattern.quote(Version.current()))), human.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("uptime: +\\S.* \\(\\d+ s\\)")), human.out());
        assertTrue(lines.contains("settings") && lines.contains("counters"), human.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("  probe_interval_ms: +\\d+")), human.out());

        assertEquals("grapevine " + Version.current(), CliRun.of("--version").out().strip());
    }

    @Test
    void badEventNamesGetAMessageAboutTheName() throws IOException {
        String nobody = "127.0.0.1:" + freePort();
        for (String name : List.of("", " ", " deploy", "a/b", "x".repeat(Names.EVENT_NAME_CHARS_MAX + 1))) {
            CliRun run = CliRun.of("event", name, "--http", nobody);
            assertEquals(2, run.code(), run.toString());
            assertTrue(run.err().contains("an event name is 1.." + Names.EVENT_NAME_CHARS_MAX + " characters without '/'"), run.err());
        }
        assertEquals(0, CliRun.of("event", "x".repeat(Names.EVENT_NAME_CHARS_MAX), "--http", http(a)).code());
        // Names that a path would take for steps or separators reach the agent as names.
        for (String name : List.of("..", ".", "a?b", "50%", "a b")) {
            CliRun run = CliRun.of("event", name, "x", "--http", http(a));
            assertEquals(0, run.code(), run.toString());
            assertTrue(run.out().startsWith("event '" + name + "' sent (Lamport time "), run.toString());
        }
        CliRun json = CliRun.of("event", "--json", "deploy", "v43", "--http", http(a));
        assertEquals(0, json.code(), json.toString());
        assertEquals("deploy", json.json().path("name").asText());
        assertTrue(json.json().path("lamport_time").isNumber(), json.toString());
        CliRun tooBig = CliRun.of("event", "big", "p".repeat(9000), "--http", http(a));
        assertEquals(2, tooBig.code(), tooBig.toString());
        assertEquals("grapevine: the agent refused: user event 'big' is 9003 bytes (name + payload); the limit is 8192 bytes "
                + "(grapevine.protocol.user-event-max-bytes)\n", tooBig.err(), "the limit and the key that sets it");
    }
}
