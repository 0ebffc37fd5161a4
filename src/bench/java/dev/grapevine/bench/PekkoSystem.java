package dev.grapevine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pekko Cluster nodes ({@link PekkoClusterNode}, from target/grapevine-bench.jar). Each node stamps its
 * verdicts and received events itself, with its actors' currentTimeMillis on this same machine; the tap
 * reads that log every {@link #LOG_POLL}, so the poll adds no error to the times. It does not poll
 * during cost windows, whose CPU figures would otherwise include serving those polls.
 */
final class PekkoSystem implements SystemUnderTest {
    static final Duration LOG_POLL = Duration.ofMillis(250);

    private final Ports ports;
    private final BenchSettings settings;
    private final int n;
    /** Nodes started at least once: a restarted node 1 must join the running cluster, not found a new one. */
    private final java.util.Set<Integer> launched = java.util.concurrent.ConcurrentHashMap.newKeySet();

    PekkoSystem(Ports ports, BenchSettings settings, int n) {
        this.ports = ports;
        this.settings = settings;
        this.n = n;
    }

    @Override
    public String name() {
        return "pekko";
    }

    @Override
    public List<String> command(int node) {
        List<String> cmd = new ArrayList<>(settings.javaCommand());
        cmd.addAll(List.of("-cp", settings.benchClasspath(), PekkoClusterNode.class.getName()));
        cmd.addAll(flags(node));
        return cmd;
    }

    @Override
    public List<String> sharedCommand(List<Integer> nodes) {
        List<String> cmd = new ArrayList<>(settings.sharedJavaCommand(nodes.size()));
        cmd.addAll(List.of("-cp", settings.benchClasspath()));
        cmd.addAll(SharedJvm.arguments("pekko", nodes.stream().map(this::flags).toList()));
        return cmd;
    }

    /**
     * Every node's seed is node 1, which founds the cluster. Node 1 started again (a gray-failure scenario
     * may get it downed) lists the others first: a node first in its own seed list founds a new cluster
     * of one, beside the running one.
     */
    private List<String> flags(int node) {
        List<String> flags = new ArrayList<>(List.of("--name", SystemUnderTest.nodeName(node),
                "--bind", ports.gossipAddress(node), "--http", ports.adminAddress(node)));
        if (node == 1 && !launched.add(node)) {
            for (int i = 2; i <= n; i++) flags.addAll(List.of("--seed", ports.gossipAddress(i)));
        }
        flags.addAll(List.of("--seed", ports.gossipAddress(1),
                "--acceptable-heartbeat-pause", settings.pekkoPause(), "--stable-after", settings.pekkoStableAfter()));
        launched.add(node);
        return flags;
    }

    @Override
    public boolean answers(int node) {
        return Http.getOrNull(ports.adminAddress(node), "/members") != null;
    }

    @Override
    public Map<String, String> statuses(int node) {
        return SystemUnderTest.statusesOf(Http.getOrNull(ports.adminAddress(node), "/members"));
    }

    @Override
    public String aliveWord() {
        return "up";
    }

    @Override
    public void sendEvent(String name) {
        Http.post(ports.adminAddress(1), "/event/" + name, "");
    }

    @Override
    public Tap tap(int node, Observations into) {
        String observer = SystemUnderTest.nodeName(node);
        AtomicBoolean open = new AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            long from = 0;
            while (open.get()) {
                JsonNode log = into.pollsHeld() ? null : Http.getOrNull(ports.adminAddress(node), "/log?from=" + from);
                if (log != null) {
                    for (JsonNode e : log.path("entries")) record(observer, e, into);
                    from = log.path("next").asLong(from);
                }
                try {
                    Thread.sleep(LOG_POLL.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "tap-" + observer);
        poller.setDaemon(true);
        poller.start();
        return () -> {
            open.set(false);
            poller.interrupt();
        };
    }

    private static void record(String observer, JsonNode e, Observations into) {
        String name = e.path("name").asText();
        long ms = e.path("ms").asLong();
        Observations.Kind kind = switch (e.path("kind").asText()) {
            case "event" -> null;
            case "up", "reachable" -> Observations.Kind.ALIVE;
            case "unreachable" -> Observations.Kind.SUSPECT;
            case "down" -> Observations.Kind.FAILED;
            case "removed" -> Observations.Kind.REMOVED;
            default -> null;
        };
        if (e.path("kind").asText().equals("event")) into.receipt(observer, name, ms);
        else if (kind != null) into.verdict(observer, name, kind, ms);
    }

    @Override
    public ObjectNode settings() {
        ObjectNode s = Http.JSON.createObjectNode();
        s.put("java_opts", String.join(" ", settings.javaOpts()));
        s.put("heartbeat_interval", "1s");
        s.put("acceptable_heartbeat_pause", settings.pekkoPause());
        s.put("phi_threshold", 8);
        s.put("downing", "split-brain-resolver keep-majority");
        s.put("stable_after", settings.pekkoStableAfter());
        s.put("pubsub", "DistributedPubSub topic events");
        return s;
    }
}
