package dev.grapevine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Grapevine agents, started from target/grapevine.jar with the LAN profile. Verdicts and user events
 * come from each node's GET /v1/monitor stream, one JSON object per line, each stamped by the node when
 * it delivered it ({@code at_ms}), as Pekko's nodes stamp theirs. With certificates ("grapevine-tls"),
 * every agent runs with {@code --tls}: mutual TLS on every connection between nodes.
 */
final class GrapevineSystem implements SystemUnderTest {
    private final Ports ports;
    private final BenchSettings settings;
    private final Path configFile;
    /** Null: plaintext Artery, as the agent runs without --tls. */
    private final NodeCertificates tls;

    GrapevineSystem(Ports ports, BenchSettings settings, Path workDir) {
        this(ports, settings, workDir, null);
    }

    GrapevineSystem(Ports ports, BenchSettings settings, Path workDir, NodeCertificates tls) {
        this.ports = ports;
        this.settings = settings;
        this.configFile = workDir.resolve("grapevine-bench.conf");
        this.tls = tls;
    }

    @Override
    public String name() {
        return tls == null ? "grapevine" : "grapevine-tls";
    }

    @Override
    public List<String> command(int node) {
        writeConfigOnce();
        List<String> cmd = new ArrayList<>(settings.javaCommand());
        cmd.addAll(List.of("-jar", settings.root().resolve("target/grapevine.jar").toString(), "agent"));
        cmd.addAll(agentFlags(node));
        return cmd;
    }

    @Override
    public List<String> sharedCommand(List<Integer> nodes) {
        writeConfigOnce();
        List<String> cmd = new ArrayList<>(settings.sharedJavaCommand(nodes.size()));
        cmd.addAll(List.of("-cp", settings.benchClasspath(settings.root().resolve("target/grapevine.jar").toString())));
        cmd.addAll(SharedJvm.arguments("grapevine", nodes.stream().map(this::agentFlags).toList()));
        return cmd;
    }

    private List<String> agentFlags(int node) {
        List<String> flags = new ArrayList<>(List.of("--node", SystemUnderTest.nodeName(node), "--bind", ports.gossipAddress(node),
                "--http", ports.adminAddress(node), "--profile", "lan", "--config", configFile.toString()));
        if (node > 1) flags.addAll(List.of("--join", ports.gossipAddress(1)));
        if (tls != null) flags.addAll(List.of("--tls", tls.dirOf(node).toString()));
        return flags;
    }

    /**
     * The key-value store is off unless asked for: neither peer runs a data store, and its timers and
     * ports would be extra cost. Every node of the bench has the address 127.0.0.1, and each peer
     * opens two or three Artery connections to a node: past 16 nodes that is more than the gossip
     * port's default limit per address (grapevine.front.connections-per-ip-max, 32), which is meant
     * for one node per host. The bench lifts it, as an operator running many nodes per host must.
     */
    private void writeConfigOnce() {
        if (configFile.toFile().exists()) return;
        try {
            java.nio.file.Files.writeString(configFile, "grapevine.kv.enabled = " + settings.grapevineKv() + "\n"
                    + "grapevine.front.connections-per-ip-max = 512\n");
        } catch (IOException e) {
            throw new BenchFailure("cannot write " + configFile + ": " + e.getMessage());
        }
    }

    @Override
    public boolean answers(int node) {
        return Http.getOrNull(ports.adminAddress(node), "/v1/info") != null;
    }

    @Override
    public Map<String, String> statuses(int node) {
        return SystemUnderTest.statusesOf(Http.getOrNull(ports.adminAddress(node), "/v1/members"));
    }

    @Override
    public void sendEvent(String name) {
        Http.post(ports.adminAddress(1), "/v1/event/" + name, "bench");
    }

    /**
     * From GET /v1/recovery: local.epochs_started, the changes of the stable view this node started an
     * epoch for. Null without a recovery domain (the key-value store off, as by default here): then
     * nothing is recovered and no epoch starts.
     */
    @Override
    public Long recoveryEpochsStarted(int node) {
        JsonNode body = Http.getOrNull(ports.adminAddress(node), "/v1/recovery");
        if (body == null || body.path("domain").isNull() || body.path("domain").isMissingNode()) return null;
        JsonNode started = body.path("local").path("epochs_started");
        return started != null && started.isNumber() ? started.asLong() : null;
    }

    @Override
    public Tap tap(int node, Observations into) {
        String observer = SystemUnderTest.nodeName(node);
        InputStream in = Http.stream(ports.adminAddress(node), "/v1/monitor");
        if (in == null) throw new BenchFailure(observer + ": GET /v1/monitor did not answer");
        Thread reader = new Thread(() -> read(observer, in, into), "tap-" + observer);
        reader.setDaemon(true);
        reader.start();
        return () -> {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        };
    }

    private static void read(String observer, InputStream in, Observations into) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                long ms = System.currentTimeMillis();
                if (line.isBlank()) continue;
                JsonNode e;
                try {
                    e = Http.JSON.readTree(line);
                } catch (IOException bad) {
                    continue;   // one bad line must not end the tap
                }
                // The node's own stamp of the delivery, as Pekko's nodes stamp theirs; the arrival
                // time only for an agent without it.
                if (e.hasNonNull("at_ms")) ms = e.get("at_ms").asLong();
                if (e.path("type").asText().equals("user")) {
                    into.receipt(observer, e.path("name").asText(), ms);
                } else if (e.path("type").asText().equals("member")) {
                    Observations.Kind kind = switch (e.path("event").asText()) {
                        case "joined", "alive_again", "updated" -> Observations.Kind.ALIVE;
                        case "suspected" -> Observations.Kind.SUSPECT;
                        case "failed" -> Observations.Kind.FAILED;
                        default -> null;   // left, reaped: not a verdict
                    };
                    if (kind != null) into.verdict(observer, e.path("member").path("name").asText(), kind, ms);
                }
            }
        } catch (IOException e) {
            // the stream ends when the tap is closed or the node dies
        }
    }

    @Override
    public ObjectNode settings() {
        ObjectNode s = Http.JSON.createObjectNode();
        s.put("profile", "lan");
        s.put("java_opts", String.join(" ", settings.javaOpts()));
        s.put("kv_enabled", settings.grapevineKv());
        s.put("tls", tls != null);
        s.put("note", "probe 1 s / timeout 500 ms, 3 indirect, suspicion mult 4 (min 4 s at N <= 10), gossip 3 / 200 ms, push-pull 30 s");
        return s;
    }
}
