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

    /**
     * Whether a node may accuse others, or declare a death, given that its score is {@code poor}
     * (above {@code accuser-health-max}) since {@code poorSinceMillis}. A poor node holds back: it is
     * more likely the one that cannot hear. But not for ever, and not where it cannot tell: with no
     * third member ({@code liveMembers} ≤ 2) no relay can answer it, so its score says nothing of
     * itself; and a node that has been poor for Lifeguard's longest suspicion timeout may be the last
     * one alive (the others crashed at once), so it falls back to Lifeguard and judges again.
     */
    public static boolean mayJudge(boolean poor, long poorSinceMillis, long nowMillis, int liveMembers,
                                   long suspicionMaxMillis) {
        return !poor || liveMembers <= 2 || nowMillis - poorSinceMillis >= suspicionMaxMillis;
    }
}
