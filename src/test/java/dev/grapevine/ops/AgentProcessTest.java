package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real {@code grapevine agent} processes on loopback: SIGKILL one, watch the others declare it dead,
 * start it again with the same name and data dir, watch it come back; SIGTERM another and check it
 * leaves and exits 0. Conditions are polled with a deadline through the CLI's own client.
 */
class AgentProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    private final List<Process> processes = new ArrayList<>();

    private record Agent(String name, int gossipPort, int httpPort, Path dataDir) {
        String http() {
            return "127.0.0.1:" + httpPort;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process start(Agent a, Integer seedPort, Path logs) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), GrapevineCli.class.getName(), "agent",
                "--node", a.name(), "--bind", "127.0.0.1:" + a.gossipPort(), "--http", a.http(),
                "--profile", "local", "--data-dir", a.dataDir().toString()));
        if (seedPort != null) {
            command.addAll(List.of("--join", "127.0.0.1:" + seedPort));
        }
        Process p = new ProcessBuilder(command)
                .redirectOutput(logs.resolve(a.name() + ".out").toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(logs.resolve(a.name() + ".err").toFile()))
                .start();
        processes.add(p);
        return p;
    }

    private static String status(Agent viewer, String member) {
        try {
            JsonNode all = Json.MAPPER.readTree(new AdminClient(viewer.http()).get("members")).get("members");
            for (JsonNode m : all) {
                if (m.get("name").asText().equals(member)) {
                    return m.get("status").asText();
                }
            }
            return "unknown";
        } catch (Exception e) {
            return "unreachable";
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(condition::getAsBoolean);
    }

    @AfterEach
    void stopAll() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void crashDetectionRestartAndGracefulStop(@TempDir Path dir) throws Exception {
        List<Agent> agents = new ArrayList<>();
        for (String name : List.of("n1", "n2", "n3")) {
            agents.add(new Agent(name, freePort(), freePort(), dir.resolve(name)));
        }
        Agent n1 = agents.get(0);
        Agent n2 = agents.get(1);
        Agent n3 = agents.get(2);
        start(n1, null, dir);
        start(n2, n1.gossipPort(), dir);
        Process p3 = start(n3, n1.gossipPort(), dir);
        for (Agent viewer : agents) {
            for (Agent subject : agents) {
                await(viewer.name() + " sees " + subject.name() + " alive", () -> status(viewer, subject.name()).equals("alive"));
            }
        }

        p3.destroyForcibly().waitFor(); // SIGKILL
        await("n1 declares n3 dead", () -> status(n1, "n3").equals("dead"));
        await("n2 declares n3 dead", () -> status(n2, "n3").equals("dead"));

        start(n3, null, dir); // same name and data dir, no --join: it rejoins the peers it remembers
        for (Agent viewer : agents) {
            await(viewer.name() + " sees the restarted n3 alive", () -> status(viewer, "n3").equals("alive"));
        }

        Process p2 = processes.get(1);
        p2.destroy(); // SIGTERM: leave, then exit 0
        assertTrue(p2.waitFor(20, TimeUnit.SECONDS), "n2 did not stop after SIGTERM");
        assertEquals(0, p2.exitValue(), "a stop is a clean exit");
        await("n1 records n2 as left", () -> status(n1, "n2").equals("left"));
        await("n3 records n2 as left", () -> status(n3, "n2").equals("left"));
    }

    @Test
    void theCliGivesOneClearLineWhenTheAgentIsNotThere() throws Exception {
        int port = freePort();
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        picocli.CommandLine cli = GrapevineCli.commandLine();
        cli.setOut(new java.io.PrintWriter(out));
        cli.setErr(new java.io.PrintWriter(err));
        int code = cli.execute("members", "--http", "127.0.0.1:" + port);
        assertTrue(code != 0);
        assertTrue(err.toString().contains("cannot reach the agent at 127.0.0.1:" + port), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(cli.execute("members", "--http", "nohost") != 0);
        assertTrue(cli.execute("agent", "--bind", "127.0.0.1:notaport") != 0);
    }
}
