package dev.grapevine.core.recovery;

import java.util.Map;

/** What the {@link HandOffPlanner} decided, for its shell to carry out, in the order given. */
public sealed interface HandOffEffect {

    /**
     * Read the domain's digests of {@code partition} (key to digest, {@code Recoverable.digests}) and
     * answer {@link HandOffPlanner#onDigests}, or {@link HandOffPlanner#onDigestsFailed} if the domain
     * cannot say. What is read now is what the hand-off delivers, and all it may drop.
     */
    record ReadDigests(String epoch, int partition) implements HandOffEffect {
    }

    /**
     * Run one exchange of {@code partition} with {@code owner} (a Merkle exchange that leaves the owner
     * holding at least what this node holds) and answer {@link HandOffPlanner#onExchangeDone} with its
     * outcome, once, whatever happens (a peer without an address is a failure).
     */
    record StartExchange(String epoch, int partition, String owner) implements HandOffEffect {
    }

    /**
     * Delete from {@code partition} the entries that still have the digests of {@code delivered}
     * ({@code Recoverable.drop}): every current owner received those. An entry changed since (a late
     * write) keeps its new digest, and stays for the next hand-off.
     */
    record Drop(String epoch, int partition, Map<String, Long> delivered) implements HandOffEffect {
    }

    /** A hand-off ended without a drop; the partition stays here for the next one. For a log line and a count. */
    record Kept(String epoch, int partition, HandOffPlanner.KeepReason reason, String detail) implements HandOffEffect {
    }

    /**
     * Every hand-off planned has ended: {@code dropped} partitions went, {@code kept} stayed. One
     * line for the round, not one per partition.
     */
    record RoundDone(String epoch, int dropped, int kept) implements HandOffEffect {
    }
}
