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
 * Sends protocol messages to the peer actor of the same role on another node, over Artery. Peers are
 * reached by path, without a uid, so a restarted peer on the same endpoint is reached too; resolved
 * references are cached per endpoint and role. Never uses remote DeathWatch: when it fires, Artery
 * quarantines the peer for good, and Grapevine owns liveness anyway.
 *
 * <p>One router per actor (not shared): actors are single-threaded, so the cache needs no locking.
 */
final class PeerRouter {
    /** Where a node's actors live: {@code /system/grapevine/<role>}. */
    static final String GUARDIAN_PATH = "/system/grapevine";
    /** Cached endpoints; beyond it the cache is cleared, and references are resolved again. */
    private static final int CACHE_MAX = 16_384;

    private final ActorRefResolver resolver;
    private final String systemName;
    private final Address self;
    private final Map<Address, ActorRef<PeerMessage>>[] byRole;

    @SuppressWarnings("unchecked")
    PeerRouter(ActorSystem<?> system, Address self) {
        this.resolver = ActorRefResolver.get(system);
        this.systemName = system.name();
        this.self = self;
        this.byRole = new Map[Role.values().length];
        for (int i = 0; i < byRole.length; i++) {
            byRole[i] = new HashMap<>();
        }
    }

    void send(Address to, Message message) {
        Map<Address, ActorRef<PeerMessage>> cache = byRole[Role.of(message).ordinal()];
        ActorRef<PeerMessage> peer = cache.get(to);
        if (peer == null) {
            if (cache.size() >= CACHE_MAX) {
                cache.clear();
            }
            peer = resolver.resolveActorRef(path(systemName, to, Role.of(message)));
            cache.put(to, peer);
        }
        peer.tell(new PeerMessage(self, message));
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
