package dev.grapevine.core.recovery;

/**
 * One node's word on its recovery work, gossiped as its {@value #TAG} tag: the epoch it works in and
 * how many of its repair tasks for that epoch are pending or gave up. Every node reads everyone's
 * progress from the same gossiped tags, so each can tell on its own whether an epoch is complete
 * everywhere.
 *
 * @param epoch   the recovery epoch (see {@link RecoveryCoordinator#epochOf})
 * @param pending repair tasks not yet done
 * @param failed  repair tasks that gave up after their last attempt
 */
public record Progress(String epoch, int pending, int failed) {
    /** The tag key; keys under {@code grapevine.} are reserved for the node itself. */
    public static final String TAG = "grapevine.recovery";

    public Progress {
        if (epoch.isEmpty() || epoch.indexOf(':') >= 0) {
            throw new IllegalArgumentException("an epoch is a non-empty token without ':', but was '" + epoch + "'");
        }
        if (pending < 0 || failed < 0) {
            throw new IllegalArgumentException("pending and failed cannot be negative: " + pending + ", " + failed);
        }
    }

    public boolean done() {
        return pending == 0 && failed == 0;
    }

    public String encode() {
        return epoch + ":" + pending + ":" + failed;
    }

    /** The progress in a tag value, or null if it is not one (a peer of another version, or garbage). */
    public static Progress parse(String value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split(":", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            return new Progress(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
