package dev.grapevine.core.recovery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The decision to hand a partition this node no longer owns to its owners and then drop it here, as
 * a step machine: no clock, no threads, no I/O. One planner per domain on a node.
 *
 * <h2>The rule</h2>
 * A partition held here is handed off when the epoch is complete everywhere and this node does not
 * own it: its digests are read (what is held now is what gets delivered), then one exchange runs with
 * each of its owners. It is dropped only if, when the last exchange ends,
 * <ol>
 *   <li>every exchange with every owner succeeded,</li>
 *   <li>in the epoch the hand-off began in, which is still the current one,</li>
 *   <li>that epoch is complete everywhere (every live runner reports its own work done), and</li>
 *   <li>the partition is still not owned here;</li>
 * </ol>
 * and then only the entries whose digests are those read at the start ({@link HandOffEffect.Drop}
 * carries them): every current owner received at least those versions. A write that landed after the
 * read has another digest and stays, for the next hand-off. Anything else keeps the partition
 * ({@link HandOffEffect.Kept}, with the {@link KeepReason}); a later round tries again. A partition
 * with no owner at all (no live runner but this node) is never dropped.
 *
 * <h2>Driving it</h2>
 * <pre>{@code
 * HandOffPlanner planner = new HandOffPlanner("node-a", new HandOffPlanner.Settings(1));
 * // when the coordinator says RecoveryAction.CompleteEverywhere (or at any time: an incomplete view plans nothing)
 * run(planner.plan(HandOffPlanner.View.of(coordinator), store.partitions()));
 *
 * void run(List<HandOffEffect> effects) {
 *     for (HandOffEffect e : effects) {
 *         if (e instanceof HandOffEffect.ReadDigests r) {
 *             run(planner.onDigests(r.partition(), store.digests(r.partition()))); // or onDigestsFailed
 *         } else if (e instanceof HandOffEffect.StartExchange x) {
 *             exchange(x.partition(), x.owner(), ok ->  // answered later, from the exchange's end
 *                     run(planner.onExchangeDone(x.partition(), x.owner(), ok, HandOffPlanner.View.of(coordinator))));
 *         } else if (e instanceof HandOffEffect.Drop d) {
 *             store.drop(d.partition(), d.delivered());
 *         } else {
 *             log(e); // Kept: one partition stays, and why; RoundDone: one line for the round
 *         }
 *     }
 * }
 * }</pre>
 * Answers may come in any order and at any later time; each exchange is answered once, keyed by
 * partition and owner. An answer for a partition not in hand-off (a duplicate, or one from before a
 * restart) is ignored. The {@link View} passed with an exchange's answer must be the coordinator's
 * view at that moment: it is what the drop is judged against. At most
 * {@link Settings#handOffsAtOnceMax} partitions are in hand-off at once, each with one exchange per
 * owner (at most the replication factor), in ascending partition order.
 */
public final class HandOffPlanner {

    /** @param handOffsAtOnceMax most partitions in hand-off at once (each runs one exchange per owner) */
    public record Settings(int handOffsAtOnceMax) {
        public Settings {
            if (handOffsAtOnceMax < 1 || handOffsAtOnceMax > 1 << 16) {
                throw new IllegalArgumentException("hand-offs at once must be in 1..65536, but was " + handOffsAtOnceMax);
            }
        }
    }

    /**
     * The recovery coordinator's view that a hand-off is planned and judged against.
     *
     * @param epoch              the current epoch; null before the first
     * @param ownership          its ownership; null before the first
     * @param completeEverywhere whether every live runner reports the epoch done
     */
    public record View(String epoch, Ownership ownership, boolean completeEverywhere) {
        public static View of(RecoveryCoordinator coordinator) {
            return new View(coordinator.epoch(), coordinator.ownership(), coordinator.completeEverywhere());
        }
    }

    /** Why a partition handed off was kept here. */
    public enum KeepReason {
        /** An exchange with an owner failed: that owner may lack what would be dropped. */
        EXCHANGE_FAILED,
        /** The epoch changed during the hand-off: the owners it delivered to may no longer be all the owners. */
        EPOCH_CHANGED,
        /** The epoch is no longer complete everywhere (a member came, went or restarted and no epoch settled yet). */
        NOT_COMPLETE_EVERYWHERE,
        /** This node owns the partition again. */
        OWNED_AGAIN,
        /** The domain could not list the partition's digests, so nothing is known to be delivered. */
        DIGESTS_UNREADABLE,
        /** The partition has no owner to deliver to. */
        NO_OWNERS
    }

    /** One partition in hand-off: the epoch and owners it began with, what it delivers, and the exchanges awaited. */
    private static final class HandOff {
        final String epoch;
        final int partition;
        final List<String> owners;
        final Set<String> awaited = new LinkedHashSet<>();
        Map<String, Long> delivered;
        String failure;

        HandOff(String epoch, int partition, List<String> owners) {
            this.epoch = epoch;
            this.partition = partition;
            this.owners = owners;
        }
    }

    private final String self;
    private final Settings settings;
    /** Planned, not yet begun, in ascending order; at most the domain's partitions. */
    private final Deque<HandOff> queue = new ArrayDeque<>();
    /** Begun: digests being read or exchanges running. At most {@link Settings#handOffsAtOnceMax}. */
    private final Map<Integer, HandOff> running = new TreeMap<>();
    private String roundEpoch;
    private int roundDropped;
    private int roundKept;
    private long dropped;
    private long kept;

    public HandOffPlanner(String self, Settings settings) {
        this.self = Objects.requireNonNull(self, "self");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    // ---------------------------------------------------------------- inputs

    /**
     * Plans the hand-off of every partition of {@code held} that {@code view} does not give this node,
     * if the view's epoch is complete everywhere (otherwise plans nothing and begins nothing). Replaces
     * what was planned and not yet begun; hand-offs already begun run on and are judged when they end.
     *
     * @param held the partitions the domain holds data for
     */
    public List<HandOffEffect> plan(View view, Set<Integer> held) {
        List<HandOffEffect> out = new ArrayList<>();
        queue.clear();
        if (view.epoch() == null || view.ownership() == null || !view.completeEverywhere()) {
            finishRound(out);
            return out;
        }
        Ownership ownership = view.ownership();
        for (int p : new TreeSet<>(held)) {
            if (p >= 0 && p < ownership.partitions() && !ownership.owners(p).contains(self) && !running.containsKey(p)) {
                queue.add(new HandOff(view.epoch(), p, List.copyOf(ownership.owners(p))));
            }
        }
        if (!queue.isEmpty() || !running.isEmpty()) {
            roundEpoch = view.epoch();
        }
        begin(out);
        finishRound(out);
        return out;
    }

    /**
     * The digests of a partition in hand-off, read when {@link HandOffEffect.ReadDigests} asked: what
     * the exchanges deliver and what may be dropped. Starts one exchange per owner.
     */
    public List<HandOffEffect> onDigests(int partition, Map<String, Long> digests) {
        List<HandOffEffect> out = new ArrayList<>();
        HandOff h = running.get(partition);
        if (h == null || h.delivered != null) {
            return out;
        }
        h.delivered = Map.copyOf(digests);
        if (h.owners.isEmpty()) {
            end(h, new HandOffEffect.Kept(h.epoch, partition, KeepReason.NO_OWNERS, "no live owner"), out);
        } else {
            for (String owner : h.owners) {
                h.awaited.add(owner);
                out.add(new HandOffEffect.StartExchange(h.epoch, partition, owner));
            }
        }
        begin(out);
        finishRound(out);
        return out;
    }

    /** The domain could not list a partition's digests: it is kept, and the next partition begins. */
    public List<HandOffEffect> onDigestsFailed(int partition, String error) {
        List<HandOffEffect> out = new ArrayList<>();
        HandOff h = running.get(partition);
        if (h == null || h.delivered != null) {
            return out;
        }
        end(h, new HandOffEffect.Kept(h.epoch, partition, KeepReason.DIGESTS_UNREADABLE, error), out);
        begin(out);
        finishRound(out);
        return out;
    }

    /**
     * An exchange of a hand-off ended. When the last of the partition's exchanges has, the partition is
     * dropped or kept by the rule (see the class comment), judged against {@code now}: the
     * coordinator's view at this moment.
     */
    public List<HandOffEffect> onExchangeDone(int partition, String owner, boolean ok, View now) {
        List<HandOffEffect> out = new ArrayList<>();
        HandOff h = running.get(partition);
        if (h == null || !h.awaited.remove(owner)) {
            return out;
        }
        if (!ok && h.failure == null) {
            h.failure = "exchange with " + owner + " failed";
        }
        if (h.awaited.isEmpty()) {
            KeepReason reason = keepReason(self, h.partition, h.epoch, h.failure != null, now);
            end(h, reason == null
                    ? new HandOffEffect.Drop(h.epoch, partition, h.delivered)
                    : new HandOffEffect.Kept(h.epoch, partition, reason, detail(reason, h, now)), out);
            begin(out);
            finishRound(out);
        }
        return out;
    }

    // ---------------------------------------------------------------- answers

    /**
     * The safety rule alone: null if a partition whose hand-off began in {@code begunIn} may be dropped
     * now, otherwise why not (the first reason, in the order of {@link KeepReason}).
     *
     * @param anyExchangeFailed whether any exchange with any of the owners failed
     */
    public static KeepReason keepReason(String self, int partition, String begunIn, boolean anyExchangeFailed, View now) {
        if (anyExchangeFailed) {
            return KeepReason.EXCHANGE_FAILED;
        }
        if (now.epoch() == null || !now.epoch().equals(begunIn) || now.ownership() == null) {
            return KeepReason.EPOCH_CHANGED;
        }
        if (!now.completeEverywhere()) {
            return KeepReason.NOT_COMPLETE_EVERYWHERE;
        }
        if (now.ownership().owners(partition).contains(self)) {
            return KeepReason.OWNED_AGAIN;
        }
        return null;
    }

    /** Whether any hand-off is planned or under way. */
    public boolean busy() {
        return !queue.isEmpty() || !running.isEmpty();
    }

    /** The partitions in hand-off now, ascending. */
    public Set<Integer> inHandOff() {
        return new TreeSet<>(running.keySet());
    }

    /** Partitions planned and not yet begun. */
    public int planned() {
        return queue.size();
    }

    /** Partitions dropped since this planner was made. */
    public long droppedTotal() {
        return dropped;
    }

    /** Hand-offs that ended with the partition kept, since this planner was made. */
    public long keptTotal() {
        return kept;
    }

    // ---------------------------------------------------------------- steps

    private void begin(List<HandOffEffect> out) {
        while (running.size() < settings.handOffsAtOnceMax() && !queue.isEmpty()) {
            HandOff h = queue.pollFirst();
            running.put(h.partition, h);
            out.add(new HandOffEffect.ReadDigests(h.epoch, h.partition));
        }
    }

    private void end(HandOff h, HandOffEffect outcome, List<HandOffEffect> out) {
        running.remove(h.partition);
        out.add(outcome);
        if (outcome instanceof HandOffEffect.Drop) {
            dropped++;
            roundDropped++;
        } else {
            kept++;
            roundKept++;
        }
    }

    private void finishRound(List<HandOffEffect> out) {
        if (roundEpoch != null && queue.isEmpty() && running.isEmpty()) {
            if (roundDropped + roundKept > 0) {
                out.add(new HandOffEffect.RoundDone(roundEpoch, roundDropped, roundKept));
            }
            roundEpoch = null;
            roundDropped = 0;
            roundKept = 0;
        }
    }

    private static String detail(KeepReason reason, HandOff h, View now) {
        return switch (reason) {
            case EXCHANGE_FAILED -> h.failure;
            case EPOCH_CHANGED -> "began in " + h.epoch + ", now " + now.epoch();
            case NOT_COMPLETE_EVERYWHERE -> "epoch " + now.epoch() + " is not complete everywhere";
            case OWNED_AGAIN -> "owned here again";
            default -> reason.name();
        };
    }
}
