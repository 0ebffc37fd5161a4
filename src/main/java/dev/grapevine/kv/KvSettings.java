package dev.grapevine.kv;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.grapevine.spi.ConfigProblems;
import dev.grapevine.spi.InvalidConfigException;

import java.time.Duration;

/**
 * The {@code grapevine.kv} section. The replication factor and partitions are recovery's
 * ({@code grapevine.recovery}): the store keeps each key on its partition's owners.
 */
public record KvSettings(boolean enabled, int writeQuorum, int readQuorum, Duration requestTimeout, int hintsMax,
                         Duration hintReplayInterval, int hintReplayBatch, Duration hintWindow, Duration maxClockAhead,
                         Duration gcGrace, StaleReplica staleReplica, PartitionMode partitionMode) {

    /** What a node does with a store last proven repaired longer ago than gc-grace allows ({@code stale-replica}). */
    public enum StaleReplica {
        /** Does not start, and says why: the operator chooses (the default). */
        REFUSE,
        /** Drops the store's data; the other owners copy it back. */
        DROP,
        /** Keeps it (after a stop of the whole cluster, when no node can have purged anything). */
        KEEP
    }

    /** Cassandra's gc_grace_seconds default; see reference.conf for why. */
    public static final Duration GC_GRACE_DEFAULT = Duration.ofDays(10);

    /** The settings with the default gc-grace. */
    public KvSettings(boolean enabled, int writeQuorum, int readQuorum, Duration requestTimeout, int hintsMax,
                      Duration hintReplayInterval, int hintReplayBatch, Duration hintWindow, Duration maxClockAhead) {
        this(enabled, writeQuorum, readQuorum, requestTimeout, hintsMax, hintReplayInterval, hintReplayBatch, hintWindow,
                maxClockAhead, GC_GRACE_DEFAULT, StaleReplica.REFUSE, PartitionMode.AVAILABLE);
    }

    public KvSettings {
        java.util.Objects.requireNonNull(partitionMode, "grapevine.kv: partition-mode");
        if (writeQuorum < 1 || readQuorum < 1) {
            throw new IllegalArgumentException("grapevine.kv: write-quorum and read-quorum must be at least 1, but were "
                    + writeQuorum + " and " + readQuorum);
        }
        if (hintsMax < 0 || hintReplayBatch < 1 || hintReplayBatch > 10_000) {
            throw new IllegalArgumentException("grapevine.kv: hints-max must be >= 0 and hint-replay-batch in 1..10000, but were "
                    + hintsMax + " and " + hintReplayBatch);
        }
        if (requestTimeout.isZero() || requestTimeout.isNegative() || hintReplayInterval.isZero() || hintReplayInterval.isNegative()
                || hintWindow.isZero() || hintWindow.isNegative()) {
            throw new IllegalArgumentException("grapevine.kv: request-timeout, hint-replay-interval and hint-window must be positive");
        }
        String gc = gcGraceProblem(gcGrace, hintWindow, maxClockAhead);
        if (gc != null) {
            throw new IllegalArgumentException("grapevine.kv.gc-grace " + gc);
        }
    }

    /** The tombstone GC rule these settings give. */
    public dev.grapevine.core.recovery.TombstoneGc tombstoneGc() {
        return new dev.grapevine.core.recovery.TombstoneGc(gcGrace.toMillis(), hintWindow.toMillis(), maxClockAhead.toMillis());
    }

    /** Why {@code gcGrace} does not fit, or null: it must outlast any hint of an older write (see TombstoneGc). */
    private static String gcGraceProblem(Duration gcGrace, Duration hintWindow, Duration maxClockAhead) {
        Duration floor = hintWindow.plus(maxClockAhead.multipliedBy(2));
        return gcGrace.compareTo(floor) > 0 ? null : "must exceed hint-window + 2 x max-clock-ahead (" + floor.toMillis()
                + " ms), or a hint of an older write could outlive a purged tombstone, but was " + gcGrace.toMillis() + " ms";
    }

    /** Reads {@code grapevine.kv}; throws an {@link InvalidConfigException} naming every bad value. */
    public static KvSettings from(Config config) {
        ConfigProblems problems = new ConfigProblems();
        KvSettings settings = read(config, problems);
        problems.throwIfAny();
        return settings;
    }

    /**
     * Reads {@code grapevine.kv} like {@link #from}, but adds its problems to {@code problems}, with the
     * node's (the agent reports both in one message). What it returns is only valid if none were added.
     */
    public static KvSettings read(Config config, ConfigProblems problems) {
        int replication = replicationFactor(config);
        Duration hintWindow = problems.positive(config, SECTION + "hint-window");
        Duration maxClockAhead = problems.nonNegative(config, SECTION + "max-clock-ahead");
        Duration gcGrace = problems.duration(config, SECTION + "gc-grace"); // null: reported
        String gc = gcGrace == null ? null : gcGraceProblem(gcGrace, hintWindow, maxClockAhead);
        if (gc != null) {
            problems.bad(config, SECTION + "gc-grace", gc);
        }
        if (gc != null || gcGrace == null) {
            gcGrace = hintWindow.plus(maxClockAhead.multipliedBy(2)).plusMillis(1); // valid, so the other problems still show
        }
        return new KvSettings(
                problems.bool(config, SECTION + "enabled"),
                quorum(config, SECTION + "write-quorum", replication, problems),
                quorum(config, SECTION + "read-quorum", replication, problems),
                problems.positive(config, SECTION + "request-timeout"),
                problems.count(config, SECTION + "hints-max", 0, Integer.MAX_VALUE),
                problems.positive(config, SECTION + "hint-replay-interval"),
                problems.count(config, SECTION + "hint-replay-batch", 1, 10_000),
                hintWindow,
                maxClockAhead,
                gcGrace,
                staleReplica(config, problems),
                partitionMode(config, problems));
    }

    private static StaleReplica staleReplica(Config config, ConfigProblems problems) {
        String path = SECTION + "stale-replica";
        try {
            return StaleReplica.valueOf(config.getString(path).toUpperCase(java.util.Locale.ROOT));
        } catch (ConfigException | IllegalArgumentException e) {
            problems.bad(config, path, "must be refuse, drop or keep");
            return StaleReplica.REFUSE;
        }
    }

    /** {@code available} or {@code majority}; available after a problem. */
    private static PartitionMode partitionMode(Config config, ConfigProblems problems) {
        String path = SECTION + "partition-mode";
        PartitionMode mode = null;
        try {
            mode = PartitionMode.parse(config.getString(path));
        } catch (ConfigException e) {
            // missing or not a string: reported below with the choices
        }
        if (mode == null) {
            problems.bad(config, path, "must be one of available, majority");
            return PartitionMode.AVAILABLE;
        }
        return mode;
    }

    private static final String SECTION = "grapevine.kv.";

    /** A quorum counts owners, so it cannot exceed the replication factor. */
    private static int quorum(Config config, String path, int replication, ConfigProblems problems) {
        try {
            int value = config.getInt(path);
            if (value >= 1 && value <= replication) {
                return value;
            }
        } catch (ConfigException e) {
            // not a number: reported below with the range
        }
        problems.bad(config, path, "must be 1..replication-factor (" + replication + ")");
        return 1;
    }

    /** Recovery's, which reports a bad one itself; the largest it accepts meanwhile, so nothing is reported twice. */
    private static int replicationFactor(Config config) {
        try {
            int rf = config.getInt("grapevine.recovery.replication-factor");
            return rf >= 1 && rf <= 16 ? rf : 16;
        } catch (ConfigException e) {
            return 16;
        }
    }
}
