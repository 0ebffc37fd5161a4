package dev.grapevine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.grapevine.spi.ConfigProblems;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses keys under {@code grapevine.} that reference.conf does not declare, so that a misspelt key
 * ({@code probe-intervall}, {@code kv.enable}) stops the node instead of silently leaving the default
 * in force. The known keys are read from reference.conf at run time, null-valued (profile-driven)
 * ones included, so a key added there is known everywhere at once.
 */
final class ConfigKeys {
    static final String ROOT = "grapevine";

    /**
     * Sections whose keys are the user's own (tags). An empty section in reference.conf ({@code {}})
     * is one too: nothing under it could be declared.
     */
    static final Set<String> FREE_FORM = Set.of("grapevine.node.tags");

    private ConfigKeys() {
    }

    /**
     * Reports every unknown key of {@code config} under {@code grapevine}, with where it was set and
     * the nearest known key. Returns the config with any section that is not an object (say
     * {@code grapevine.protocol = 5}, also reported) put back to its reference default, so that the
     * readers can go on and report the other problems.
     */
    static Config check(Config config, ConfigProblems problems) {
        return check(config, ConfigFactory.defaultReference(ConfigKeys.class.getClassLoader()), problems);
    }

    static Config check(Config config, Config reference, ConfigProblems problems) {
        ConfigObject known = reference.root().get(ROOT) instanceof ConfigObject o ? o : ConfigFactory.empty().root();
        List<String> knownPaths = new ArrayList<>();
        collect(ROOT, known, knownPaths);
        List<String> misshapen = new ArrayList<>();
        ConfigValue given = config.root().get(ROOT);
        if (given != null && given.valueType() != ConfigValueType.OBJECT) {
            misshapen.add(ROOT);
        } else if (given != null) {
            walk(ROOT, (ConfigObject) given, known, knownPaths, problems, misshapen);
        }
        Config repaired = config;
        for (String path : misshapen) {
            problems.bad(config, path, "must be a section of keys, as in reference.conf");
            repaired = repaired.withValue(path, reference.getValue(path));
        }
        return repaired;
    }

    private static void walk(String path, ConfigObject given, ConfigObject known, List<String> knownPaths,
                             ConfigProblems problems, List<String> misshapen) {
        for (String key : new TreeSet<>(given.keySet())) {
            String child = path + "." + key;
            ConfigValue expected = known.get(key);
            ConfigValue value = given.get(key);
            if (expected == null) {
                problems.add("unknown key " + child + " (" + value.origin().description() + ")" + suggestion(child, knownPaths));
            } else if (expected.valueType() == ConfigValueType.OBJECT && value.valueType() != ConfigValueType.OBJECT) {
                misshapen.add(child);
            } else if (expected.valueType() == ConfigValueType.OBJECT && !freeForm(child, (ConfigObject) expected)) {
                walk(child, (ConfigObject) value, (ConfigObject) expected, knownPaths, problems, misshapen);
            }
        }
    }

    private static boolean freeForm(String path, ConfigObject expected) {
        return FREE_FORM.contains(path) || expected.isEmpty();
    }

    /** Every section and key of reference.conf under {@code grapevine}, the candidates for a suggestion. */
    private static void collect(String path, ConfigObject known, List<String> into) {
        for (String key : new TreeSet<>(known.keySet())) {
            String child = path + "." + key;
            into.add(child);
            if (known.get(key) instanceof ConfigObject o && !freeForm(child, o)) {
                collect(child, o, into);
            }
        }
    }

    /**
     * The nearest known key: a few edits away from the whole path (a typo), else one with the same
     * last segment elsewhere (a key put in the wrong section).
     */
    static String suggestion(String unknown, List<String> knownPaths) {
        String leaf = unknown.substring(unknown.lastIndexOf('.') + 1);
        int editsMax = Math.max(1, Math.min(3, leaf.length() / 3));
        String nearest = knownPaths.stream()
                .min(Comparator.comparingInt((String k) -> EditDistance.between(unknown, k)).thenComparing(k -> k))
                .filter(k -> EditDistance.between(unknown, k) <= editsMax)
                .orElseGet(() -> knownPaths.stream().filter(k -> k.endsWith("." + leaf)).findFirst().orElse(null));
        return nearest == null ? "" : "; did you mean " + nearest + "?";
    }
}
