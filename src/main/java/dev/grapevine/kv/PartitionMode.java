package dev.grapevine.kv;

import java.util.Locale;

/**
 * Who takes writes while the network is split ({@code grapevine.kv.partition-mode}); see
 * docs/recovery.md, "Writes during a partition".
 */
public enum PartitionMode {
    /**
     * Every side takes writes that reach write-quorum owners there. Nothing is refused for a split, but
     * two writes of one key on two sides are concurrent, and after the heal last-write-wins keeps one of
     * them: an acknowledged write can be replaced by the other side's.
     */
    AVAILABLE,
    /**
     * Only a node that sees a majority of the members of the last epoch it admitted takes writes
     * ({@code MajorityGate}); the others refuse them (503, naming the reason). Reads are served on
     * every side.
     */
    MAJORITY;

    /** The name as written in the config. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode written {@code text}, or null if it names none. */
    static PartitionMode parse(String text) {
        for (PartitionMode m : values()) {
            if (m.configName().equals(text)) {
                return m;
            }
        }
        return null;
    }
}
