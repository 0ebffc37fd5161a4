package dev.grapevine.sim;

import dev.grapevine.core.config.Profile;
import dev.grapevine.core.config.Settings;

import java.time.Duration;

/**
 * What to simulate. Durations that are null take the scenario's default.
 *
 * @param lossPercent       messages lost at random, 0 to 99 (the loss scenario defaults to 10)
 * @param duration          how long the steady phase runs (loss), or the cap on waiting for a result
 * @param crashCount        nodes crashed at once (crash)
 * @param partitionDuration how long the two halves are cut off (partition)
 * @param asymmetric        cut only one direction (partition)
 * @param restartWindow     the window within which every node restarts (restart-all)
 * @param transport         how a lost message shows: gone (a datagram) or late (a TCP stream)
 * @param data              the data path of the recovery scenarios: writes, splits, leaves, partition mode
 */
public record ScenarioSpec(
        String scenario,
        int nodes,
        long seed,
        Profile profile,
        Settings settings,
        Double lossPercent,
        Duration duration,
        int crashCount,
        Duration partitionDuration,
        boolean asymmetric,
        Duration restartWindow,
        long latencyMinMillis,
        double latencyJitterMillis,
        double duplicatePercent,
        NetworkModel.Transport transport,
        DataSpec data) {

    /** A spec with the default data path. */
    public ScenarioSpec(String scenario, int nodes, long seed, Profile profile, Settings settings, Double lossPercent,
                        Duration duration, int crashCount, Duration partitionDuration, boolean asymmetric,
                        Duration restartWindow, long latencyMinMillis, double latencyJitterMillis, double duplicatePercent,
                        NetworkModel.Transport transport) {
        this(scenario, nodes, seed, profile, settings, lossPercent, duration, crashCount, partitionDuration, asymmetric,
                restartWindow, latencyMinMillis, latencyJitterMillis, duplicatePercent, transport, DataSpec.DEFAULT);
    }

    public ScenarioSpec {
        if (data == null) {
            data = DataSpec.DEFAULT;
        }
        if (nodes < 2) {
            throw new IllegalArgumentException("a simulation needs at least 2 nodes, but got " + nodes);
        }
        if (lossPercent != null && (lossPercent < 0 || lossPercent >= 100)) {
            throw new IllegalArgumentException("--loss must be in [0, 100), but was " + lossPercent);
        }
        if (duplicatePercent < 0 || duplicatePercent >= 100) {
            throw new IllegalArgumentException("--duplicate must be in [0, 100), but was " + duplicatePercent);
        }
        if (crashCount < 1 || crashCount >= nodes) {
            throw new IllegalArgumentException("--crash must be in 1.." + (nodes - 1) + ", but was " + crashCount);
        }
        if (settings == null) {
            settings = profile.settings();
        }
        if (transport == null) {
            transport = NetworkModel.Transport.DATAGRAM;
        }
        if (transport == NetworkModel.Transport.STREAM && duplicatePercent > 0) {
            throw new IllegalArgumentException("--duplicate applies to datagrams; a stream delivers each message once");
        }
    }

    /** A spec with the defaults for everything but the essentials. */
    public static ScenarioSpec of(String scenario, int nodes, long seed, Profile profile) {
        return new ScenarioSpec(scenario, nodes, seed, profile, profile.settings(), null, null, 1, null, false,
                null, 1, 1.0, 0, null);
    }

    public ScenarioSpec withLoss(double percent) {
        return new ScenarioSpec(scenario, nodes, seed, profile, settings, percent, duration, crashCount,
                partitionDuration, asymmetric, restartWindow, latencyMinMillis, latencyJitterMillis, duplicatePercent,
                transport, data);
    }

    public ScenarioSpec withDuration(Duration d) {
        return new ScenarioSpec(scenario, nodes, seed, profile, settings, lossPercent, d, crashCount,
                partitionDuration, asymmetric, restartWindow, latencyMinMillis, latencyJitterMillis, duplicatePercent,
                transport, data);
    }

    public ScenarioSpec withPartition(Duration d, boolean oneWay) {
        return new ScenarioSpec(scenario, nodes, seed, profile, settings, lossPercent, duration, crashCount,
                d, oneWay, restartWindow, latencyMinMillis, latencyJitterMillis, duplicatePercent,
                transport, data);
    }

    public ScenarioSpec withCrashes(int count) {
        return new ScenarioSpec(scenario, nodes, seed, profile, settings, lossPercent, duration, count,
                partitionDuration, asymmetric, restartWindow, latencyMinMillis, latencyJitterMillis, duplicatePercent,
                transport, data);
    }

    public ScenarioSpec withData(DataSpec d) {
        return new ScenarioSpec(scenario, nodes, seed, profile, settings, lossPercent, duration, crashCount,
                partitionDuration, asymmetric, restartWindow, latencyMinMillis, latencyJitterMillis, duplicatePercent,
                transport, d);
    }

    public long durationMillisOr(Duration fallback) {
        return (duration != null ? duration : fallback).toMillis();
    }

    /** The command line that replays this run. */
    public String reproduceCommand() {
        StringBuilder b = new StringBuilder("bin/grapevine simulate --scenario ").append(scenario)
                .append(" --nodes ").append(nodes).append(" --seed ").append(seed)
                .append(" --profile ").append(profile.id());
        if (lossPercent != null) {
            b.append(" --loss ").append(lossPercent);
        }
        if (duration != null) {
            b.append(" --duration ").append(duration.toMillis()).append("ms");
        }
        if (crashCount != 1) {
            b.append(" --crash ").append(crashCount);
        }
        if (partitionDuration != null) {
            b.append(" --partition-duration ").append(partitionDuration.toMillis()).append("ms");
        }
        if (asymmetric) {
            b.append(" --asymmetric");
        }
        if (restartWindow != null) {
            b.append(" --restart-window ").append(restartWindow.toMillis()).append("ms");
        }
        if (duplicatePercent > 0) {
            b.append(" --duplicate ").append(duplicatePercent);
        }
        if (transport != NetworkModel.Transport.DATAGRAM) {
            b.append(" --transport ").append(transport.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (latencyMinMillis != 1 || latencyJitterMillis != 1.0) {
            b.append(" --latency-ms ").append(latencyMinMillis).append(" --jitter-ms ").append(latencyJitterMillis);
        }
        b.append(data.flags());
        Settings base = profile.settings();
        if (settings.gossipFanout() != base.gossipFanout()) {
            b.append(" --fanout ").append(settings.gossipFanout());
        }
        if (settings.retransmitMult() != base.retransmitMult()) {
            b.append(" --retransmit-mult ").append(settings.retransmitMult());
        }
        if (settings.gossipCopiesMax() != base.gossipCopiesMax()) {
            b.append(" --copies-per-member ").append(settings.gossipCopiesMax());
        }
        if (settings.corroborators() != base.corroborators()) {
            b.append(" --corroborators ").append(settings.corroborators());
        }
        if (settings.suspicionMult() != base.suspicionMult()) {
            b.append(" --suspicion-mult ").append(settings.suspicionMult());
        }
        if (!settings.probeInterval().equals(base.probeInterval())) {
            b.append(" --probe-interval ").append(settings.probeIntervalMillis()).append("ms");
        }
        if (!settings.gossipInterval().equals(base.gossipInterval())) {
            b.append(" --gossip-interval ").append(settings.gossipIntervalMillis()).append("ms");
        }
        return b.toString();
    }
}
