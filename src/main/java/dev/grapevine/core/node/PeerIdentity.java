package dev.grapevine.core.node;

import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.wire.Message;

import java.util.List;
import java.util.Optional;

/**
 * Whether a peer's message may speak for the member it claims to be, given what TLS established about
 * its sender's address. With mutual TLS each node's certificate names it ({@code urn:grapevine:node:NAME});
 * the transport tells the runtime which name the certificate at an address carries (see
 * {@code runtime.TlsPeers}), and this decides.
 *
 * <p>A message claims a name where it carries a member record for its own sender's address: the
 * members of a push-pull (a join among them) and the member rumors it piggybacks. Rumors about other
 * addresses are not claims of the sender: a certified member may relay, or invent, news about others,
 * and SWIM lets their subject refute it.
 *
 * <ul>
 *   <li>{@link Verdict#REVOKED}: the certificate at the sender's address is on the deny list now. Its
 *       connections may predate the revocation; dropping its messages cuts it off, so its peers stop
 *       hearing its acks and declare it dead as they would a crashed node.</li>
 *   <li>{@link Verdict#WRONG_NAME}: the message claims a name other than the certificate's.</li>
 *   <li>{@link Verdict#ACCEPT} otherwise, also while no certificate is known for the address: the
 *       first send there then checks it, expecting the name this node's view puts at that address.</li>
 * </ul>
 */
public final class PeerIdentity {
    public enum Verdict { ACCEPT, WRONG_NAME, REVOKED }

    private PeerIdentity() {
    }

    /**
     * @param certifiedName the node name of the certificate this node saw at {@code from}, if any
     * @param revoked       whether that certificate (name or serial) is denied now
     */
    public static Verdict judge(Address from, Message message, Optional<String> certifiedName, boolean revoked) {
        if (revoked) {
            return Verdict.REVOKED;
        }
        if (certifiedName.isEmpty()) {
            return Verdict.ACCEPT;
        }
        String name = certifiedName.get();
        return claimsOtherThan(from, message, name) ? Verdict.WRONG_NAME : Verdict.ACCEPT;
    }

    /** The name other than {@code name} that {@code message} claims for {@code from}, or null. */
    public static String otherClaim(Address from, Message message, String name) {
        for (Member m : selfRecords(from, message)) {
            if (!m.name().equals(name)) {
                return m.name();
            }
        }
        return null;
    }

    private static boolean claimsOtherThan(Address from, Message message, String name) {
        return otherClaim(from, message, name) != null;
    }

    private static List<Member> selfRecords(Address from, Message message) {
        List<Member> members;
        if (message instanceof Message.PushPull p) {
            // A dead or left record at the same address is an earlier node there, not a claim.
            members = p.members().stream().filter(m -> m.status().isLive()).toList();
        } else if (message instanceof Message.Ping p) {
            members = rumored(p.piggyback());
        } else if (message instanceof Message.Ack a) {
            members = rumored(a.piggyback());
        } else if (message instanceof Message.Gossip g) {
            members = rumored(g.rumors());
        } else {
            return List.of();
        }
        return members.stream().filter(m -> m.address().equals(from)).toList();
    }

    private static List<Member> rumored(List<Rumor> rumors) {
        // Only what a member asserts of itself (alive, left) is a claim; an accusation names its accuser.
        return rumors.stream().filter(r -> r instanceof Rumor.MemberRumor mr && mr.source().equals(mr.member().name()))
                .map(r -> ((Rumor.MemberRumor) r).member()).toList();
    }
}
