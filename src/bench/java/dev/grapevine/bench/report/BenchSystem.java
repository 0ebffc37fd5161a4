package dev.grapevine.bench.report;

import java.awt.Color;

/**
 * The systems bin/bench measures, in the column order of every table. Each keeps one colour across
 * all plots so a reader learns it once; mid-tone colours, so that the dark value labels XChart draws
 * inside the bars stay readable on them and on the white background alike.
 */
enum BenchSystem {
    GRAPEVINE("grapevine", "Grapevine", new Color(0x66BB6A)),
    SERF("serf", "Serf", new Color(0xEF5350)),
    PEKKO("pekko", "Pekko Cluster", new Color(0x42A5F5));

    final String key;
    final String label;
    final Color colour;

    BenchSystem(String key, String label, Color colour) {
        this.key = key;
        this.label = label;
        this.colour = colour;
    }

    /** The peers Grapevine is compared against, in ratio-column order. */
    static final BenchSystem[] PEERS = {SERF, PEKKO};

    static BenchSystem byKey(String key) {
        for (BenchSystem s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }
}
