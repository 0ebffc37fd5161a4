package dev.grapevine.spi;

import com.typesafe.config.Config;

import java.time.Duration;

/**
 * The {@code grapevine.supervision} section: how many times one of a node's actors (or a domain's,
 * such as the key-value store's) is restarted before the node stops rather than run on crippled.
 *
 * @param restartsMax restarts, each less than {@code restartsWithin} after the one before, before the node stops
 * @param restartsWithin quiet time after which an actor's restart count and backoff start again
 * @param crashOnDemand tests only: whether a local {@code ActorFailures.CrashOnDemand} makes an actor fail
 */
public record SupervisionSettings(int restartsMax, Duration restartsWithin, boolean crashOnDemand) {
    public static final String SECTION = "grapevine.supervision.";
    /** Shortest wait before a replica or domain actor is restarted; it doubles with each failure. */
    public static final Duration BACKOFF_MIN = Duration.ofMillis(100);
    /** Longest wait before a replica or domain actor is restarted. */
    public static final Duration BACKOFF_MAX = Duration.ofSeconds(5);
    static final Duration WITHIN_MIN = Duration.ofSeconds(1);
    static final Duration WITHIN_MAX = Duration.ofHours(1);

    /** Reads the section, adding a problem for each bad value (what it returns is then not to be used). */
    public static SupervisionSettings read(Config c, ConfigProblems problems) {
        int max = problems.count(c, SECTION + "restarts-max", 1, 1000);
        Duration within = problems.duration(c, SECTION + "restarts-within");
        if (within != null && (within.compareTo(WITHIN_MIN) < 0 || within.compareTo(WITHIN_MAX) > 0)) {
            problems.bad(c, SECTION + "restarts-within", "must be in 1s..1h");
        }
        if (within == null || within.compareTo(WITHIN_MIN) < 0 || within.compareTo(WITHIN_MAX) > 0) {
            within = WITHIN_MIN;
        }
        return new SupervisionSettings(max, within, problems.bool(c, SECTION + "crash-on-demand"));
    }

    /** Reads the section; throws an {@link InvalidConfigException} naming every bad value. */
    public static SupervisionSettings from(Config c) {
        ConfigProblems problems = new ConfigProblems();
        SupervisionSettings s = read(c, problems);
        problems.throwIfAny();
        return s;
    }
}
