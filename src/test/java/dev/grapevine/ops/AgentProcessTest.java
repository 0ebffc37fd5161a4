package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real {@code grapevine agent} processes on loopback: SIGKILL one, watch the others declare it dead,
 * start it again with the same name and data dir, watch it come back; SIGTERM another and check it
 * leaves and exits 0. Conditions are polled with a deadline through the CLI's own client.
 */
class AgentProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    private AgentProcesses agents;

    private static void await(String what, BooleanSupplier condition) {
        AgentProcesses.await(what, DEADLINE, condition);
    }

    private static String status(AgentProcesses.Agent viewer, String member) {
        return AgentProcesses.status(viewer, member);
    }

    @AfterEach
    void stopAll() {
        if (agents != null) {
            agents.close();
        }
    }

    @Test
    void crashDetectionRestartAndGracefulStop(@TempDir Path dir) throws Exception {
        this.agents = new AgentProcesses(dir);
        List<AgentProcesses.Agent> all = new ArrayList<>();
        for (String name : List.of("n1", "n2", "n3")) {
            all.add(agents.agent(name));
        }
        AgentProcesses.Agent n1 = all.get(0);
        AgentProcesses.Agent n2 = all.get(1);
        AgentProcesses.Agent n3 = all.get(2);
        agents.start(n1, null);
        agents.start(n2, n1.gossipPort());
        Process p3 = agents.start(n3, n1.gossipPort());
        for (AgentProcesses.Agent viewer : all) {
            for (AgentProcesses.Agent subject : all) {
                await(viewer.name() + " sees " + subject.name() + " alive", () -> status(viewer, subject.name()).equals("alive"));
            }
        }

        aUserEventReachesAnotherNodesMonitorStamped(n1, n2);

        p3.destroyForcibly().waitFor(); // SIGKILL
        await("n1 declares n3 dead", () -> status(n1, "n3").equals("dead"));
        await("n2 declares n3 dead", () -> status(n2, "n3").equals("dead"));

        agents.start(n3, null); // same name and data dir, no --join: it rejoins the peers it remembers
        for (AgentProcesses.Agent viewer : all) {
            await(viewer.name() + " sees the restarted n3 alive", () -> status(viewer, "n3").equals("alive"));
        }

        Process p2 = agents.processes().get(1);
        p2.destroy(); // SIGTERM: leave, then exit 0
        assertTrue(p2.waitFor(20, TimeUnit.SECONDS), "n2 did not stop after SIGTERM");
        assertEquals(0, p2.exitValue(), "a stop is a clean exit");
        await("n1 records n2 as left", () -> status(n1, "n2").equals("left"));
        await("n3 records n2 as left", () -> status(n3, "n2").equals("left"));
    }

    /** GET /v1/monitor on one node shows an event sent through another, with the time it was delivered. */
    private static void aUserEventReachesAnotherNodesMonitorStamped(AgentProcesses.Agent sender, AgentProcesses.Agent watcher)
            throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread tap = new Thread(() -> {
            try {
                new AdminClient(watcher.http()).stream("monitor", lines::add);
            } catch (RuntimeException ended) {
                // the agent went away: the test is over with it
            }
        }, "monitor-tap");
        tap.setDaemon(true);
        tap.start();
        assertNotNull(lines.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the monitor starts with the current view");

        long beforeMs = System.currentTimeMillis();
        new AdminClient(sender.http()).post("event/deploy", "v42".getBytes(StandardCharsets.UTF_8));
        JsonNode event = null;
        long deadlineNanos = System.nanoTime() + DEADLINE.toNanos();
        while (event == null && System.nanoTime() < deadlineNanos) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            JsonNode e = line == null ? null : Json.MAPPER.readTree(line);
            if (e != null && e.path("type").asText().equals("user")) {
                event = e;
            }
        }
        long afterMs = System.currentTimeMillis();
        assertNotNull(event, watcher.name() + "'s monitor never showed the event");
        assertEquals("deploy", event.get("name").asText());
        assertEquals("v42", event.get("payload").asText());
        assertEquals(sender.name(), event.get("origin").asText());
        long atMs = event.get("at_ms").asLong();
        assertTrue(atMs >= beforeMs && atMs <= afterMs, "delivered at " + atMs + ", outside [" + beforeMs + ", " + afterMs + "]");
    }

    @Test
    void theCliGivesOneClearLineWhenTheAgentIsNotThere() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
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
