package dev.grapevine.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HashiCorp Serf agents with their defaults (profile "lan", memberlist's DefaultLANConfig). Verdicts and
 * user events come from one `serf monitor -log-level info` per node, each line stamped as it arrives:
 * Serf's own log timestamps have one-second resolution, and its event handlers coalesce. With a key
 * ("serf-encrypt"), every agent runs with {@code -encrypt}: memberlist's AES-GCM on all gossip, UDP
 * and TCP. The RPC the harness uses is not encrypted by it, and needs no key.
 */
final class SerfSystem implements SystemUnderTest {
    private static final Pattern USER_EVENT = Pattern.compile("Received event: user-event: (\\S+)");
    private static final Pattern FAILED = Pattern.compile("serf: EventMemberFailed: (\\S+)");
    private static final Pattern JOINED = Pattern.compile("serf: EventMemberJoin: (\\S+)");
    /** memberlist logs this on every missed probe while suspecting, not only on the transition. */
    private static final Pattern SUSPECT = Pattern.compile("memberlist: Suspect (\\S+) has failed");

    private final Ports ports;
    /** Base64 key from `serf keygen`, or null: plaintext gossip. */
    private final String encryptKey;

    SerfSystem(Ports ports) {
        this(ports, null);
    }

    SerfSystem(Ports ports, String encryptKey) {
        this.ports = ports;
        this.encryptKey = encryptKey;
    }

    /** A new gossip encryption key, as `serf keygen` makes one. */
    static String keygen() {
        String key = run(List.of("serf", "keygen"));
        if (key == null || key.isBlank()) throw new BenchFailure("serf keygen failed");
        return key.strip();
    }

    @Override
    public String name() {
        return encryptKey == null ? "serf" : "serf-encrypt";
    }

    @Override
    public List<String> command(int node) {
        // No -profile: the default is "lan". -log-level info: the monitor needs info lines.
        List<String> cmd = new java.util.ArrayList<>(List.of("serf", "agent", "-node", SystemUnderTest.nodeName(node),
                "-bind", ports.gossipAddress(node), "-rpc-addr", ports.adminAddress(node), "-log-level", "info"));
        if (node > 1) cmd.addAll(List.of("-join", ports.gossipAddress(1)));
        if (encryptKey != null) cmd.add("-encrypt=" + encryptKey);
        return cmd;
    }

    @Override
    public boolean answers(int node) {
        return run(List.of("serf", "members", "-rpc-addr", ports.adminAddress(node))) != null;
    }

    @Override
    public Map<String, String> statuses(int node) {
        String json = run(List.of("serf", "members", "-rpc-addr", ports.adminAddress(node), "-format", "json"));
        try {
            return SystemUnderTest.statusesOf(json == null ? null : Http.JSON.readTree(json));
        } catch (IOException e) {
            return SystemUnderTest.statusesOf(null);   // a garbled answer counts as no answer
        }
    }

    @Override
    public void sendEvent(String name) {
        if (run(List.of("serf", "event", "-rpc-addr", ports.adminAddress(1), "-coalesce=false", name, "bench")) == null) {
            throw new BenchFailure("serf event " + name + " failed");
        }
    }

    @Override
    public Tap tap(int node, Observations into) {
        String observer = SystemUnderTest.nodeName(node);
        Process monitor;
        try {
            monitor = new ProcessBuilder("serf", "monitor", "-rpc-addr", ports.adminAddress(node), "-log-level", "info")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new BenchFailure("cannot start serf monitor: " + e.getMessage());
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    long ms = System.currentTimeMillis();
                    Matcher m;
                    if ((m = USER_EVENT.matcher(line)).find()) into.receipt(observer, m.group(1), ms);
                    else if ((m = FAILED.matcher(line)).find()) into.verdict(observer, m.group(1), Observations.Kind.FAILED, ms);
                    else if ((m = JOINED.matcher(line)).find()) into.verdict(observer, m.group(1), Observations.Kind.ALIVE, ms);
                    else if ((m = SUSPECT.matcher(line)).find()) into.verdict(observer, m.group(1), Observations.Kind.SUSPECT, ms);
                }
            } catch (IOException e) {
                // the monitor was stopped
            }
        }, "tap-" + observer);
        reader.setDaemon(true);
        reader.start();
        return () -> {
            monitor.destroy();
            try {
                monitor.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** Runs a serf CLI command; its stdout, or null when it fails or takes more than 5 s. */
    private static String run(List<String> cmd) {
        try {
            List<String> bounded = new java.util.ArrayList<>(List.of("timeout", "5"));   // readAllBytes waits for the end
            bounded.addAll(cmd);
            Process p = new ProcessBuilder(bounded).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public ObjectNode settings() {
        ObjectNode s = Http.JSON.createObjectNode();
        s.put("profile", "lan");
        String version = run(List.of("serf", "version"));
        s.put("serf_version", version == null ? "unknown" : version.lines().findFirst().orElse("unknown"));
        String pkg = run(List.of("dpkg-query", "-W", "-f=${Version}", "serf"));
        s.put("package", pkg == null ? "unknown" : pkg.trim());
        s.put("encrypt", encryptKey != null);
        s.put("note", "memberlist DefaultLANConfig: probe 1 s / timeout 500 ms, 3 indirect, suspicion mult 4 (min 4 s at N <= 10, max 6x, 2 confirmations), gossip 3 / 200 ms, push-pull 30 s");
        return s;
    }
}
