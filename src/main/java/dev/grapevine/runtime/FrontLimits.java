package dev.grapevine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import java.time.Duration;

/**
 * The bounds of the gossip port's front door ({@code grapevine.front}, see reference.conf): checked
 * here, so that a bad value stops the node with one line naming the key and its range.
 */
record FrontLimits(boolean enabled, int connectionsMax, int connectionsPerIpMax, long firstBytesTimeoutMillis,
                   long idleTimeoutMillis, int bufferBytes) {
    static final String PATH = "grapevine.front";

    static FrontLimits from(Config config) {
        if (!config.hasPath(PATH + ".enabled")) {
            return new FrontLimits(false, 0, 0, 0, 0, 0);
        }
        Config c = config.getConfig(PATH);
        try {
            return new FrontLimits(c.getBoolean("enabled"),
                    count(c, "connections-max", 1, 65536),
                    count(c, "connections-per-ip-max", 1, 65536),
                    millis(c, "first-bytes-timeout", Duration.ofMillis(10), Duration.ofMinutes(10)),
                    millis(c, "idle-timeout", Duration.ofMillis(100), Duration.ofHours(24)),
                    (int) bytes(c, "buffer-size", 4096, 16 << 20));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(PATH + ": " + e.getMessage());
        }
    }

    private static int count(Config c, String key, int min, int max) {
        int v = c.getInt(key);
        if (v < min || v > max) {
            throw new IllegalArgumentException(PATH + "." + key + " = " + v + ": must be in " + min + ".." + max);
        }
        return v;
    }

    private static long millis(Config c, String key, Duration min, Duration max) {
        Duration d = c.getDuration(key);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(PATH + "." + key + " = " + d.toMillis() + " ms: must be in "
                    + min.toMillis() + " ms.." + max.toMillis() + " ms");
        }
        return d.toMillis();
    }

    private static long bytes(Config c, String key, long min, long max) {
        long v = c.getBytes(key);
        if (v < min || v > max) {
            throw new IllegalArgumentException(PATH + "." + key + " = " + v + " bytes: must be in " + min + ".." + max);
        }
        return v;
    }
}
