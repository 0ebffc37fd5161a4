package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.node.PeerIdentity;
import dev.grapevine.log.CountedWarnings;
import dev.grapevine.log.GrapevineLogs;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What mutual TLS established about the peers of one actor system, for the node's identity checks.
 *
 * <p>Why it is kept per Artery address, learnt on this node's outbound connections: Artery opens
 * one outbound TCP connection per peer in each direction, and Pekko tells an {@code SSLEngineProvider}
 * the peer's host and port only when this node connects out (the server side learns the bind address
 * of its own socket, not the client's). So the certificate a peer shows when this node connects to its
 * address binds that address to a node name. Artery answers a new peer's handshake over such an
 * outbound connection before the peer's first message is delivered, so the binding is normally known
 * by then. With it, {@link PeerIdentity} drops messages whose sender claims another name, and a
 * connection to an address the view gives to member N fails unless the certificate names N. Several
 * nodes on one host are told apart by port.
 *
 * <p>Bounded: at most {@link #ADDRESSES_MAX} addresses are remembered in each map, least recently
 * learnt first out (a member's is learnt again on the next connection).
 */
final class TlsPeers implements Extension {
    static final int ADDRESSES_MAX = 4096;
    static final long WARN_WINDOW_MILLIS = 60_000;

    /** The certificate seen at an address: the node it names and its serial number. */
    record Certified(String name, BigInteger serial) {
    }

    /** Reasons a handshake or a message is refused, each its own counter. */
    enum Refusal {
        UNTRUSTED_CA("tls_refused_untrusted_ca", "TLS handshakes refused", "the peer's certificate is not signed by this node's CA"),
        WRONG_NAME("tls_refused_wrong_name", "TLS handshakes refused",
                "the peer's certificate names another node than the one this node's view puts at its address"),
        REVOKED("tls_refused_revoked", "TLS handshakes refused", "the peer's certificate is on the deny list"),
        IDENTITY("identity_refused", "peer messages dropped",
                "the sender claims a name its certificate does not carry, or its certificate was revoked");

        final String counter;
        final String what;
        final String why;

        Refusal(String counter, String what, String why) {
            this.counter = counter;
            this.what = what;
            this.why = why;
        }
    }

    private static final Id ID = new Id();

    private final Map<Address, Certified> certified = lru();
    private final Map<Address, String> expected = lru();
    private final Map<Refusal, AtomicLong> refused = new ConcurrentHashMap<>();
    private final long originNanos = System.nanoTime();
    private volatile boolean enabled;
    private volatile DenyList denyList = DenyList.none();
    private volatile CountedWarnings warnings =
            new CountedWarnings(LoggerFactory.getLogger(GrapevineLogs.NODE), "", WARN_WINDOW_MILLIS, this::nowMillis);

    public static TlsPeers get(org.apache.pekko.actor.ActorSystem system) {
        return ID.get(system);
    }

    public static TlsPeers get(org.apache.pekko.actor.typed.ActorSystem<?> system) {
        return ID.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system));
    }

    /** Turned on by the TLS transport's engine provider, with the deny list it reads. */
    void enable(DenyList deny) {
        this.denyList = deny;
        this.enabled = true;
    }

    boolean enabled() {
        return enabled;
    }

    /** The node's name, for the MDC of its warnings. */
    void nodeName(String name) {
        warnings = new CountedWarnings(LoggerFactory.getLogger(GrapevineLogs.NODE), name, WARN_WINDOW_MILLIS, this::nowMillis);
    }

    /**
     * A member changed in the view: a live member is expected at its address; a dead or left one (or
     * one that moved) no longer is, so that a new node may take its address under another name.
     */
    void viewChanged(dev.grapevine.core.member.Member member, dev.grapevine.core.member.Member previous) {
        synchronized (expected) {
            if (previous != null && !previous.address().equals(member.address())) {
                expected.remove(previous.address(), previous.name());
            }
            if (member.status().isLive()) {
                expected.put(member.address(), member.name());
            } else {
                expected.remove(member.address(), member.name());
            }
        }
        if (previous != null && !previous.address().equals(member.address())) {
            forgetCertificate(previous.address(), previous.name());
        }
        if (!member.status().isLive()) {
            forgetCertificate(member.address(), member.name());
        }
    }

    /**
     * A member gone from an address (dead, left, moved) no longer vouches for it: a new node that takes
     * the address later (a rescheduled pod's IP:port) is judged by its own certificate once dialled,
     * not refused under the old one's name. A revoked certificate is kept, so that its holder stays
     * refused on connections still open.
     */
    private void forgetCertificate(Address address, String name) {
        synchronized (certified) {
            Certified c = certified.get(address);
            if (c != null && c.name().equals(name) && !denyList.denies(c.name(), c.serial())) {
                certified.remove(address);
            }
        }
    }

    Optional<String> expectedAt(Address address) {
        synchronized (expected) {
            return Optional.ofNullable(expected.get(address));
        }
    }

    void certified(Address address, String name, BigInteger serial) {
        synchronized (certified) {
            certified.remove(address); // re-insert: most recently learnt last
            certified.put(address, new Certified(name, serial));
        }
    }

    public Optional<Certified> certifiedAt(Address address) {
        synchronized (certified) {
            return Optional.ofNullable(certified.get(address));
        }
    }

    /** Whether a certificate is denied now (the deny file is read again when due). */
    boolean denied(String name, BigInteger serial) {
        String problem = denyList.refresh(nowMillis());
        if (problem != null) {
            warnings.count("tls_deny_file", 1, "deny file reads failed", null, problem);
        }
        return denyList.denies(name, serial);
    }

    /** Whether the runtime should hand {@code m} to its role actor; counts and logs a refusal. */
    boolean admit(PeerMessage m) {
        if (!enabled) {
            return true;
        }
        Optional<Certified> cert = certifiedAt(m.from());
        boolean revoked = cert.isPresent() && denied(cert.get().name(), cert.get().serial());
        PeerIdentity.Verdict v = PeerIdentity.judge(m.from(), m.message(), cert.map(Certified::name), revoked);
        if (v == PeerIdentity.Verdict.ACCEPT) {
            return true;
        }
        String detail = m.message().getClass().getSimpleName() + " from " + m.from() + (v == PeerIdentity.Verdict.REVOKED
                ? ", whose certificate (node " + cert.get().name() + ") is revoked"
                : " claiming node " + PeerIdentity.otherClaim(m.from(), m.message(), cert.get().name())
                + " with a certificate for node " + cert.get().name());
        refuse(Refusal.IDENTITY, detail);
        return false;
    }

    void refuse(Refusal reason, String detail) {
        refused.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        warnings.count(reason.counter, 1, reason.what, reason.why, detail);
    }

    /** The refusal counters, every one of them once TLS is on (0 until the first). */
    Map<String, Long> figures() {
        Map<String, Long> f = new LinkedHashMap<>();
        if (enabled) {
            for (Refusal r : Refusal.values()) {
                AtomicLong n = refused.get(r);
                f.put(r.counter, n == null ? 0L : n.get());
            }
        }
        return f;
    }

    /** Writes the summary lines of refusals held back by the rate limit. */
    void flushWarnings() {
        warnings.flush();
    }

    private long nowMillis() {
        return (System.nanoTime() - originNanos) / 1_000_000;
    }

    private static <V> Map<Address, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Address, V> eldest) {
                return size() > ADDRESSES_MAX;
            }
        };
    }

    private static final class Id extends AbstractExtensionId<TlsPeers> {
        @Override
        public TlsPeers createExtension(ExtendedActorSystem system) {
            return new TlsPeers();
        }
    }
}
