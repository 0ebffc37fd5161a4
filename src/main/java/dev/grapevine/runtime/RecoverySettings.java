package dev.grapevine.runtime;

import com.typesafe.config.Config;
import dev.grapevine.spi.ConfigProblems;
import dev.grapevine.core.recovery.RecoveryCoordinator;

import java.time.Duration;

/**
 * The {@code grapevine.recovery} section: how partitions are laid out and how hard recovery works.
 * Every node of a cluster must use the same {@code partitions} and {@code replication-factor}.
 */
public record RecoverySettings(int partitions, int replicationFactor, Duration stableAfter, int maxConcurrentSyncs,
                               int maxAttempts, Duration retryAfter, Duration antiEntropyInterval,
                               Duration progressInterval, Duration requestTimeout, int chunkBytes,
                               Duration decommissionTimeout, Duration settleMax) {
    private static final String SECTION = "grapevine.recovery.";
    /** The longest decommission-timeout: a leave is bounded, whatever the config says. */
    static final Duration DECOMMISSION_TIMEOUT_MAX = Duration.ofHours(1);

    /** The pure coordinator's share of these settings; throws with the offending values if out of range. */
    public RecoveryCoordinator.Settings core() {
        return new RecoveryCoordinator.Settings(partitions, replicationFactor, stableAfter.toMillis(), maxConcurrentSyncs,
                maxAttempts, retryAfter.toMillis(), antiEntropyInterval.toMillis(), progressInterval.toMillis(),
                settleMax.toMillis());
    }

    /** Reads the section of a whole config, each value checked against the range reference.conf gives. */
    static RecoverySettings read(Config c, ConfigProblems problems) {
        RecoverySettings s = new RecoverySettings(
                problems.count(c, SECTION + "partitions", 1, 1 << 16),
                problems.count(c, SECTION + "replication-factor", 1, 16),
                problems.nonNegative(c, SECTION + "stable-after"),
                problems.count(c, SECTION + "max-concurrent-syncs", 1, 1024),
                problems.count(c, SECTION + "max-attempts", 1, 1000),
                problems.nonNegative(c, SECTION + "retry-after"),
                problems.positive(c, SECTION + "anti-entropy-interval"),
                problems.nonNegative(c, SECTION + "progress-interval"),
                problems.positive(c, SECTION + "request-timeout"),
                // Artery's frame is 256 KiB; a chunk plus its framing must stay well under it.
                problems.bytes(c, SECTION + "chunk-bytes", 1024, 128 * 1024),
                problems.nonNegative(c, SECTION + "decommission-timeout"),
                problems.nonNegative(c, SECTION + "settle-max"));
        if (s.decommissionTimeout().compareTo(DECOMMISSION_TIMEOUT_MAX) > 0) {
            problems.bad(c, SECTION + "decommission-timeout", "must be at most " + DECOMMISSION_TIMEOUT_MAX.toMinutes() + " minutes");
        }
        if (s.settleMax().compareTo(s.stableAfter()) < 0) {
            problems.bad(c, SECTION + "settle-max", "must be at least stable-after ("
                    + ConfigProblems.valueText(c, SECTION + "stable-after") + "); raise it with stable-after");
            return s; // the coordinator's own check below would say the same again
        }
        try {
            s.core();
        } catch (IllegalArgumentException e) {
            problems.add("grapevine.recovery: " + e.getMessage()); // a rule of the coordinator's not checked above
        }
        return s;
    }
}
