package dev.grapevine.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grapevine.bench.report.BenchReport;
import dev.grapevine.bench.report.SecurityReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs Grapevine, Serf and Pekko Cluster the same way, one system at a time, and prints one JSON
 * object per (N, system). bin/bench starts it, inside a network namespace of its own when it can.
 * For each N and system: bootstrap, events, idle cost, crash and rejoin, churn cost, false positives
 * under loss and under pauses, in that order, on one cluster. docs/benchmarks.md explains each figure.
 * The gray failures ({@link GrayFailureScenario}: flaky, flip-flop, slow, mass-crash, isolated) follow
 * when named with {@code --scenarios}, and end the run with a table on stderr ({@link GrayTable}).
 * Two more systems measure what security costs: Grapevine with mutual TLS between nodes
 * ("grapevine-tls") and Serf with gossip encryption ("serf-encrypt"); {@code --security} runs them
 * beside their plaintext selves and ends with {@link SecurityReport}'s table of ratios.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Grapevine beside Serf and Pekko Cluster: one JSON line per (N, system).")
public final class Bench implements Callable<Integer> {
    static final Set<String> SYSTEMS = Set.of("grapevine", "serf", "pekko", "grapevine-tls", "serf-encrypt");
    /** The systems of {@code --security}: each security mode beside its plaintext self. */
    static final List<String> SECURITY_SYSTEMS = List.of("grapevine", "grapevine-tls", "serf", "serf-encrypt");
    static final Set<String> SCENARIOS = Set.of("events", "idle", "crash", "churn", "loss", "pause",
            "flaky", "flip-flop", "slow", "mass-crash", "isolated");

    @Option(names = "--nodes", split = ",", description = "cluster sizes (default: 5,10,20; quick and security: 5)")
    List<Integer> nodes;
    @Option(names = "--systems", split = ",", description = "grapevine, serf, pekko, grapevine-tls, serf-encrypt "
            + "(default: grapevine, serf, pekko; security: grapevine, grapevine-tls, serf, serf-encrypt)")
    List<String> systems;
    @Option(names = "--scenarios", split = ",", description = "events, idle, crash, churn, loss, pause (default: these six; quick: "
            + "no churn, no pause); the gray failures flaky, flip-flop, slow, mass-crash, isolated run only when named")
    List<String> scenarios;
    @Option(names = "--quick", description = "N = 5, 5 events, 10 s idle, 30 s at 10%% loss, no churn or pauses: under 5 minutes")
    boolean quick;
    @Option(names = "--security", description = "what TLS costs: Grapevine with and without --tls beside Serf with and "
            + "without -encrypt; N = 5, events (20), idle (30 s after 30 s), crash (3 cycles); ends with a table of ratios")
    boolean security;
    @Option(names = "--events", description = "events sent (default 10; quick 5; security 20)")
    Integer events;
    @Option(names = "--event-interval-ms", defaultValue = "500")
    long eventIntervalMs;
    @Option(names = "--idle-s", description = "idle window (default 20; quick 10; security 30)")
    Integer idleS;
    @Option(names = "--idle-settle-s",
            description = "wait this long before the idle window, so that the JVMs' start-up compiling is over (default 0; security 30)")
    Long idleSettleS;
    @Option(names = "--crashes", description = "kill -9 and restart cycles in the crash scenario; times are their medians (default 1; security 3)")
    Integer crashes;
    @Option(names = "--churn-s", defaultValue = "60", description = "churn window")
    long churnS;
    @Option(names = "--churn-every-s", defaultValue = "20", description = "a kill and restart of node N this often")
    long churnEveryS;
    @Option(names = "--churn-down-s", defaultValue = "10", description = "how long node N stays down in each cycle")
    long churnDownS;
    @Option(names = "--fp-s", description = "window of each false-positive condition (default 300; quick 30)")
    Integer fpS;
    @Option(names = "--loss", split = ",", description = "packet loss conditions in percent (default 10,30; quick 10)")
    List<Integer> loss;
    @Option(names = "--pause-ms", defaultValue = "3000", description = "SIGSTOP length in the pause condition")
    long pauseMs;
    @Option(names = "--pause-every-ms", defaultValue = "10000")
    long pauseEveryMs;
    @Option(names = "--flaky-s", defaultValue = "60", description = "flaky: how long node N loses inbound packets")
    long flakyS;
    @Option(names = "--flaky-drop-pct", defaultValue = "80", description = "flaky: share of the packets to node N's gossip port dropped")
    int flakyDropPct;
    @Option(names = "--flip-cut-s", defaultValue = "20", description = "flip-flop: how long each cut of node N's inbound traffic lasts")
    long flipCutS;
    @Option(names = "--flip-restore-s", defaultValue = "20", description = "flip-flop: how long its traffic flows between cuts")
    long flipRestoreS;
    @Option(names = "--flip-cycles", defaultValue = "3", description = "flip-flop: cut and restore cycles")
    int flipCycles;
    @Option(names = "--slow-s", defaultValue = "60", description = "slow: how long node N is starved of CPU")
    long slowS;
    @Option(names = "--slow-stop-ms", defaultValue = "700", description = "slow: SIGSTOP this long in every period")
    long slowStopMs;
    @Option(names = "--slow-period-ms", defaultValue = "1000")
    long slowPeriodMs;
    @Option(names = "--mass-crash-pct", defaultValue = "10", description = "mass-crash: share of the nodes killed at once (at least 2)")
    int massCrashPct;
    @Option(names = "--isolated-s", defaultValue = "45", description = "isolated: how long node N receives nothing")
    long isolatedS;
    @Option(names = "--gray-settle-s", defaultValue = "15", description = "gray failures: verdicts this long after the fault still count")
    long graySettleS;
    // C1 only, no perf-data sampling, smaller stacks and code cache: a membership agent has no hot loop
    // for C2 to pay off. Measured at N = 5, 60 s after start, same run (docs/benchmarks.md): idle CPU
    // 2.30 -> 1.45 % and RSS 174 -> 145 MiB for Grapevine, 4.34 -> 3.51 % and 156 -> 131 MiB for Pekko.
    @Option(names = "--java-opts", defaultValue = "-Xms32m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
            + "-XX:-UsePerfData -Xss512k -XX:ReservedCodeCacheSize=32m", description = "JVM options of both JVM systems")
    String javaOpts;
    @Option(names = "--grapevine-kv", defaultValue = "false", description = "run Grapevine's key-value store too")
    boolean grapevineKv;
    @Option(names = "--pekko-pause", defaultValue = "2s", description = "Pekko's acceptable-heartbeat-pause (its default: 3s)")
    String pekkoPause;
    @Option(names = "--pekko-stable-after", defaultValue = "3s", description = "Pekko SBR stable-after (its default: 20s)")
    String pekkoStableAfter;
    @Option(names = "--shared-jvm-from", defaultValue = "0", paramLabel = "N",
            description = "from this cluster size on, each JVM system runs nodes 1..N-1 in one JVM (node N, the one "
                    + "crashed, churned and paused, in its own); Serf keeps a process per node. 0: never (default)")
    int sharedJvmFrom;
    @Option(names = "--root", defaultValue = ".", description = "the repository: target/ holds the jars")
    Path root;
    @Option(names = "--out", description = "also append each JSON line to this file")
    Path out;
    @Option(names = "--summary", description = "end with one JSON line of ratios (BenchReport --summary); quick mode does")
    boolean summary;
    @Option(names = "--logs", description = "keep the nodes' logs in this directory (default: a temporary one, deleted)")
    Path logs;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Instant runStart = Instant.now();
        if (quick && security) throw usage("--quick and --security: choose one");
        List<Integer> ns = nodes != null ? nodes : quick || security ? List.of(5) : List.of(5, 10, 20);
        List<String> systems = this.systems != null ? this.systems : security ? SECURITY_SYSTEMS : List.of("grapevine", "serf", "pekko");
        long idleSettleS = this.idleSettleS != null ? this.idleSettleS : security ? 30 : 0;
        int crashes = this.crashes != null ? this.crashes : security ? 3 : 1;
        if (idleSettleS < 0) throw usage("--idle-settle-s: need >= 0, got " + idleSettleS);
        if (sharedJvmFrom < 0) throw usage("--shared-jvm-from: need >= 0, got " + sharedJvmFrom);
        if (crashes < 1 || crashes > 20) throw usage("--crashes: need 1 to 20, got " + crashes);
        if (flakyDropPct < 1 || flakyDropPct > 100) throw usage("--flaky-drop-pct: need 1 to 100, got " + flakyDropPct);
        if (flipCycles < 1 || flipCycles > 100) throw usage("--flip-cycles: need 1 to 100, got " + flipCycles);
        if (slowStopMs < 1 || slowStopMs >= slowPeriodMs) throw usage("--slow-stop-ms: need 1 to --slow-period-ms - 1, got " + slowStopMs);
        if (massCrashPct < 1 || massCrashPct > 49) throw usage("--mass-crash-pct: need 1 to 49 (a majority must survive), got " + massCrashPct);
        for (long v : new long[] {flakyS, flipCutS, flipRestoreS, slowS, isolatedS}) {
            if (v < 1 || v > 3600) throw usage("gray-failure windows (--flaky-s, --flip-cut-s, --flip-restore-s, --slow-s, --isolated-s): need 1 to 3600 s, got " + v);
        }
        if (graySettleS < 0 || graySettleS > 600) throw usage("--gray-settle-s: need 0 to 600, got " + graySettleS);
        for (int n : ns) if (n < 3) throw usage("--nodes: need N >= 3 (a crash must leave a majority for Pekko's keep-majority), got " + n);
        for (String s : systems) if (!SYSTEMS.contains(s)) throw usage("--systems: unknown system " + s + " " + SYSTEMS);
        List<String> scen = scenarios != null ? scenarios
                : quick ? List.of("events", "idle", "crash", "loss")
                : security ? List.of("events", "idle", "crash")
                : List.copyOf(List.of("events", "idle", "crash", "churn", "loss", "pause"));
        for (String s : scen) if (!SCENARIOS.contains(s)) throw usage("--scenarios: unknown scenario " + s + " " + SCENARIOS);
        boolean nft = Nft.available();
        if (!nft && (scen.contains("loss") || scen.contains("flaky") || scen.contains("flip-flop") || scen.contains("isolated"))) {
            System.err.println("bench: nft is not usable here (needs root and nftables): no byte counts, no loss, flaky, flip-flop or isolated scenario");
        }
        Path workDir = logs != null ? Files.createDirectories(logs) : Files.createTempDirectory("grapevine-bench");
        BenchSettings settings = new BenchSettings(root.toAbsolutePath().normalize(), workDir,
                Arrays.asList(javaOpts.trim().split("\\s+")), grapevineKv, pekkoPause, pekkoStableAfter,
                events != null ? events : quick ? 5 : security ? 20 : 10, Duration.ofMillis(eventIntervalMs),
                Duration.ofSeconds(idleS != null ? idleS : quick ? 10 : security ? 30 : 20), Duration.ofSeconds(idleSettleS),
                crashes, Duration.ofSeconds(churnS), Duration.ofSeconds(churnEveryS), Duration.ofSeconds(churnDownS),
                Duration.ofSeconds(fpS != null ? fpS : quick ? 30 : 300), loss != null ? loss : quick ? List.of(10) : List.of(10, 30),
                Duration.ofMillis(pauseMs), Duration.ofMillis(pauseEveryMs), nft, sharedJvmFrom,
                new GraySettings(Duration.ofSeconds(flakyS), flakyDropPct, Duration.ofSeconds(flipCutS), Duration.ofSeconds(flipRestoreS),
                        flipCycles, Duration.ofSeconds(slowS), Duration.ofMillis(slowStopMs), Duration.ofMillis(slowPeriodMs),
                        massCrashPct, Duration.ofSeconds(isolatedS), Duration.ofSeconds(graySettleS)));
        Path results = out != null ? out : workDir.resolve("results.jsonl");
        int failures = 0;
        GrayTable grayTable = new GrayTable();
        try {
            // One CA and one certificate per node name for the whole run, made before any cluster
            // starts, by the CLI an operator would use.
            NodeCertificates certificates = null;
            if (systems.contains("grapevine-tls")) {
                certificates = new NodeCertificates(settings, workDir.resolve("tls"));
                try {
                    certificates.ensure(java.util.Collections.max(ns));
                } catch (BenchFailure e) {
                    System.err.println("bench: cannot make TLS certificates: " + e.getMessage());
                    return 1;
                }
            }
            for (int k = 0; k < ns.size(); k++) {
                int n = ns.get(k);
                // Rotated per N, so that no system always runs first (after the build) or last.
                List<String> order = new ArrayList<>(systems);
                java.util.Collections.rotate(order, -k);
                for (String system : order) {
                    ObjectNode line = runOne(system, n, scen, settings, certificates);
                    line.path("gray_failures").forEach(g -> grayTable.add(n, system, g));
                    if (line.has("error")) failures++;
                    String json = Http.JSON.writeValueAsString(line);
                    System.out.println(json);
                    Files.writeString(results, json + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            }
            grayTable.print(System.err);
            // BenchReport compares Grapevine with its peers; the security modes have their own report.
            boolean securityRun = systems.contains("grapevine-tls") || systems.contains("serf-encrypt");
            if (security || ((summary || quick) && securityRun)) {
                // Only this run's lines: --out may name a file that already holds others.
                int rc = new CommandLine(new SecurityReport()).execute("--summary", "--since", runStart.toString(), results.toString());
                if (rc != 0) failures++;
            } else if (summary || quick) {
                System.setProperty("java.awt.headless", "true");
                int rc = new CommandLine(new BenchReport()).execute("--summary", results.toString());
                if (rc != 0) failures++;
            }
        } finally {
            if (logs == null) deleteTree(workDir);
            else System.err.println("bench: logs in " + workDir);
        }
        return failures == 0 ? 0 : 1;
    }

    private static ObjectNode runOne(String system, int n, List<String> scen, BenchSettings s, NodeCertificates certificates) {
        ObjectNode r = Http.JSON.createObjectNode();
        r.put("system", system);
        r.put("nodes", n);
        r.put("run", Instant.now().toString());
        r.put("load_avg_1m_at_start", loadAverage());
        // Random ports, since a previous run's sockets may linger in TIME_WAIT; all below Linux's
        // ephemeral range (from 32768), so no client connection of the harness shares a gossip port.
        Ports ports = new Ports(20_000 + 2 * ThreadLocalRandom.current().nextInt(6_000 - n - 1));
        SystemUnderTest sut = switch (system) {
            case "grapevine" -> new GrapevineSystem(ports, s, s.workDir());
            case "grapevine-tls" -> new GrapevineSystem(ports, s, s.workDir(), certificates);
            case "serf" -> new SerfSystem(ports);
            case "serf-encrypt" -> {
                try {
                    yield new SerfSystem(ports, SerfSystem.keygen());
                } catch (BenchFailure e) {
                    yield null;
                }
            }
            default -> new PekkoSystem(ports, s, n);
        };
        if (sut == null) {
            r.put("error", "serf keygen failed: no key for -encrypt");   // nothing was measured
            return r;
        }
        r.set("settings", sut.settings());
        List<Integer> gossipPorts = new ArrayList<>();
        for (int i = 1; i <= n; i++) gossipPorts.add(ports.gossip(i));
        Nft nft = s.lossAllowed() ? new Nft("grapevine_bench", gossipPorts) : null;
        ArrayNode scenarioErrors = Http.JSON.createArrayNode();
        ArrayNode fp = Http.JSON.createArrayNode();
        ArrayNode gray = Http.JSON.createArrayNode();
        try (Cluster c = new Cluster(sut, n, s.workDir())) {
            try {
                bootstrap(c, r, s.sharedJvm(n));
            } catch (BenchFailure e) {
                r.put("error", e.getMessage());   // nothing was measured
                return r;
            }
            // Each scenario starts from all N alive; one that cannot be restored ends the run, and
            // what was measured so far is kept.
            Map<String, Runnable> steps = new LinkedHashMap<>();
            if (scen.contains("events")) steps.put("events", () -> EventScenario.run(c, s, r));
            if (scen.contains("idle")) steps.put("idle",
                    () -> {
                        Poll.sleep(s.idleSettle());
                        ObjectNode idle = CostWindow.measure(c, nft, c.nodes(), s.idleWindow(), () -> Poll.sleep(s.idleWindow()));
                        idle.put("settled_s", s.idleSettle().toSeconds());
                        r.set("idle", idle);
                    });
            if (scen.contains("crash")) steps.put("crash", () -> CrashScenario.run(c, r, s.crashes()));
            if (scen.contains("churn")) steps.put("churn", () -> r.set("churn", ChurnScenario.run(c, nft, s)));
            if (scen.contains("loss") && nft != null) {
                for (int pct : s.lossPercents()) steps.put("loss " + pct + "%", () -> fp.add(FalsePositiveScenario.loss(c, nft, s, pct)));
            }
            if (scen.contains("pause")) steps.put("pause", () -> fp.add(FalsePositiveScenario.pause(c, s)));
            for (String g : GrayFailureScenario.NAMES) {
                if (scen.contains(g)) steps.put(g, () -> GrayFailureScenario.run(g, c, s, ports, gray.addObject()));
            }
            List<String> names = new ArrayList<>(steps.keySet());
            for (int i = 0; i < names.size(); i++) {
                if (!attempt(c, scenarioErrors, names.get(i), steps.get(names.get(i)))) {
                    if (i + 1 < names.size()) scenarioErrors.add("skipped: " + names.subList(i + 1, names.size()));
                    break;
                }
            }
            if (c.observations().dropped() > 0) r.put("observations_dropped", c.observations().dropped());
        } finally {
            if (nft != null) nft.remove();
            if (!fp.isEmpty()) r.set("false_positives", fp);
            if (!gray.isEmpty()) r.set("gray_failures", gray);
            if (!scenarioErrors.isEmpty()) r.set("scenario_errors", scenarioErrors);
        }
        return r;
    }

    /**
     * Starts n1, then n2..nN at once, all joining n1 (Serf's -join gives up if n1 is not there yet, so
     * n1 goes first for every system). up_ms: launch of n2..nN until every node answers (JVM start
     * dominates); bootstrap_ms: from then until every node lists all N alive.
     */
    private static void bootstrap(Cluster c, ObjectNode r, boolean shareJvm) {
        List<Integer> rest = c.nodes().subList(1, c.size());
        long tLaunch;
        if (shareJvm && c.system().sharedCommand(c.nodes()) != null) {
            // n1..n(N-1) in one process, which starts n1 first and then the rest at once; nN alone
            // once n1 answers, so that it can be crashed, churned and paused as before.
            List<Integer> hosted = c.nodes().subList(0, c.size() - 1);
            c.launchShared(hosted);
            c.awaitAnswering(List.of(1));
            tLaunch = System.currentTimeMillis();
            c.launch(c.size());
            r.set("shared_jvm", Http.JSON.valueToTree(hosted));
        } else {
            c.launch(1);
            c.awaitAnswering(List.of(1));
            tLaunch = System.currentTimeMillis();
            for (int i : rest) c.launch(i);
        }
        c.awaitAnswering(rest);
        long tUp = System.currentTimeMillis();
        c.awaitFormed();
        r.put("up_ms", tUp - tLaunch);
        r.put("bootstrap_ms", System.currentTimeMillis() - tUp);
        ArrayNode rss = r.putArray("rss_mib");
        for (int i : c.nodes()) rss.add(c.process(i).rssKib() / 1024 / c.sharing(i));
    }

    /**
     * Runs a scenario; on failure records why. Then brings the cluster back to all N alive; returns
     * false (with the reason recorded) when it cannot.
     */
    private static boolean attempt(Cluster c, ArrayNode errors, String scenario, Runnable body) {
        try {
            body.run();
        } catch (BenchFailure e) {
            errors.add(scenario + ": " + e.getMessage());
        }
        try {
            List<Integer> restarted = c.heal();
            if (!restarted.isEmpty()) errors.add("after " + scenario + ": restarted exited nodes " + restarted);
            return true;
        } catch (BenchFailure e) {
            errors.add("after " + scenario + ": the cluster did not re-form: " + e.getMessage());
            return false;
        }
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(new CommandLine(new Bench()), message);
    }
}
