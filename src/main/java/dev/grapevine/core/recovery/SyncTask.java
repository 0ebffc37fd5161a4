package dev.grapevine.core.recovery;

/**
 * One unit of repair work: make this node's copy of {@code partition} and {@code peer}'s agree, in
 * both directions (a Merkle exchange per domain).
 *
 * @param routine true for periodic anti-entropy, which does not hold up an epoch's completion
 */
public record SyncTask(String epoch, int partition, String peer, boolean routine) {
}
