package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Real {@code grapevine agent} processes on loopback for tests: started from the test class path, all killed at the end. */
final class AgentProcesses implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final Path logs;

    record Agent(String name, int gossipPort, int httpPort, Path dataDir) {
        String http() {
            return "127.0.0.1:" + httpPort;
        }

        String gossip() {
            return "127.0.0.1:" + gossipPort;
        }
    }

    AgentProcesses(Path logs) {
        this.logs = logs;
    }

    /** An agent named {@code name} on two free ports, keeping its data under the log dir. */
    Agent agent(String name) throws IOException {
        return new Agent(name, freePort(), freePort(), logs.resolve(name));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Process start(Agent a, Integer seedPort, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), GrapevineCli.class.getName(), "agent",
                "--node", a.name(), "--bind", a.gossip(), "--http", a.http(),
                "--profile", "local", "--data-dir", a.dataDir().toString()));
        if (seedPort != null) {
            command.addAll(List.of("--join", "127.0.0.1:" + seedPort));
        }
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command)
                .redirectOutput(logs.resolve(a.name() + ".out").toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(logs.resolve(a.name() + ".err").toFile()))
                .start();
        processes.add(p);
        return p;
    }

    /** {@code member}'s status as {@code viewer} lists it: alive, suspect, dead, left, unknown or unreachable. */
    static String status(Agent viewer, String member) {
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

    static void await(String what, Duration deadline, BooleanSupplier condition) {
        Awaitility.await(what).atMost(deadline).pollInterval(Duration.ofMillis(200)).until(condition::getAsBoolean);
    }

    List<Process> processes() {
        return processes;
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
    }
}
