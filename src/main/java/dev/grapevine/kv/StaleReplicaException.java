package dev.grapevine.kv;

/**
 * The store was last proven repaired longer ago than {@code grapevine.kv.gc-grace} allows, and
 * {@code grapevine.kv.stale-replica = refuse}: it may hold values whose tombstones the other
 * replicas purged, so the node does not start with it. The message says what to do.
 */
public final class StaleReplicaException extends IllegalStateException {
    StaleReplicaException(String message) {
        super(message, null);
    }
}
