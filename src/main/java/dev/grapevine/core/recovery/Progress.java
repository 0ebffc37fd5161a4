package dev.grapevine.core.recovery;

/**
 * One node's word on its recovery work, gossiped as a {@code ProgressRumor} of its own: the epoch it
 * works in and how many of its repair tasks for that epoch are pending or gave up. Every node reads
 * everyone's progress from the same gossip, so each can tell on its own whether an epoch is complete
 * everywhere.
 *
 * @param epoch   the recovery epoch (see {@link RecoveryCoordinator#epochOf}): 16 lowercase hex digits
 * @param pending repair tasks not yet done
 * @param failed  repair tasks that gave up after their last attempt
 * @param repairedSinceSeconds wall-clock second (since 1970, rounded down) since which every exchange
 *                this node starts in the epoch has succeeded in an exchange started no earlier (see
 *                {@link RepairProof}), or {@link #NOT_REPAIRED}: what tombstone GC waits for
 */
public record Progress(String epoch, int pending, int failed, long repairedSinceSeconds) {

    /** No complete round of this node's exchanges in the epoch yet. */
    public static final long NOT_REPAIRED = -1;

    public Progress {
        epochBits(epoch); // validates, with its message
        if (pending < 0 || failed < 0) {
            throw new IllegalArgumentException("pending and failed cannot be negative: " + pending + ", " + failed);
        }
        if (repairedSinceSeconds < NOT_REPAIRED) {
            throw new IllegalArgumentException("repairedSinceSeconds must be >= -1, but was " + repairedSinceSeconds);
        }
    }

    /** A word that proves no repair yet. */
    public Progress(String epoch, int pending, int failed) {
        this(epoch, pending, failed, NOT_REPAIRED);
    }

    public boolean done() {
        return pending == 0 && failed == 0;
    }

    /** An epoch's name as the 64 bits it stands for: what goes on the wire. */
    public static long epochBits(String epoch) {
        if (epoch.length() != 16) {
            throw new IllegalArgumentException("an epoch is 16 lowercase hex digits, but was '" + epoch + "'");
        }
        for (int i = 0; i < 16; i++) {
            char c = epoch.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw new IllegalArgumentException("an epoch is 16 lowercase hex digits, but was '" + epoch + "'");
            }
        }
        return Long.parseUnsignedLong(epoch, 16);
    }

    /** The name of the epoch whose bits these are (inverse of {@link #epochBits}). */
    public static String epochName(long bits) {
        String hex = Long.toHexString(bits);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
