package dev.grapevine.bench.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Grapevine's median over a peer's, rounded to 2 decimals; below 1 Grapevine is ahead. The rounded
 * value decides "not ahead" so that a table never shows an unmarked 1.00.
 */
record Ratio(Kind kind, double value, double grapevine, double peer) {

    enum Kind {
        /** The peer did not measure it (or neither did). */
        MISSING,
        /** The peer has a figure and Grapevine none (incomplete events, a crash not seen by all): behind. */
        GRAPEVINE_MISSING,
        /** 0 vs 0 (typically false positives): no ratio, and neither is ahead. */
        BOTH_ZERO,
        /** Grapevine above 0, the peer at 0: no finite ratio, and Grapevine is behind. */
        PEER_ZERO,
        VALUE
    }

    static Ratio of(Spread grapevine, Spread peer) {
        if (grapevine == null && peer != null) {
            return new Ratio(Kind.GRAPEVINE_MISSING, Double.NaN, Double.NaN, peer.median());
        }
        if (grapevine == null || peer == null) {
            return new Ratio(Kind.MISSING, Double.NaN, Double.NaN, Double.NaN);
        }
        double g = grapevine.median();
        double p = peer.median();
        if (p == 0) {
            return new Ratio(g == 0 ? Kind.BOTH_ZERO : Kind.PEER_ZERO, Double.NaN, g, p);
        }
        return new Ratio(Kind.VALUE, Math.round(g / p * 100) / 100.0, g, p);
    }

    /**
     * Ratio ≥ 1, or Grapevine above a peer's 0. A tie at 0 (no false positives on either side) is
     * not listed: nothing can beat it, and listing it would bury the real gaps.
     */
    boolean notAhead() {
        return kind == Kind.PEER_ZERO || kind == Kind.GRAPEVINE_MISSING || (kind == Kind.VALUE && value >= 1);
    }

    /** For JSON: the ratio, or null when there is none (see {@link #note}). */
    Double json() {
        return kind == Kind.VALUE ? value : null;
    }

    /** Why a JSON ratio is null when both sides were measured, else null. */
    String note() {
        return switch (kind) {
            case BOTH_ZERO -> "0 vs 0";
            case PEER_ZERO -> plain(grapevine) + " vs 0";
            case GRAPEVINE_MISSING -> "Grapevine not measured vs " + plain(peer);
            default -> null;
        };
    }

    String markdown() {
        String text = switch (kind) {
            case MISSING -> "n/a";
            case VALUE -> String.format(Locale.ROOT, "%.2f", value);
            default -> note();
        };
        return notAhead() ? "**" + text + "**" : text;
    }

    private static String plain(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
