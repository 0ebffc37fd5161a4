package dev.grapevine.kv;

import com.typesafe.config.Config;

import java.time.Duration;

/**
 * The {@code grapevine.kv} section. The replication factor and partitions are recovery's
 * ({@code grapevine.recovery}): the store keeps each key on its partition's owners.
 */
public record KvSettings(boolean enabled, int writeQuorum, int readQuorum, Duration requestTimeout, int hintsMax,
                         Duration hintReplayInterval, int hintReplayBatch, Duration hintWindow, Duration maxClockAhead) {

    public KvSettings {
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
    }

    public static KvSettings from(Config config) {
        Config kv = config.getConfig("grapevine.kv");
        int replication = config.getInt("grapevine.recovery.replication-factor");
        KvSettings s = new KvSettings(kv.getBoolean("enabled"), kv.getInt("write-quorum"), kv.getInt("read-quorum"),
                kv.getDuration("request-timeout"), kv.getInt("hints-max"), kv.getDuration("hint-replay-interval"),
                kv.getInt("hint-replay-batch"), kv.getDuration("hint-window"), kv.getDuration("max-clock-ahead"));
        if (s.writeQuorum() > replication || s.readQuorum() > replication) {
            throw new IllegalArgumentException("grapevine.kv: write-quorum (" + s.writeQuorum() + ") and read-quorum ("
                    + s.readQuorum() + ") cannot exceed grapevine.recovery.replication-factor (" + replication + ")");
        }
        return s;
    }
}
