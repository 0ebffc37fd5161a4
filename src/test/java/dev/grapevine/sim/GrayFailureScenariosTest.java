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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each gray-failure scenario once, small and short, through the command line: its figures are there
 * and agree with each other, and corroborated suspicion meets its goals in them (no healthy member
 * declared dead; a node whose link flaps, or that hears nothing, is declared dead once and kept out;
 * one recovery epoch for a mass crash). docs/protocol.md has the figures at more sizes and seeds.
 */
class GrayFailureScenariosTest {

    private static final List<String> FIGURES = List.of("reproduce", "converged", "false_positives", "false_positives_by_faulty",
            "false_positives_by_healthy", "deaths_of_healthy", "suspicions_of_healthy", "faulty",
            "fault_window_ms", "faulty_declared_dead_ms", "faulty_status_flips", "faulty_suspicions",
            "recovery_epochs_per_incident", "recovery_epochs_max", "converged_after_fault_ms");

    /** Runs {@code bin/grapevine simulate --scenario NAME --nodes N --seed S --duration D --json} in-process. */
    private static JsonNode simulate(String scenario, int nodes, long seed, String duration) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GrapevineCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("simulate", "--scenario", scenario, "--nodes", String.valueOf(nodes),
                "--seed", String.valueOf(seed), "--duration", duration, "--json");
        assertEquals(0, code, scenario + " did not converge: " + out + err);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        for (String key : FIGURES) {
            assertTrue(json.has(key), scenario + " lacks " + key + ": " + json);
        }
        assertConsistent(json);
        assertTrue(json.get("reproduce").asText().startsWith("bin/grapevine simulate --scenario " + scenario + " --nodes "
                + nodes + " --seed " + seed), json.toString());
        return json;
    }

    private static void assertConsistent(JsonNode json) {
        int nodes = json.get("nodes").asInt();
        int faulty = json.get("faulty").size();
        int falsePositives = json.get("false_positives").asInt();
        String at = json.toString();
        assertTrue(faulty >= 1 && faulty < nodes, at);
        assertTrue(falsePositives <= nodes - faulty, at);
        assertTrue(json.get("false_positives_by_faulty").asInt() <= falsePositives, at);
        assertTrue(json.get("false_positives_by_healthy").asInt() <= falsePositives, at);
        assertTrue(falsePositives <= json.get("false_positives_by_faulty").asInt()
                + json.get("false_positives_by_healthy").asInt(), "each was declared by someone: " + at);
        assertTrue(json.get("deaths_of_healthy").asLong() >= falsePositives, at);
        JsonNode declared = json.get("faulty_declared_dead_ms");
        assertTrue(declared.isNull() || (declared.asLong() >= 0
                && declared.asLong() <= json.get("fault_window_ms").asLong()), at);
        assertTrue(json.get("recovery_epochs_max").asDouble() >= json.get("recovery_epochs_per_incident").asDouble(), at);
        assertTrue(json.get("converged").asBoolean(), at);
        assertTrue(json.get("converged_after_fault_ms").asLong() >= 0, at);
        JsonNode flips = json.get("faulty_status_flips");
        if (!flips.isNull() && !declared.isNull()) {
            assertTrue(flips.asDouble() >= 1, "held dead everywhere, so it went out at least once: " + at);
        }
    }

    @Test
    void flakyReportsItsFigures() throws Exception {
        JsonNode json = simulate("flaky", 8, 3, "10s");
        assertEquals(10_000, json.get("fault_window_ms").asLong());
        assertTrue(json.get("faulty_suspicions").asDouble() >= 0, json.toString());
        assertEquals(0, json.get("false_positives").asInt(), "the flaky node's poor score keeps it from accusing: " + json);
    }

    @Test
    void flipFlopCountsEachCutAsPartOfOneIncident() throws Exception {
        JsonNode json = simulate("flip-flop", 8, 2, "50s");
        assertEquals(1, json.get("faulty").size(), json.toString());
        assertFalse(json.get("faulty_status_flips").isNull(), json.toString());
        assertEquals(0, json.get("false_positives").asInt(), json.toString());
        assertTrue(json.get("faulty_status_flips").asDouble() <= 2, "out once, and in again only after the fault: " + json);
        assertTrue(json.get("recovery_epochs_max").asInt() <= 2, "an epoch to go without it, one when it is back: " + json);
    }

    @Test
    void slowReportsItsFigures() throws Exception {
        JsonNode json = simulate("slow", 8, 4, "10s");
        assertFalse(json.get("faulty_suspicions").isNull(), json.toString());
    }

    @Test
    void massCrashKillsATenthButAtLeastTwoAndEverySurvivorHoldsThemDead() throws Exception {
        JsonNode json = simulate("mass-crash", 10, 1, "30s");
        assertEquals(2, json.get("faulty").size(), json.toString());
        assertFalse(json.get("faulty_declared_dead_ms").isNull(), "every crashed node held dead: " + json);
        assertTrue(json.get("faulty_status_flips").isNull(), "not applicable to nodes that never return: " + json);
        assertTrue(json.get("recovery_epochs_max").asInt() >= 1, "the live set changed, so ownership moved: " + json);
        assertEquals(1, json.get("recovery_epochs_max").asInt(), "one epoch for the incident on every survivor: " + json);
    }

    @Test
    void anIsolatedNodeIsHeldDeadWhileCutAccusesNoOneAndComesBackOnceItHasHeardTheOthersLongEnough() throws Exception {
        JsonNode json = simulate("isolated", 8, 5, "20s");
        assertFalse(json.get("faulty_declared_dead_ms").isNull(), "a node that hears nothing answers nothing: " + json);
        assertEquals(0, json.get("false_positives_by_faulty").asInt(), "a deaf node accuses no one: " + json);
        assertTrue(json.get("converged_after_fault_ms").asLong() >= 30_000,
                "it keeps out until it has heard the others for rejoin-after-deaf, then is back: " + json);
    }
}
