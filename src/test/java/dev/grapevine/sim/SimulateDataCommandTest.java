package dev.grapevine.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grapevine.ops.GrapevineCli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code grapevine simulate} with the data path of the recovery scenarios: its flags, figures and errors. */
class SimulateDataCommandTest {

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
    void aRecoveryRunReportsTheDataFigures() throws Exception {
        Run run = cli("simulate", "--scenario", "recovery", "--nodes", "10", "--duration", "30s", "--seed", "4",
                "--writes-per-second", "20", "--partitions", "--partition-mode", "majority", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        for (String key : List.of("acked_writes", "lost_acked_writes", "under_replicated_keys", "resurrected_keys",
                "superseded_acked_writes", "repair_entries", "repair_bytes", "repair_bytes_min", "writes_refused",
                "complete_after_last_change_ms")) {
            assertTrue(json.has(key), "missing " + key + " in " + run.out());
        }
        assertEquals("majority", json.get("partition_mode").asText());
        assertEquals(0, json.get("lost_acked_writes").asLong(), run.out());
    }

    @Test
    void withoutWritesTheRecoveryRunCarriesNoData() throws Exception {
        Run run = cli("simulate", "--scenario", "recovery", "--nodes", "10", "--duration", "20s", "--writes-per-second", "0", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertTrue(json.has("exchanges") && !json.has("acked_writes"), run.out());
    }

    @Test
    void badDataFlagsAreOneLineErrors() {
        Run mode = cli("simulate", "--scenario", "recovery", "--partition-mode", "quorum");
        assertEquals(2, mode.exitCode());
        assertTrue(mode.err().contains("--partition-mode must be available or majority, not 'quorum'"), mode.err());
        Run rate = cli("simulate", "--scenario", "recovery", "--writes-per-second", "-1");
        assertEquals(2, rate.exitCode());
        assertTrue(rate.err().contains("--writes-per-second must be in 0..10000"), rate.err());
    }

    @Test
    void theReproduceLineCarriesTheDataFlags() {
        ScenarioSpec spec = ScenarioSpec.of("recovery", 10, 7, dev.grapevine.core.config.Profile.LAN)
                .withData(new DataSpec(30, true, true, PartitionMode.MAJORITY));
        String line = spec.reproduceCommand();
        assertTrue(line.contains("--writes-per-second 30.0 --partitions --leaves --partition-mode majority"), line);
    }
}
