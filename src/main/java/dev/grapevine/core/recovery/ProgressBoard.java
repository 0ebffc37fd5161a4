package dev.grapevine.core.recovery;

import dev.grapevine.core.Hash64;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.node.Counters;
import dev.grapevine.core.node.DomainsTag;
import dev.grapevine.core.node.Effect;
import dev.grapevine.core.node.Outbox;
import dev.grapevine.core.node.Role;
import dev.grapevine.core.node.Signal;
import dev.grapevine.core.node.StateDelegate;
import dev.grapevine.core.wire.WireSize;

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
 *
 * <p>Membership carries it as one {@link StateDelegate}: recovery's use of the state that gossip and
 * push-pull merge. Membership knows nothing of epochs; this board knows nothing of suspicion.
 */
public final class ProgressBoard implements StateDelegate {
    /** A few epochs: the current one, and those that nodes still settling may be in. */
    public static final int EPOCHS_MAX = 4;
    /** Domains (by name) whose current epoch is never dropped: a cluster runs a handful. */
    static final int DOMAINS_KEPT_MAX = 16;

    /** Bytes of recovery progress in one push-pull: the current epochs' values (one per domain), about 1 byte per member each once done. */
    static final int PUSH_PULL_PROGRESS_BYTES_MAX = 64 * 1024;

    private final Counters counters;

    /** @param counters where refused values and values too large for a push-pull are counted */
    public ProgressBoard(Counters counters) {
        this.counters = counters;
    }

    /** By epoch, the one changed last at the end. */
    private final LinkedHashMap<Long, EpochProgress> held = new LinkedHashMap<>();
    /** This node's publications in this life; a new life (a restart, or membership starting over) starts again at 1. */
    private long seq;
    /** {@link #liveEpochs}'s work, kept by the view for its content (one function, so one slot). */
    private static final java.util.function.Function<MemberTable, java.util.Set<Long>> LIVE_EPOCHS = ProgressBoard::workOutLiveEpochs;

    /**
     * Gossips this node's recovery progress, as its word in its epoch's value: queued for the gossip
     * ticks and piggybacks rather than sent in a round of its own (nothing waits on it at network
     * speed), and carried by push-pull for any member the gossip missed.
     *
     * @param index   this node's position among the epoch's members, in ascending order of name
     * @param members how many members the epoch has
     * @param view    this node's member view, read only
     */
    public void publish(Progress mine, int index, int members, MemberTable view, Outbox out) {
        out.tell(Role.GOSSIPER, new Signal.Announce(new Rumor.ProgressRumor(publish(mine, index, members, liveEpochs(view)))));
    }

    @Override
    public boolean takes(Rumor rumor) {
        return rumor instanceof Rumor.ProgressRumor;
    }

    /**
     * An epoch's progress heard from a peer, merged into the value held: recovery is told the merged
     * value if the peer's brought news ({@link Effect.ProgressHeard}). Passed on only in an epoch of
     * the live members: a node's values of epochs it left, or was alone in while joining, would
     * otherwise circulate for ever.
     */
    @Override
    public Rumor merge(Rumor rumor, MemberTable view, Outbox out) {
        EpochProgress incoming = ((Rumor.ProgressRumor) rumor).progress();
        if (conflicts(incoming)) {
            counters.progressRefused();
            return null;
        }
        java.util.Set<Long> live = liveEpochs(view);
        EpochProgress merged = offer(incoming, live);
        if (merged == null) {
            return null;
        }
        out.add(new Effect.ProgressHeard(merged));
        return live.contains(merged.epoch()) ? new Rumor.ProgressRumor(merged) : null;
    }

    /**
     * The progress held for the epochs of the live members the view holds: the epochs recovery works
     * in once the view has settled, and whose completion anti-entropy must not leave waiting. Values
     * too large for a push-pull are left out (counted).
     */
    @Override
    public List<Rumor> carried(MemberTable view) {
        List<Rumor> out = new ArrayList<>();
        int bytes = 0;
        for (long epoch : liveEpochs(view)) { // one per domain run here, and the one of all live members
            EpochProgress value = of(epoch);
            if (value == null) {
                continue;
            }
            int size = WireSize.of(value);
            if (bytes + size > PUSH_PULL_PROGRESS_BYTES_MAX) {
                counters.progressTooLarge();
                continue;
            }
            bytes += size;
            out.add(new Rumor.ProgressRumor(value));
        }
        return out;
    }

    /** The epoch and every member's word, in member order (the same on every node of the epoch). */
    @Override
    public long digest(Rumor carried) {
        EpochProgress p = ((Rumor.ProgressRumor) carried).progress();
        long h = Hash64.fnv(Hash64.FNV_OFFSET ^ 2, p.epoch());
        for (int i = 0, n = p.members(); i < n; i++) {
            h = Hash64.fnv(Hash64.fnv(h, p.seq(i)), ((long) p.pending(i) << 32) | p.failed(i));
        }
        return h;
    }

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
    public java.util.Set<Long> liveEpochs(MemberTable view) {
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
    public List<EpochProgress> all() {
        return new ArrayList<>(held.values());
    }

    /** Whether {@code incoming} names an epoch held with another member count: a digest collision or a bad peer. */
    boolean conflicts(EpochProgress incoming) {
        EpochProgress current = held.get(incoming.epoch());
        return current != null && !current.sameEpoch(incoming);
    }
}
