package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.node.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The actor uids of this node's peers, learnt from their messages, so that the node can send to
 * {@code path#uid} rather than to the bare path. Artery compresses a recipient only when the sender's
 * reference carries the uid of the actor the receiver advertised: a bare path costs about 70 bytes in
 * every envelope, a compressed one a few.
 *
 * <p>A uid is valid for one life of a peer. Pekko drops a message whose uid does not match the actor
 * at that path, so a uid is only used while membership's view holds, at that address, the same epoch
 * the uid was learnt with. A peer that starts a new life is reached by path again until it speaks.
 *
 * <p>Shared by the node's actors: the actor that receives a role's messages learns, the one that
 * sends them (the gossiper sends the failure detector's pings) uses. Pekko-free, and thread-safe.
 */
final class PeerUids {
    private static final Logger log = LoggerFactory.getLogger(PeerUids.class);
    /** Beyond this many peers per role, no more uids are learnt; those peers are reached by path. */
    static final int LEARNT_MAX = 16_384;

    private record Learnt(long epoch, int uid) {
    }

    /** Address to the epoch of the live member there, as membership's view holds it. */
    private final ConcurrentHashMap<Address, Long> lives = new ConcurrentHashMap<>();
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

    /**
     * Membership changed a member from {@code previous} (null if new) to {@code m}: a live member's
     * epoch is current at its address; a gone one's, or one at the address it moved from, no longer.
     */
    void viewChanged(Member m, Member previous) {
        if (previous != null && !previous.address().equals(m.address())) {
            forget(previous.address(), previous.epoch());
        }
        if (m.status().isLive()) {
            lives.put(m.address(), m.epoch());
        } else {
            forget(m.address(), m.epoch());
        }
    }

    private void forget(Address address, long epoch) {
        if (lives.remove(address, epoch)) {
            for (ConcurrentHashMap<Address, Learnt> byAddress : learnt) {
                byAddress.computeIfPresent(address, (a, l) -> l.epoch() == epoch ? null : l);
            }
        }
    }

    /**
     * A message of {@code role} came from the actor {@code uid} (0: unknown) of the peer at
     * {@code from}, in its life {@code epoch}. Learnt only while the view holds that life there: a
     * late message from an earlier life must not overwrite a later one's uid. A message from a later
     * life than the view holds stops the use of the earlier life's uids at once, before the view
     * catches up: Pekko would drop what is sent to them.
     */
    void heard(Role role, Address from, long epoch, int uid) {
        Long current = lives.get(from);
        if (current == null) {
            return;
        }
        if (epoch > current) {
            for (ConcurrentHashMap<Address, Learnt> byAddress : learnt) {
                byAddress.computeIfPresent(from, (a, l) -> l.epoch() < epoch ? null : l);
            }
            return;
        }
        if (uid == 0 || epoch != current) {
            return;
        }
        ConcurrentHashMap<Address, Learnt> byAddress = learnt[role.ordinal()];
        Learnt known = byAddress.get(from);
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

    /** How many peers messages of {@code role} now go to by uid. */
    int known(Role role) {
        int n = 0;
        for (var e : learnt[role.ordinal()].entrySet()) {
            Long current = lives.get(e.getKey());
            if (current != null && current == e.getValue().epoch()) {
                n++;
            }
        }
        return n;
    }

    /** The uid to send a message of {@code role} to at {@code to}, or 0 to send by path. */
    int uidFor(Role role, Address to) {
        Learnt known = learnt[role.ordinal()].get(to);
        if (known == null) {
            return 0;
        }
        Long current = lives.get(to);
        return current != null && current == known.epoch() ? known.uid() : 0;
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
