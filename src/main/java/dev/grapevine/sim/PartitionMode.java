package dev.grapevine.sim;

import java.util.Locale;

/** Whether a simulated coordinator takes writes on any side of a partition, or only with a majority. */
public enum PartitionMode {
    /** Any node whose write reaches a write quorum of owners takes it. */
    AVAILABLE,
    /** Only a node that sees a majority of the last admitted epoch ({@code core.recovery.MajorityGate}). */
    MAJORITY;

    public static PartitionMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--partition-mode must be available or majority, not '" + text + "'");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
