package dev.grapevine.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.grapevine.core.config.Profile;
import dev.grapevine.core.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code grapevine simulate}: runs the production protocol code for many nodes in simulated time. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Runs the real protocol code for N nodes on a simulated network, deterministically from a seed.",
                "Scenarios: broadcast, crash, partition, loss, restart-all, recovery, recovery-mixed;",
                "gray failures of one node chosen by the seed: flaky (loses 80%% of what it receives), flip-flop (hears",
                "nothing 20 s, everything 20 s, ...), slow (frozen 700 ms of every 1000 ms), isolated (hears nothing, still sends);",
                "and mass-crash (a tenth of the nodes, at least 2, killed at once). Exit code 1 if the run did not converge",
                "or broke a safety rule; the line 'reproduce with: ...' replays it."})
public final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--scenario", required = true, description = "broadcast | crash | partition | loss | restart-all | recovery | recovery-mixed"
            + " | flaky | flip-flop | slow | mass-crash | isolated")
    String scenario;

    @Option(names = "--nodes", defaultValue = "50", description = "cluster size (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--seed", defaultValue = "1", description = "seed of every random choice (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--profile", defaultValue = "lan", description = "lan | wan | local (default ${DEFAULT-VALUE})")
    String profile;

    @Option(names = "--loss", description = "percent of messages lost, 0-99 (loss scenario: default 10)")
    Double lossPercent;

    @Option(names = "--duration", description = "steady phase (loss), fault window (flaky, slow, mass-crash: 60s; flip-flop: 120s;"
            + " isolated: 45s), or cap on waiting for the result; e.g. 10m, 90s")
    String duration;

    @Option(names = "--crash", defaultValue = "1", description = "nodes crashed at once (crash scenario; mass-crash: default a tenth, at least 2)")
    int crash;

    @Option(names = "--partition-duration", description = "how long the halves are cut off (partition; default 60s)")
    String partitionDuration;

    @Option(names = "--asymmetric", description = "cut only one direction between the halves (partition)")
    boolean asymmetric;

    @Option(names = "--restart-window", description = "window within which every node restarts (restart-all; default 10s)")
    String restartWindow;

    @Option(names = "--latency-ms", defaultValue = "1", description = "minimum one-way latency (default ${DEFAULT-VALUE})")
    long latencyMs;

    @Option(names = "--jitter-ms", defaultValue = "1", description = "mean exponential jitter on top (default ${DEFAULT-VALUE})")
    double jitterMs;

    @Option(names = "--duplicate", defaultValue = "0", description = "percent of messages delivered twice")
    double duplicatePercent;

    @Option(names = "--transport", defaultValue = "datagram", description = "how a lost message shows: datagram"
            + " (gone) or stream (late: resent after TCP's timeouts, holding up what follows, as on Artery)",
            converter = TransportConverter.class)
    NetworkModel.Transport transport;

    /** Accepts the transport's name in any case. */
    static final class TransportConverter implements picocli.CommandLine.ITypeConverter<NetworkModel.Transport> {
        @Override
        public NetworkModel.Transport convert(String value) {
            try {
                return NetworkModel.Transport.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("--transport must be datagram or stream, not '"
                        + value + "'");
            }
        }
    }

    @Option(names = "--fanout", description = "override the profile's gossip fanout")
    Integer fanout;

    @Option(names = "--retransmit-mult", description = "override: a broadcast goes out in mult·⌈log2(N+1)⌉ messages per node")
    Integer retransmitMult;

    @Option(names = "--copies-per-member", description = "override: copies of a broadcast a node sends to one member"
            + " (profiles: 2, for this network's independent losses; a node on Artery sends 1)")
    Integer copiesPerMember;

    @Option(names = "--suspicion-mult", description = "override: suspicion min = mult·max(1, log10 N)·probe interval")
    Integer suspicionMult;

    @Option(names = "--corroborators", description = "override: members that check a new suspect at once; 0 = Lifeguard's timeout alone")
    Integer corroborators;

    @Option(names = "--probe-interval", description = "override the profile's probe interval, e.g. 500ms")
    String probeInterval;

    @Option(names = "--gossip-interval", description = "override the profile's gossip interval, e.g. 100ms")
    String gossipInterval;

    @Option(names = "--writes-per-second", defaultValue = "50", description = "recovery scenarios: client writes (and as"
            + " many reads) per simulated second through quorum coordinators; 0 turns the data path off (default ${DEFAULT-VALUE})")
    double writesPerSecond;

    @Option(names = "--partitions", description = "recovery scenarios: the network splits about 60|40 for 20 s every 45 s, then heals")
    boolean partitions;

    @Option(names = "--leaves", description = "recovery scenarios: a node leaves gracefully every 30 s (a fifth of the cluster at most), handing its data off first (decommission)")
    boolean leaves;

    @Option(names = "--partition-mode", defaultValue = "available", description = "recovery scenarios: available (any side"
            + " takes writes) or majority (only a side that sees a majority of the last admitted epoch) (default ${DEFAULT-VALUE})")
    String partitionMode;

    @Option(names = "--json", description = "print exactly one JSON object on stdout")
    boolean json;

    @Spec
    CommandSpec command;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = command.commandLine().getOut();
        PrintWriter stderr = command.commandLine().getErr();
        Profile p = Profile.parse(profile);
        ScenarioSpec spec = new ScenarioSpec(scenario, nodes, seed, p, settings(p), lossPercent,
                parseDuration("--duration", duration), crash, parseDuration("--partition-duration", partitionDuration),
                asymmetric, parseDuration("--restart-window", restartWindow), latencyMs, jitterMs, duplicatePercent,
                transport, new DataSpec(writesPerSecond, partitions, leaves, PartitionMode.parse(partitionMode)));
        Scenario.named(scenario); // fail on a bad name before any work
        long startNanos = System.nanoTime();
        long[] lastProgressNanos = {startNanos};
        SimulationReport report = ScenarioRunner.run(spec, simulatedMillis -> {
            long now = System.nanoTime();
            if (!json && now - lastProgressNanos[0] > 5_000_000_000L) {
                lastProgressNanos[0] = now;
                stderr.printf("  ... %d s simulated, %d s wall%n", simulatedMillis / 1000, (now - startNanos) / 1_000_000_000L);
            }
        });
        long wallMillis = (System.nanoTime() - startNanos) / 1_000_000;
        report.figures().put("wall_ms", wallMillis);
        if (json) {
            stdout.println(new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report.figures()));
        } else {
            printSummary(stdout, report);
        }
        stdout.flush();
        if (!report.passed()) {
            stderr.println("FAILED: the run did not converge or broke a safety rule");
            stderr.println("reproduce with: " + spec.reproduceCommand());
            stderr.flush();
            return 1;
        }
        return 0;
    }

    private Settings settings(Profile p) {
        Settings.Builder b = p.settings().toBuilder();
        if (fanout != null) {
            b.gossipFanout(fanout);
        }
        if (retransmitMult != null) {
            b.retransmitMult(retransmitMult);
        }
        if (copiesPerMember != null) {
            b.gossipCopiesMax(copiesPerMember);
        }
        if (corroborators != null) {
            b.corroborators(corroborators);
        }
        if (suspicionMult != null) {
            b.suspicionMult(suspicionMult);
        }
        if (probeInterval != null) {
            b.probeInterval(parseDuration("--probe-interval", probeInterval));
        }
        if (gossipInterval != null) {
            b.gossipInterval(parseDuration("--gossip-interval", gossipInterval));
        }
        return b.build();
    }

    private void printSummary(PrintWriter stdout, SimulationReport report) {
        stdout.printf("%s: %d nodes, profile %s, seed %d%n", scenario, nodes, profile, seed);
        for (Map.Entry<String, Object> e : report.figures().entrySet()) {
            if (!e.getKey().equals("scenario") && !e.getKey().equals("nodes") && !e.getKey().equals("seed")) {
                stdout.printf("  %-32s %s%n", e.getKey(), e.getValue());
            }
        }
    }

    /** Accepts {@code 90s}, {@code 10m}, {@code 1h}, {@code 250ms}, or ISO-8601 ({@code PT10M}). */
    static Duration parseDuration(String option, String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase();
        try {
            if (t.startsWith("pt")) {
                return Duration.parse(t.toUpperCase());
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1));
            switch (t.charAt(t.length() - 1)) {
                case 's': return Duration.ofSeconds(amount);
                case 'm': return Duration.ofMinutes(amount);
                case 'h': return Duration.ofHours(amount);
                default: break;
            }
        } catch (RuntimeException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(option + ": expected a duration such as 250ms, 90s, 10m or 1h, but got '" + text + "'");
    }
}
