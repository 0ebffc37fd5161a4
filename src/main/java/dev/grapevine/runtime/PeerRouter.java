package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.node.Role;
import dev.grapevine.core.wire.Message;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends protocol messages to the peer actor of the same role on another node, over Artery. A peer is
 * reached by path, without a uid, until {@link PeerUids} knows the uid of its actor in its current
 * life: then by {@code path#uid}, which Artery compresses to a table index. By path, a restarted peer
 * on the same endpoint is reached too. A peer's actor system may have any name: it is addressed under
 * the name {@link PeerSystems} knows for its endpoint, and every message says this node's own.
 * References are cached per endpoint and role. Never uses remote
 * DeathWatch: when it fires, Artery quarantines the peer for good, and Grapevine owns liveness anyway.
 *
 * <p>One router per actor (not shared): actors are single-threaded, so the cache needs no locking.
 */
final class PeerRouter {
    /** Where a node's actors live: {@code /system/grapevine/<role>}. */
    static final String GUARDIAN_PATH = "/system/grapevine";
    /** Cached endpoints; beyond it the cache is cleared, and references are resolved again. */
    private static final int CACHE_MAX = 16_384;

    /** A peer actor by path under one system name, and by path and uid once that is known. */
    private static final class Peer {
        final String system;
        final ActorRef<PeerMessage> byPath;
        int uid;
        ActorRef<PeerMessage> byUid;

        Peer(String system, ActorRef<PeerMessage> byPath) {
            this.system = system;
            this.byPath = byPath;
        }
    }

    private final ActorRefResolver resolver;
    private final PeerSystems systems;
    private final Address self;
    private final NodeContext node;
    private final Map<Address, Peer>[] byRole;
    private long sentByUid;
    private long sentByPath;

    @SuppressWarnings("unchecked")
    PeerRouter(ActorSystem<?> system, NodeContext node) {
        this.resolver = ActorRefResolver.get(system);
        this.systems = node.peerSystems();
        this.node = node;
        this.self = node.settings().address();
        this.byRole = new Map[Role.values().length];
        for (int i = 0; i < byRole.length; i++) {
            byRole[i] = new HashMap<>();
        }
    }

    void send(Address to, Message message) {
        send(to, message, systems.nameFor(to));
    }

    /**
     * Sends {@code message} to {@code to}, which sent {@code answered}, under the system name that
     * frame stated unless a member's or a seed's name is known (see {@link PeerSystems#nameForAnswer}).
     */
    void answer(Address to, Message message, PeerMessage answered) {
        send(to, message, systems.nameForAnswer(to, answered.fromSystem()));
    }

    private void send(Address to, Message message, String systemName) {
        Role role = Role.of(message);
        PeerUids uids = node.peerUids();
        int uid = uids.uidFor(role, to);
        if (uid == 0) {
            sentByPath++;
        } else {
            sentByUid++;
        }
        target(role, to, uid, systemName).tell(new PeerMessage(self, node.epoch(), uids.own(role), node.settings().cluster().id(), message,
                systems.own()));
    }

    /** Messages this router sent by {@code path#uid} (compressible) and by bare path, for the metrics. */
    void putCounts(Map<String, Long> figures) {
        figures.put("peer_sends_by_uid", sentByUid);
        figures.put("peer_sends_by_path", sentByPath);
    }

    private ActorRef<PeerMessage> target(Role role, Address to, int uid, String systemName) {
        Map<Address, Peer> cache = byRole[role.ordinal()];
        Peer peer = cache.get(to);
        if (peer == null || !peer.system.equals(systemName)) {
            if (peer == null && cache.size() >= CACHE_MAX) {
                cache.clear();
            }
            peer = new Peer(systemName, resolver.resolveActorRef(path(systemName, to, role)));
            cache.put(to, peer);
        }
        if (uid == 0) {
            return peer.byPath;
        }
        if (peer.uid != uid) {
            peer.byUid = resolver.resolveActorRef(path(systemName, to, role) + "#" + uid);
            peer.uid = uid;
        }
        return peer.byUid;
    }

    static String path(String systemName, Address node, Role role) {
        return guardianPath(systemName, node) + "/" + actorName(role);
    }

    /** The node guardian of the node at {@code node}: its children are the node's actors. */
    static String guardianPath(String systemName, Address node) {
        String host = node.host().indexOf(':') >= 0 ? "[" + node.host() + "]" : node.host();
        return "pekko://" + systemName + "@" + host + ":" + node.port() + GUARDIAN_PATH;
    }

    static String actorName(Role role) {
        return role.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
