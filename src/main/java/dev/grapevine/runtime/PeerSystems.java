package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.node.SystemNameTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The actor system name each peer runs under, which Artery needs in every address
 * ({@code pekko://<system>@host:port}) and which a peer's {@code host:port} does not say. Which name
 * holds for an endpoint, most trusted first:
 * <ol>
 *   <li>the {@link SystemNameTag} of the member membership's view holds there (any status: the dead
 *       are probed for reconnects too). Membership's merge rule decides which record holds, so a
 *       stranger's frame can never change the name of a known member;</li>
 *   <li>the name a configured seed gives ({@code name@host:port});</li>
 *   <li>the name in the header of the last frame from that endpoint that passed the cluster guard
 *       and TLS admission: how a node answers a joiner, or the probes of a member, before the
 *       member's record reached its view;</li>
 *   <li>the default, {@link SystemNameTag#DEFAULT}.</li>
 * </ol>
 *
 * <p>Shared by the node's actors (membership learns, every actor's router reads). Thread-safe; both
 * maps are bounded, and past the bound they stop learning (members) or start over (frames), which
 * only makes a send fall back to the default name.
 */
final class PeerSystems {
    private static final Logger log = LoggerFactory.getLogger(PeerSystems.class);
    /** Endpoints whose member record names a system; beyond it, further members get the default guess. */
    static final int MEMBERS_MAX = 16_384;
    /** Endpoints learnt from frames only; beyond it the map is cleared and learnt again. */
    static final int HEARD_MAX = 4_096;

    /** The system name of a member (by its name), at its endpoint. */
    private record Named(String member, String system) {
    }

    private final String own;
    private final String fallback;
    private final Map<Address, String> seeds;
    private final ConcurrentHashMap<Address, Named> members = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Address, String> heard = new ConcurrentHashMap<>();
    private volatile boolean warnedFull;
    private volatile long heardResets;

    /**
     * @param own      this node's actor system's name, which every frame it sends carries
     * @param fallback the name to assume where nothing else names one
     * @param seeds    the names configured seeds give
     */
    PeerSystems(String own, String fallback, Map<Address, String> seeds) {
        this.own = own;
        this.fallback = fallback;
        this.seeds = Map.copyOf(seeds);
    }

    /** This node's system name. */
    String own() {
        return own;
    }

    /** The system name to address {@code endpoint} under. */
    String nameFor(Address endpoint) {
        String known = known(endpoint);
        if (known != null) {
            return known;
        }
        String s = heard.get(endpoint);
        return s != null ? s : fallback;
    }

    /**
     * The system name to answer a frame from {@code endpoint} under, whose header said {@code stated}
     * (empty: nothing), without learning it: how a node refuses a node of another cluster, whose frames
     * teach it nothing. A member's or a seed's name still wins.
     */
    String nameForAnswer(Address endpoint, String stated) {
        String known = known(endpoint);
        if (known != null) {
            return known;
        }
        return !stated.isEmpty() && SystemNameTag.valid(stated) ? stated : nameFor(endpoint);
    }

    /** The name a member record or a configured seed gives {@code endpoint}, else null. */
    private String known(Address endpoint) {
        Named m = members.get(endpoint);
        return m != null ? m.system() : seeds.get(endpoint);
    }

    /** Membership replaced {@code previous} (null if new) by {@code m} in its view. */
    void viewChanged(Member m, Member previous) {
        if (previous != null && !previous.address().equals(m.address())) {
            members.computeIfPresent(previous.address(), (a, n) -> n.member().equals(previous.name()) ? null : n);
        }
        String system = SystemNameTag.of(m.tags());
        if (system == null) {
            return; // a record without the tag says nothing: the frames' or the default's guess holds
        }
        if (!members.containsKey(m.address()) && members.size() >= MEMBERS_MAX) {
            if (!warnedFull) {
                warnedFull = true;
                log.warn("more than {} member endpoints: further members are reached under the default system name '{}'",
                        MEMBERS_MAX, fallback);
            }
            return;
        }
        members.put(m.address(), new Named(m.name(), system));
        heard.remove(m.address());
    }

    /**
     * A frame from {@code from} that passed the cluster guard and TLS admission named its sender's
     * system {@code system} (empty: not said). Used only while no member record names one.
     */
    void heard(Address from, String system) {
        if (system.isEmpty() || members.containsKey(from) || system.equals(heard.get(from)) || !SystemNameTag.valid(system)) {
            return;
        }
        if (heard.size() >= HEARD_MAX && !heard.containsKey(from)) {
            heard.clear();
            heardResets++;
            log.warn("frames from more than {} endpoints that are not members: forgot the system names they gave ({} times so far)",
                    HEARD_MAX, heardResets);
        }
        heard.put(from, system);
    }

    /** Membership starts again from an empty view: its records are learnt again. */
    void clear() {
        members.clear();
    }
}
