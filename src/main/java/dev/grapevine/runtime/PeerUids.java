package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.node.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The actor uids of this node's peers, learnt from their messages, so that the node can send to
 * {@code path#uid} rather than to the bare path. Artery compresses a recipient only when the sender's
 * reference carries the uid of the actor the receiver advertised: a bare path costs about 70 bytes in
 * every envelope, a compressed one a few.
 *
 * <p>A uid is valid for one life of a peer, and Pekko drops a message whose uid does not match the
 * actor at that path. So a uid is used only while all of these hold, and the peer is reached by path
 * otherwise (always delivered, only larger):
 * <ul>
 *   <li>membership's view holds exactly one live member at that address, in the life (epoch) the uid
 *       was learnt in: a member that restarted, moved, or shares its address is reached by path;</li>
 *   <li>no message from a later life has come from that address: it retires the old uids at once,
 *       before the view catches up;</li>
 *   <li>the peer's messages of that role still carry that uid.</li>
 * </ul>
 *
 * <p>Shared by the node's actors: the actor that receives a role's messages learns, the one that
 * sends them (the gossiper sends the failure detector's pings) uses. Pekko-free, and thread-safe;
 * a race between learning and a view change can only make a sender fall back to the path.
 */
final class PeerUids {
    private static final Logger log = LoggerFactory.getLogger(PeerUids.class);
    /** Beyond this many peers per role, no more uids are learnt; those peers are reached by path. */
    static final int LEARNT_MAX = 16_384;

    private record Learnt(long epoch, int uid) {
    }

    /** Address to the live members there (name to epoch), as membership's view holds them; never empty. */
    private final ConcurrentHashMap<Address, Map<String, Long>> lives = new ConcurrentHashMap<>();
    /** Address to the latest epoch any message from there carried, for addresses with live members. */
    private final ConcurrentHashMap<Address, Long> latestHeard = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Address, Learnt>[] learnt;
    /** This node's actor per role; 0 until the guardian has spawned it. */
    private final AtomicIntegerArray own = new AtomicIntegerArray(Role.values().length);
    private volatile boolean warnedFull;

    @SuppressWarnings("unchecked")
    PeerUids() {
        learnt = new ConcurrentHashMap[Role.values().length];
        for (int i = 0; i < learnt.length; i++) {
            learnt[i] = new ConcurrentHashMap<>();
        }
    }

    /** Membership replaced {@code previous} (null if new) by {@code m} in its view. */
    void viewChanged(Member m, Member previous) {
        if (previous != null && !previous.address().equals(m.address())) {
            update(previous.address(), previous.name(), null);
        }
        // One atomic update per address: a change of tags must not drop the uids for a moment.
        update(m.address(), m.name(), m.status().isLive() ? m.epoch() : null);
    }

    /** Membership starts again from an empty view: forget everything learnt, and learn it again. */
    void clear() {
        lives.clear();
        latestHeard.clear();
        for (ConcurrentHashMap<Address, Learnt> byAddress : learnt) {
            byAddress.clear();
        }
    }

    private void update(Address address, String name, Long epoch) {
        Map<String, Long> after = lives.compute(address, (a, before) -> {
            Map<String, Long> next = before == null ? new HashMap<>() : new HashMap<>(before);
            if (epoch == null) {
                next.remove(name);
            } else {
                next.put(name, epoch);
            }
            return next.isEmpty() ? null : Map.copyOf(next);
        });
        if (after == null) {
            latestHeard.remove(address);
            for (ConcurrentHashMap<Address, Learnt> byAddress : learnt) {
                byAddress.remove(address);
            }
        } else if (epoch == null) {
            // What the gone member said no longer holds back those left (another name, another clock).
            latestHeard.put(address, java.util.Collections.max(after.values()));
        }
    }

    /** Whether a live member (alive or suspect) of this node's view is at {@code address}. */
    boolean liveMemberAt(Address address) {
        return lives.containsKey(address);
    }

    /** The epoch of the one live member at {@code address}, or null if there is none or more than one. */
    private Long soleLife(Address address) {
        Map<String, Long> here = lives.get(address);
        return here == null || here.size() != 1 ? null : here.values().iterator().next();
    }

    /**
     * A message of {@code role} came from the actor {@code uid} (0: unknown) of the peer at
     * {@code from}, in its life {@code epoch}.
     */
    void heard(Role role, Address from, long epoch, int uid) {
        if (!lives.containsKey(from)) {
            return; // not a member (yet): reached by path, and nothing kept
        }
        long latest = latestHeard.merge(from, epoch, Math::max);
        ConcurrentHashMap<Address, Learnt> byAddress = learnt[role.ordinal()];
        Learnt known = byAddress.get(from);
        if (known != null && uid != 0 && known.uid() != uid && epoch >= known.epoch()) {
            byAddress.remove(from, known); // another actor answers there now
            known = null;
        }
        Long life = soleLife(from);
        if (uid == 0 || life == null || life != epoch || epoch < latest) {
            return;
        }
        if (known != null && known.epoch() == epoch && known.uid() == uid) {
            return;
        }
        if (known == null && byAddress.size() >= LEARNT_MAX) {
            if (!warnedFull) {
                warnedFull = true;
                log.warn("more than {} peers per role: further peers are reached by path, uncompressed", LEARNT_MAX);
            }
            return;
        }
        byAddress.put(from, new Learnt(epoch, uid));
    }

    /** The uid to send a message of {@code role} to at {@code to}, or 0 to send by path. */
    int uidFor(Role role, Address to) {
        Learnt known = learnt[role.ordinal()].get(to);
        return known != null && valid(to, known) ? known.uid() : 0;
    }

    private boolean valid(Address address, Learnt known) {
        Long life = soleLife(address);
        Long latest = latestHeard.get(address);
        return life != null && life == known.epoch() && (latest == null || latest <= known.epoch());
    }

    /** How many peers messages of {@code role} now go to by uid. */
    int known(Role role) {
        int n = 0;
        for (Map.Entry<Address, Learnt> e : learnt[role.ordinal()].entrySet()) {
            if (valid(e.getKey(), e.getValue())) {
                n++;
            }
        }
        return n;
    }

    /** The guardian spawned this node's actor for {@code role}. */
    void own(Role role, int uid) {
        own.set(role.ordinal(), uid);
    }

    /** This node's actor for {@code role}, or 0 if not known yet. */
    int own(Role role) {
        return own.get(role.ordinal());
    }
}
