package dev.grapevine.core.node;

import dev.grapevine.core.Hash64;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.AppState;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.wire.WireSize;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The members' application state (as Cassandra's application states): each node publishes small
 * versioned values under keys of its own, gossip and push-pull carry them, and every node converges
 * on the newest value per (member, key) ({@link AppState#newerThan}). A {@link StateDelegate}.
 *
 * <p>Bounded: at most {@link AppState#KEYS_MAX} keys per member, values of members the view holds
 * only (a reaped member's are forgotten at the next push-pull), {@link AppState#BYTES_MAX} bytes per
 * value, and {@link #PUSH_PULL_BYTES_MAX} per push-pull, whose window moves on each time so that all
 * of it goes round. Values of members that are not live stay until the member is reaped: they are
 * what the member said last, and a read hands out only the live members' values.
 */
public final class AppStates implements StateDelegate {
    /** Bytes of application state in one push-pull: 128 values of the largest size. */
    static final int PUSH_PULL_BYTES_MAX = 32 * 1024;

    private final String selfName;
    private final Counters counters;
    /** Owner, then key: sorted, so what is carried and read never depends on hash order. */
    private final TreeMap<String, TreeMap<String, AppState>> held = new TreeMap<>();
    /** This node's publications in this process; a value's epoch tells lives apart. */
    private long version;
    /** Where the next push-pull's window starts, among the owners. */
    private String windowStart = "";

    public AppStates(String selfName, Counters counters) {
        this.selfName = selfName;
        this.counters = counters;
    }

    /**
     * Publishes {@code value} under {@code key} as this node's, for every member to read: queued for
     * gossip (ticks and piggybacks), and carried by push-pull for any member the gossip missed.
     *
     * @param view this node's member view, read only: its own entry gives the life the value belongs to
     * @throws IllegalArgumentException naming the limit, if the key is empty, key plus value exceed
     *                                  {@link AppState#BYTES_MAX}, or this would be a key past {@link AppState#KEYS_MAX}
     */
    public AppState publish(String key, byte[] value, MemberTable view, Outbox out) {
        String problem = AppState.problem(key, value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        TreeMap<String, AppState> mine = held.computeIfAbsent(selfName, k -> new TreeMap<>());
        if (!mine.containsKey(key) && mine.size() >= AppState.KEYS_MAX) {
            throw new IllegalArgumentException("this node already publishes " + mine.size() + " application state keys "
                    + mine.keySet() + "; the limit is " + AppState.KEYS_MAX);
        }
        AppState held = mine.get(key);
        long life = view.get(selfName).epoch();
        long next = Math.max(++version, held != null && held.epoch() == life ? held.version() + 1 : 1);
        version = next;
        AppState state = new AppState(selfName, key, life, next, value.clone());
        mine.put(key, state);
        out.tell(Role.GOSSIPER, new Signal.Announce(new Rumor.StateRumor(state)));
        return state;
    }

    /** The value each live member holds under {@code key}, by member name; members without one are absent. */
    public Map<String, AppState> values(String key, MemberTable view) {
        Map<String, AppState> out = new TreeMap<>();
        held.forEach((owner, states) -> {
            AppState s = states.get(key);
            Member m = view.get(owner);
            if (s != null && m != null && m.status().isLive() && s.epoch() >= m.epoch()) {
                out.put(owner, s);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    @Override
    public boolean takes(Rumor rumor) {
        return rumor instanceof Rumor.StateRumor;
    }

    /**
     * Keeps the newer value of its (owner, key). Refused (counted): values of members the view does
     * not hold (push-pull brings them again once the member is known), of an earlier life of the
     * member than the view holds, and of a key past the owner's {@link AppState#KEYS_MAX}.
     */
    @Override
    public Rumor merge(Rumor rumor, MemberTable view, Outbox out) {
        AppState incoming = ((Rumor.StateRumor) rumor).state();
        Member owner = view.get(incoming.owner());
        if (owner == null || incoming.epoch() < owner.epoch()) {
            counters.appStateRefused++;
            return null;
        }
        TreeMap<String, AppState> states = held.computeIfAbsent(incoming.owner(), k -> new TreeMap<>());
        AppState current = states.get(incoming.key());
        if (current == null && states.size() >= AppState.KEYS_MAX) {
            counters.appStateRefused++;
            return null;
        }
        if (!incoming.newerThan(current)) {
            return null;
        }
        if (incoming.owner().equals(selfName)) {
            // An earlier process of this node under the same life: publish past its versions.
            version = Math.max(version, incoming.version());
        }
        states.put(incoming.key(), incoming);
        return rumor;
    }

    /**
     * Values of the members the view holds, from the window's start on, within
     * {@link #PUSH_PULL_BYTES_MAX}; the next push-pull starts where this one stopped. Forgets the
     * values of members the view no longer holds.
     */
    @Override
    public List<Rumor> carried(MemberTable view) {
        held.keySet().removeIf(owner -> view.get(owner) == null);
        if (held.isEmpty()) {
            return List.of();
        }
        List<Rumor> out = new ArrayList<>();
        int bytes = 0;
        List<String> owners = new ArrayList<>(held.tailMap(windowStart, true).keySet());
        owners.addAll(held.headMap(windowStart, false).keySet());
        String stoppedAt = null;
        for (String owner : owners) {
            for (AppState s : held.get(owner).values()) {
                int size = WireSize.of(s);
                if (stoppedAt == null && bytes + size <= PUSH_PULL_BYTES_MAX) {
                    bytes += size;
                    out.add(new Rumor.StateRumor(s));
                } else {
                    stoppedAt = stoppedAt == null ? owner : stoppedAt;
                    counters.appStateLeftOut++;
                }
            }
        }
        windowStart = stoppedAt == null ? "" : stoppedAt;
        return out;
    }

    @Override
    public long digest(Rumor carried) {
        AppState s = ((Rumor.StateRumor) carried).state();
        long h = Hash64.fnv(Hash64.fnv(Hash64.FNV_OFFSET ^ 7, s.owner()), s.key());
        return Hash64.fnv(Hash64.fnv(h, s.epoch()), s.version());
    }
}
