package dev.grapevine.spi;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What is wrong with a configuration, collected across every section that reads it (the node's,
 * recovery's, a domain's such as {@code grapevine.kv}), so that one start reports every bad key at
 * once instead of one per attempt. Each problem is one line, {@code "key = value: what it accepts"}.
 *
 * <p>The typed readers report a bad value here instead of throwing. So that reading can go on, a
 * reader with a range then returns the smallest value it accepts: what was read must not be used
 * unless {@link #isEmpty()}. Not thread-safe: one start fills it, then calls {@link #throwIfAny()}.
 */
public final class ConfigProblems {
    /** Characters of a value shown in a problem; a longer one (a big tag map, say) is cut. */
    static final int VALUE_CHARS_MAX = 60;

    private final List<String> problems = new ArrayList<>();

    /** Adds a problem already phrased as one line that names its key. */
    public void add(String problem) {
        problems.add(problem);
    }

    /** Adds {@code "path = <its value in config>: problem"}. */
    public void bad(Config config, String path, String problem) {
        problems.add(path + " = " + valueText(config, path) + ": " + problem);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<String> all() {
        return List.copyOf(problems);
    }

    /** Throws an {@link InvalidConfigException} listing every problem, if there is any. */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    /** A whole number in {@code min..max}; {@code min} after a problem. */
    public int count(Config config, String path, int min, int max) {
        try {
            int value = config.getInt(path);
            if (value >= min && value <= max) {
                return value;
            }
            bad(config, path, "must be in " + min + ".." + max);
        } catch (ConfigException e) {
            bad(config, path, "must be a whole number in " + min + ".." + max);
        }
        return min;
    }

    /** A size in bytes ({@code 16384}, {@code 16KiB}) in {@code min..max}; {@code min} after a problem. */
    public int bytes(Config config, String path, int min, int max) {
        String range = bytesText(min) + ".." + bytesText(max);
        try {
            long value = config.getBytes(path);
            if (value >= min && value <= max) {
                return (int) value;
            }
            bad(config, path, "must be in " + range);
        } catch (ConfigException e) {
            bad(config, path, "must be a size in " + range + ", such as 16384 or 16KiB");
        }
        return min;
    }

    /** A whole number, its range checked by the caller; null after a problem. */
    public Integer wholeNumber(Config config, String path) {
        try {
            return config.getInt(path);
        } catch (ConfigException e) {
            bad(config, path, "must be a whole number");
            return null;
        }
    }

    /** A size in bytes ({@code 16384}, {@code 16KiB}), its range checked by the caller; null after a problem. */
    public Integer size(Config config, String path) {
        try {
            long value = config.getBytes(path);
            if (value <= Integer.MAX_VALUE) {
                return (int) value;
            }
            bad(config, path, "is too large");
        } catch (ConfigException e) {
            bad(config, path, "must be a size such as 16384 or 16KiB");
        }
        return null;
    }

    /** A duration above zero ({@code 500ms}, {@code 2s}); 1 ms after a problem. */
    public Duration positive(Config config, String path) {
        Duration value = duration(config, path);
        if (value != null && !value.isZero() && !value.isNegative()) {
            return value;
        }
        if (value != null) {
            bad(config, path, "must be positive");
        }
        return Duration.ofMillis(1);
    }

    /** A duration of zero or more; zero after a problem. */
    public Duration nonNegative(Config config, String path) {
        Duration value = duration(config, path);
        if (value != null && !value.isNegative()) {
            return value;
        }
        if (value != null) {
            bad(config, path, "must be zero or more");
        }
        return Duration.ZERO;
    }

    /** A duration of any sign; null after a problem. */
    public Duration duration(Config config, String path) {
        try {
            return config.getDuration(path);
        } catch (ConfigException e) {
            bad(config, path, "must be a duration such as 500ms or 2s");
            return null;
        }
    }

    /** {@code true}/{@code false} (or on/off, yes/no); false after a problem. */
    public boolean bool(Config config, String path) {
        try {
            return config.getBoolean(path);
        } catch (ConfigException e) {
            bad(config, path, "must be true or false");
            return false;
        }
    }

    /** A string (a number or boolean is taken as written); empty after a problem. */
    public String string(Config config, String path) {
        try {
            return config.getString(path);
        } catch (ConfigException e) {
            bad(config, path, "must be a string");
            return "";
        }
    }

    /** The value at {@code path} as written (a string without quotes), cut to {@value #VALUE_CHARS_MAX} characters. */
    public static String valueText(Config config, String path) {
        String text;
        try {
            if (!config.hasPathOrNull(path)) {
                return "(missing)";
            }
            if (config.getIsNull(path)) {
                return "null";
            }
            ConfigValue value = config.getValue(path);
            text = value.valueType() == ConfigValueType.STRING ? (String) value.unwrapped()
                    : value.render(ConfigRenderOptions.concise());
        } catch (ConfigException e) {
            return "(unreadable)";
        }
        return text.length() <= VALUE_CHARS_MAX ? text : text.substring(0, VALUE_CHARS_MAX - 3) + "...";
    }

    private static String bytesText(int bytes) {
        return bytes >= 1024 && bytes % 1024 == 0 ? bytes / 1024 + "KiB" : String.valueOf(bytes);
    }
}
