package dev.grapevine.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grapevine.ops.GrapevineCli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulateCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GrapevineCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void jsonOutputIsExactlyOneObjectWithTheDocumentedFields() throws Exception {
        Run run = cli("simulate", "--scenario", "crash", "--nodes", "20", "--seed", "5", "--json");
        assertEquals(0, run.exitCode(), run.err());
        String[] lines = run.out().strip().split("\n");
        assertEquals(1, lines.length, run.out());
        JsonNode json = new ObjectMapper().readTree(lines[0]);
        for (String key : List.of("scenario", "nodes", "seed", "profile", "fanout", "settings", "converged",
                "false_positives", "messages_per_node_per_second", "bytes_per_node_per_second", "wall_ms",
                "first_suspect_ms", "all_dead_ms")) {
            assertTrue(json.has(key), "missing " + key + " in " + lines[0]);
        }
        for (String key : List.of("probe_interval_ms", "probe_timeout_ms", "gossip_interval_ms", "suspicion_mult",
                "retransmit_mult", "push_pull_interval_ms")) {
            assertTrue(json.get("settings").has(key), "missing settings." + key);
        }
        assertEquals("crash", json.get("scenario").asText());
        assertEquals(20, json.get("nodes").asInt());
        assertEquals("lan", json.get("profile").asText());
        assertTrue(json.get("converged").asBoolean());
    }

    @Test
    void theTrafficByTypeAddsUpToTheTotals() throws Exception {
        Run run = cli("simulate", "--scenario", "crash", "--nodes", "12", "--seed", "3", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        JsonNode byType = json.path("traffic_per_node_per_second").path("messages");
        double messages = 0;
        double bytes = 0;
        for (JsonNode t : byType) {
            messages += t.get("messages").asDouble();
            bytes += t.get("bytes").asDouble();
        }
        // Each figure is rounded to hundredths: the sum may be off by that much per type.
        double slack = 0.01 * byType.size();
        assertEquals(json.get("messages_per_node_per_second").asDouble(), messages, slack, run.out());
        assertEquals(json.get("bytes_per_node_per_second").asDouble(), bytes, slack, run.out());
        assertTrue(byType.has("ping") && byType.has("ack"), run.out());
        // A crash is told by suspicion rumors, which ride pings, acks and gossip; with a quorum of
        // accusers each survivor may declare the death itself before a death rumor goes out.
        JsonNode copies = json.path("traffic_per_node_per_second").path("rumor_copies");
        assertTrue(copies.path("member_suspect").asDouble() > 0, run.out());
    }

    @Test
    void eachScenarioPrintsItsOwnFigures() throws Exception {
        String[][] cases = {
                {"broadcast", "all_informed_ms", "all_informed_rounds", "informed_fraction"},
                {"partition", "heal_converged_ms"},
                {"loss", "false_positives"},
                {"restart-all", "reformed_ms"},
        };
        for (String[] c : cases) {
            Run run = cli("simulate", "--scenario", c[0], "--nodes", "12", "--duration", "20s",
                    "--partition-duration", "10s", "--json");
            assertEquals(0, run.exitCode(), c[0] + ": " + run.err());
            JsonNode json = new ObjectMapper().readTree(run.out());
            for (int i = 1; i < c.length; i++) {
                assertTrue(json.has(c[i]), c[0] + " lacks " + c[i] + ": " + run.out());
            }
        }
    }

    @Test
    void theReadableSummaryNamesTheFigures() {
        Run run = cli("simulate", "--scenario", "broadcast", "--nodes", "10");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("all_informed_ms"), run.out());
    }

    @Test
    void badInputGivesOneClearLineAndExitCodeTwo() {
        Run unknown = cli("simulate", "--scenario", "meteor", "--nodes", "10");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown scenario 'meteor'") && unknown.err().contains("restart-all"), unknown.err());

        Run badProfile = cli("simulate", "--scenario", "crash", "--profile", "lab");
        assertEquals(2, badProfile.exitCode());
        assertTrue(badProfile.err().contains("unknown profile 'lab'"), badProfile.err());

        Run badDuration = cli("simulate", "--scenario", "loss", "--duration", "ten minutes");
        assertEquals(2, badDuration.exitCode());
        assertTrue(badDuration.err().contains("--duration"), badDuration.err());

        Run badLoss = cli("simulate", "--scenario", "loss", "--loss", "150");
        assertEquals(2, badLoss.exitCode());
        assertTrue(badLoss.err().contains("--loss must be in [0, 100)"), badLoss.err());

        Run missing = cli("simulate", "--nodes", "10");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("--scenario"), missing.err());

        Run badTransport = cli("simulate", "--scenario", "loss", "--transport", "carrier-pigeon");
        assertEquals(2, badTransport.exitCode());
        assertTrue(badTransport.err().contains("--transport must be datagram or stream"), badTransport.err());

        Run duplicatedStream = cli("simulate", "--scenario", "loss", "--transport", "stream", "--duplicate", "5");
        assertEquals(2, duplicatedStream.exitCode());
        assertTrue(duplicatedStream.err().contains("--duplicate applies to datagrams"), duplicatedStream.err());
    }

    @Test
    void overAStreamLossMakesMessagesLateNotLostAndTheRunSaysHowToReplayIt() throws Exception {
        ScenarioSpec spec = new ScenarioSpec("loss", 5, 3, dev.grapevine.core.config.Profile.LAN, null, 30.0,
                java.time.Duration.ofSeconds(60), 1, null, false, null, 1, 1.0, 0, NetworkModel.Transport.STREAM);
        SimulationReport report = ScenarioRunner.run(spec, null);
        assertAll(
                () -> assertTrue(spec.reproduceCommand().endsWith("--transport stream"), spec.reproduceCommand()),
                () -> assertTrue(report.figures().containsKey("deaths_of_healthy"), report.figures().toString()),
                () -> assertTrue(((Number) report.figures().get("suspicions_of_healthy")).longValue() > 0,
                        "late probes are suspected: " + report.figures()));
    }

    @Test
    void durationsAcceptCommonForms() {
        assertEquals(java.time.Duration.ofMinutes(10), SimulateCommand.parseDuration("--duration", "10m"));
        assertEquals(java.time.Duration.ofMillis(250), SimulateCommand.parseDuration("--duration", "250ms"));
        assertEquals(java.time.Duration.ofSeconds(90), SimulateCommand.parseDuration("--duration", "PT90S"));
        assertEquals(java.time.Duration.ofHours(1), SimulateCommand.parseDuration("--duration", "1h"));
    }
}
