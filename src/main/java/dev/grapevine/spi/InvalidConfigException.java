package dev.grapevine.spi;

import java.util.List;

/**
 * A configuration that cannot start a node, with every problem found in it. The message is one line
 * for one problem, else a count followed by one indented line per problem.
 */
public final class InvalidConfigException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** One line each, {@code "key = value: what it accepts"} or {@code "unknown key ..."}. */
    public List<String> problems() {
        return problems;
    }

    private static String describe(List<String> problems) {
        if (problems.size() == 1) {
            return "grapevine configuration: " + problems.get(0);
        }
        return "grapevine configuration has " + problems.size() + " problems:\n  " + String.join("\n  ", problems);
    }
}
