package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a node remembers of the certificates it saw at its peers' addresses. */
class TlsPeersTest {
    private static final Address AT = new Address("10.0.0.7", 7946);

    @Test
    void aMemberGoneFromItsAddressNoLongerVouchesForItSoANewNodeMayTakeIt() {
        TlsPeers peers = new TlsPeers();
        Member y = Member.alive("y", AT, 1, 0, Map.of());
        peers.viewChanged(y, null);
        peers.certified(AT, "y", BigInteger.ONE);
        assertEquals(Optional.of("y"), peers.certifiedAt(AT).map(TlsPeers.Certified::name));

        peers.viewChanged(y.withStatus(MemberStatus.LEFT), y);

        assertEquals(Optional.empty(), peers.certifiedAt(AT), "a node that takes the address next is not judged as y");
        assertEquals(Optional.empty(), peers.expectedAt(AT));
    }

    @Test
    void aMemberThatMovedLeavesItsOldAddressFree() {
        TlsPeers peers = new TlsPeers();
        Member y = Member.alive("y", AT, 1, 0, Map.of());
        peers.viewChanged(y, null);
        peers.certified(AT, "y", BigInteger.ONE);
        Member moved = Member.alive("y", new Address("10.0.0.8", 7946), 2, 0, Map.of());

        peers.viewChanged(moved, y);

        assertEquals(Optional.empty(), peers.certifiedAt(AT));
    }

    @Test
    void anotherMembersCertificateAtTheAddressIsKept() {
        TlsPeers peers = new TlsPeers();
        peers.certified(AT, "z", BigInteger.TWO);

        peers.viewChanged(Member.alive("y", AT, 1, 0, Map.of()).withStatus(MemberStatus.DEAD), null);

        assertEquals(Optional.of("z"), peers.certifiedAt(AT).map(TlsPeers.Certified::name));
    }
}
