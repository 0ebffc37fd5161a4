package dev.grapevine.core.node;

import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.recovery.DomainOwnership;
import dev.grapevine.core.recovery.EpochProgress;
import dev.grapevine.core.recovery.Progress;
import dev.grapevine.core.recovery.RecoveryCoordinator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recovery progress this node holds, one merged {@link EpochProgress} per epoch, for the
 * {@link #EPOCHS_MAX} epochs that changed last, but never dropping the one given as current (the
 * epoch of the live members): older epochs are over or were never settled on, and a value heard of
 * one again starts it afresh.
 */
final class ProgressBoard {
    /** A few epochs: the current one, and those that nodes still settling may be in. */
    static final int EPOCHS_MAX = 4;
    /** Domains (by name) whose current epoch is never dropped: a cluster runs a handful. */
    static final int DOMAINS_KEPT_MAX = 16;

    /** By epoch, the one changed last at the end. */
    private final LinkedHashMap<Long, EpochProgress> held = new LinkedHashMap<>();
    /** This node's publications in this life; a new life (a restart, or membership starting over) starts again at 1. */
    private long seq;
    /** {@link #liveEpochs}'s work, kept by the view for its content (one function, so one slot). */
    private static final java.util.function.Function<MemberTable, java.util.Set<Long>> LIVE_EPOCHS = ProgressBoard::workOutLiveEpochs;

    /**
     * This node's progress as its next word in its epoch's value.
     *
     * @param index   this node's position in the epoch's members, in ascending order of name
     * @param members how many members the epoch has
     * @return the value now held for the epoch, to gossip
     */
    EpochProgress publish(Progress mine, int index, int members, java.util.Set<Long> currentEpochs) {
        long epoch = Progress.epochBits(mine.epoch());
        EpochProgress current = held.get(epoch);
        if (current == null || current.members() != members) {
            current = EpochProgress.empty(epoch, members);
        }
        return keep(current.with(index, ++seq, mine.pending(), mine.failed(), mine.repairedSinceSeconds()), currentEpochs);
    }

    /**
     * Merges a peer's value.
     *
     * @return the value now held for its epoch if the peer's brought a newer word, else null (and
     *         null for a value whose member count differs from the one held: see {@link #conflicts})
     */
    EpochProgress offer(EpochProgress incoming, java.util.Set<Long> currentEpochs) {
        EpochProgress current = held.get(incoming.epoch());
        if (current == null) {
            return keep(incoming, currentEpochs);
        }
        if (!current.sameEpoch(incoming)) {
            return null;
        }
        EpochProgress merged = current.merge(incoming);
        return merged == current ? null : keep(merged, currentEpochs);
    }

    /** Holds {@code value} as the latest change; beyond the bound, drops the oldest that is not current. */
    private EpochProgress keep(EpochProgress value, java.util.Set<Long> currentEpochs) {
        held.remove(value.epoch());
        held.put(value.epoch(), value);
        for (Iterator<Long> oldest = held.keySet().iterator(); held.size() > EPOCHS_MAX && oldest.hasNext(); ) {
            if (!currentEpochs.contains(oldest.next())) {
                oldest.remove();
            }
        }
        return value;
    }

    /**
     * The 64-bit names of the epochs of the live members (alive or suspect, with their lives) that
     * {@code view} holds: for each domain a live member advertises ({@link DomainsTag}), the epoch of
     * its runners, which that domain's recovery will settle on if the view stays as it is; and the
     * epoch of all live members, in which members that advertise no domains yet (an earlier version,
     * in a rolling upgrade) work. Worked out again only when the view changed (and once for views
     * copied from one another): membership asks for every progress value it hears.
     */
    java.util.Set<Long> liveEpochs(MemberTable view) {
        return view.derived(LIVE_EPOCHS);
    }

    private static java.util.Set<Long> workOutLiveEpochs(MemberTable view) {
        Map<String, Long> lives = new HashMap<>();
        Map<String, java.util.Set<String>> domains = new HashMap<>();
        view.forEach(m -> {
            if (m.status().isLive()) {
                lives.put(m.name(), m.epoch());
                domains.put(m.name(), DomainsTag.parse(m.tags()));
            }
        });
        java.util.Set<Long> epochs = new java.util.TreeSet<>();
        epochs.add(Progress.epochBits(RecoveryCoordinator.epochOf(lives)));
        for (String domain : DomainOwnership.domains(domains)) {
            if (epochs.size() > DOMAINS_KEPT_MAX) {
                break; // the current epochs are few; a flood of domain names must not pin every value
            }
            Map<String, Long> runners = new HashMap<>();
            DomainOwnership.runners(domains, domain).forEach(r -> runners.put(r, lives.get(r)));
            epochs.add(Progress.epochBits(RecoveryCoordinator.epochOf(domain, runners)));
        }
        return java.util.Collections.unmodifiableSet(epochs);
    }


    /** The value held for {@code epoch}, or null. */
    EpochProgress of(long epoch) {
        return held.get(epoch);
    }

    /** Every value held, the one changed last at the end: for a subscriber that starts (or starts over) and must catch up. */
    List<EpochProgress> all() {
        return new ArrayList<>(held.values());
    }

    /** Whether {@code incoming} names an epoch held with another member count: a digest collision or a bad peer. */
    boolean conflicts(EpochProgress incoming) {
        EpochProgress current = held.get(incoming.epoch());
        return current != null && !current.sameEpoch(incoming);
    }
}
