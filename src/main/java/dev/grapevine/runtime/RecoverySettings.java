package dev.grapevine.runtime;

import com.typesafe.config.Config;
import dev.grapevine.core.recovery.RecoveryCoordinator;

import java.time.Duration;
import java.util.List;

/**
 * The {@code grapevine.recovery} section: how partitions are laid out and how hard recovery works.
 * Every node of a cluster must use the same {@code partitions} and {@code replication-factor}.
 */
public record RecoverySettings(int partitions, int replicationFactor, Duration stableAfter, int maxConcurrentSyncs,
                               int maxAttempts, Duration retryAfter, Duration antiEntropyInterval,
                               Duration progressInterval, Duration requestTimeout, int chunkBytes) {
    private static final String SECTION = "grapevine.recovery";

    /** The pure coordinator's share of these settings; throws with the offending values if out of range. */
    public RecoveryCoordinator.Settings core() {
        return new RecoveryCoordinator.Settings(partitions, replicationFactor, stableAfter.toMillis(), maxConcurrentSyncs,
                maxAttempts, retryAfter.toMillis(), antiEntropyInterval.toMillis(), progressInterval.toMillis());
    }

    static RecoverySettings from(Config r, List<String> errors) {
        int[] ints = new int[4];
        Duration[] durations = new Duration[5];
        NodeSettings.count(r, SECTION, "partitions", v -> ints[0] = v, errors);
        NodeSettings.count(r, SECTION, "replication-factor", v -> ints[1] = v, errors);
        NodeSettings.count(r, SECTION, "max-concurrent-syncs", v -> ints[2] = v, errors);
        NodeSettings.count(r, SECTION, "max-attempts", v -> ints[3] = v, errors);
        NodeSettings.duration(r, SECTION, "stable-after", v -> durations[0] = v, errors);
        NodeSettings.duration(r, SECTION, "retry-after", v -> durations[1] = v, errors);
        NodeSettings.duration(r, SECTION, "anti-entropy-interval", v -> durations[2] = v, errors);
        NodeSettings.duration(r, SECTION, "progress-interval", v -> durations[3] = v, errors);
        NodeSettings.duration(r, SECTION, "request-timeout", v -> durations[4] = v, errors);
        int[] chunk = {0};
        NodeSettings.bytes(r, SECTION, "chunk-bytes", v -> chunk[0] = v, errors);
        RecoverySettings s = new RecoverySettings(ints[0], ints[1], durations[0], ints[2], ints[3], durations[1],
                durations[2], durations[3], durations[4], chunk[0]);
        try {
            s.core();
            if (chunk[0] < 1024 || chunk[0] > 128 * 1024) {
                // Artery's frame is 256 KiB; a chunk plus its framing must stay well under it.
                errors.add(SECTION + ".chunk-bytes must be in 1KiB..128KiB, but was " + chunk[0]);
            }
            if (durations[4].isZero() || durations[4].isNegative()) {
                errors.add(SECTION + ".request-timeout must be positive, but was " + durations[4]);
            }
        } catch (IllegalArgumentException e) {
            errors.add(SECTION + ": " + e.getMessage());
        } catch (NullPointerException e) {
            // a duration that did not parse: already among the errors
        }
        return s;
    }
}
