package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Five real agents with the key-value store; a writer keeps writing through a SIGKILL, a SIGSTOP
 * pause (the node is cut off from everyone while the others go on) and a restart. Afterwards every
 * acknowledged write reads back with its value from every node, every key has three replicas on
 * live nodes, and the restarted node holds its share.
 *
 * <p>In {@code -Pslow}: it takes most of a minute. The default run keeps the same faults on nodes in
 * one JVM (KvClusterTest, KvPartitionModeTest), and the README's demo does them with real agents.
 */
@Tag("slow")
class KvAgentProcessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private AgentProcesses agents;

    @AfterEach
    void stopAll() {
        if (agents != null) {
            agents.close();
        }
    }

    /** Per node, its hint counters and how it lists every member: what a stuck replay needs explained. */
    private static String hintsAndViews(List<AgentProcesses.Agent> all) {
        StringBuilder out = new StringBuilder();
        for (AgentProcesses.Agent a : all) {
            out.append('\n').append(a.name()).append(':');
            try {
                JsonNode metrics = json(a, "GET", "/v1/info").get("metrics");
                metrics.fieldNames().forEachRemaining(k -> {
                    if (k.startsWith("kv_hints")) {
                        out.append(' ').append(k).append('=').append(metrics.get(k).asText());
                    }
                });
            } catch (Exception e) {
                out.append(" metrics unreadable: ").append(e);
            }
            for (AgentProcesses.Agent m : all) {
                out.append(' ').append(m.name()).append('=').append(AgentProcesses.status(a, m.name()));
            }
        }
        return out.toString();
    }

    private static JsonNode json(AgentProcesses.Agent a, String method, String path) throws Exception {
        AdminClient.Reply r = new AdminClient(a.http()).request(method, path, null);
        return Json.MAPPER.readTree(r.body());
    }

    private static boolean complete(AgentProcesses.Agent a, int members) {
        try {
            JsonNode s = json(a, "GET", "/v1/recovery");
            return s.get("complete").asBoolean() && s.get("members").asInt() == members;
        } catch (Exception e) {
            return false;
        }
    }

    /** Writes key-0, key-1, ... round-robin through the agents that are up, recording each acknowledged write. */
    private static final class Writer extends Thread {
        final Map<String, String> acked = new ConcurrentHashMap<>();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicBoolean stop = new AtomicBoolean();
        final List<AgentProcesses.Agent> targets;
        final Map<String, Boolean> down = new ConcurrentHashMap<>();

        Writer(List<AgentProcesses.Agent> targets) {
            this.targets = targets;
        }

        @Override
        public void run() {
            for (int i = 0; !stop.get(); i++) {
                AgentProcesses.Agent via = targets.get(i % targets.size());
                if (down.containsKey(via.name())) {
                    continue;
                }
                String key = "key-" + i;
                String value = "value-" + i + "-" + via.name();
                AdminClient.Reply r;
                try {
                    r = new AdminClient(via.http()).request("PUT", "/kv/" + key, value.getBytes(StandardCharsets.UTF_8));
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    continue;
                }
                if (r.status() == 200) {
                    acked.put(key, value);
                } else {
                    failed.incrementAndGet();
                }
            }
        }
    }

    @Test
    void acknowledgedWritesSurviveKillPauseAndRestart(@TempDir Path dir) throws Exception {
        agents = new AgentProcesses(dir);
        List<AgentProcesses.Agent> all = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            all.add(agents.agent("n" + i));
        }
        List<Process> processes = new ArrayList<>();
        for (AgentProcesses.Agent a : all) {
            processes.add(agents.start(a, a == all.get(0) ? null : all.get(0).gossipPort()));
        }
        for (AgentProcesses.Agent a : all) {
            AgentProcesses.await(a.name() + " complete with 5", DEADLINE, () -> complete(a, 5));
        }
        Writer writer = new Writer(all);
        writer.start();
        AgentProcesses.Agent n1 = all.get(0);
        AgentProcesses.Agent n4 = all.get(3);
        AgentProcesses.Agent n5 = all.get(4);
        AgentProcesses.await("writes flow", DEADLINE, () -> writer.acked.size() > 200);

        // SIGKILL n5; the survivors declare it dead and repair its partitions among themselves.
        writer.down.put("n5", true);
        processes.get(4).destroyForcibly().waitFor();
        AgentProcesses.await("n5 dead", DEADLINE, () -> AgentProcesses.status(n1, "n5").equals("dead"));
        AgentProcesses.await("recovery without n5", DEADLINE, () -> complete(n1, 4));

        // SIGSTOP n4 for 3 s, shorter than failure detection: writes it misses become hints.
        long pid = processes.get(3).pid();
        writer.down.put("n4", true);
        new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
        int before = writer.acked.size();
        AgentProcesses.await("writes while n4 is paused", DEADLINE, () -> writer.acked.size() > before + 100);
        new ProcessBuilder("kill", "-CONT", Long.toString(pid)).start().waitFor();
        writer.down.remove("n4");

        // n5 comes back from its data dir and catches up.
        processes.set(4, agents.start(n5, null));
        writer.down.remove("n5");
        AgentProcesses.await("writes after the restart", DEADLINE, () -> writer.acked.size() > before + 300);
        writer.stop.set(true);
        writer.join();
        for (AgentProcesses.Agent a : all) {
            AgentProcesses.await(a.name() + " complete again with 5", DEADLINE, () -> complete(a, 5));
        }
        try {
            AgentProcesses.await("hints replayed", DEADLINE, () -> all.stream().allMatch(a -> {
                try {
                    return json(a, "GET", "/v1/info").get("metrics").get("kv_hints_pending").asLong() == 0;
                } catch (Exception e) {
                    return false;
                }
            }));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("hints not replayed within " + DEADLINE + ": " + hintsAndViews(all), e);
        }

        assertTrue(writer.acked.size() > 300, "acked " + writer.acked.size());
        for (Map.Entry<String, String> e : writer.acked.entrySet()) {
            AgentProcesses.Agent via = all.get(Math.floorMod(e.getKey().hashCode(), all.size()));
            JsonNode got = json(via, "GET", "/kv/" + e.getKey());
            assertEquals(e.getValue(), got.path("value").asText(), e.getKey() + " via " + via.name() + ": " + got);
        }
        // Every key on three live replicas, n5 holding its share: anti-entropy is done, so reads need no repair.
        int onN5 = 0;
        for (String key : writer.acked.keySet()) {
            JsonNode replicas = json(n5, "GET", "/kv/" + key + "/replicas").get("replicas");
            assertEquals(3, replicas.size(), key + ": " + replicas);
            for (JsonNode r : replicas) {
                assertEquals(writer.acked.get(key), r.path("value").asText(), key + ": " + replicas);
                onN5 += r.get("node").asText().equals("n5") ? 1 : 0;
            }
        }
        assertTrue(onN5 > writer.acked.size() / 5, "n5 holds " + onN5 + " of " + writer.acked.size() + " keys");
        assertTrue(AgentProcesses.status(n4, "n4").equals("alive"), "the paused node is alive again");
    }
}
