package dev.grapevine.kv;

import java.util.List;

/**
 * On leave, the hints this node keeps (writes owed to owners that missed them) move into its own
 * partitions, merged last-write-wins like any replica write. The partitions' hand-off then carries
 * them to every current owner, the hints' targets among them if they still own the keys, with the
 * same guarantee as the rest of the data: dropped here only once every owner received them.
 *
 * <p>Why not replay them as hints: a hint goes to one named owner, who may itself be gone or no
 * longer own the key once this node's leave moved ownership; the partition hand-off goes to the
 * owners of the new ownership, all of them, and is retried until they have it or the leave times out.
 */
final class HintFold {
    /** Hints moved per commit: bounds the memory of one step (the store keeps at most hints-max anyway). */
    static final int BATCH = 1_000;

    private HintFold() {
    }

    /**
     * Moves every hint into its partition; durable when it returns.
     *
     * @return how many hints moved (0: none was kept)
     * @throws KvStore.Unwritable if the disk refuses the writes; the hints not yet moved stay hints
     */
    static int fold(KvStore store) {
        int moved = 0;
        for (String target : store.hintTargets()) {
            while (true) {
                List<KvStore.Hint> batch = store.hintsFor(target, BATCH);
                if (batch.isEmpty()) {
                    break;
                }
                for (KvStore.Hint h : batch) {
                    store.apply(h.partition(), h.key(), h.record());
                }
                store.removeHints(batch);
                store.commit(); // the records and the hints' removal in one commit: a crash keeps one or the other
                moved += batch.size();
                if (batch.size() < BATCH) {
                    break;
                }
            }
        }
        return moved;
    }
}
