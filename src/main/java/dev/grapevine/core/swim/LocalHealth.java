package dev.grapevine.core.swim;

/**
 * Lifeguard's local health multiplier (Dadgar et al. 2018, §IV-A): a score that rises when this node
 * shows signs of being the slow one (missed nacks, having to refute a suspicion of itself) and falls
 * with each successful probe. Timeouts are stretched by {@code score + 1}, so a node starved of CPU
 * probes more patiently instead of accusing healthy peers.
 */
public final class LocalHealth {
    private final int max;
    private int score;

    /** @param max the score ceiling plus one: timeouts stretch at most {@code max}-fold */
    public LocalHealth(int max) {
        this.max = max;
    }

    public void apply(int delta) {
        score = Math.max(0, Math.min(max - 1, score + delta));
    }

    public int score() {
        return score;
    }

    public long scale(long millis) {
        return millis * (score + 1);
    }
}
