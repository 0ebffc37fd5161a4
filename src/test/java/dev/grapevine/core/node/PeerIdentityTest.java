package dev.grapevine.core.node;

import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.wire.Message;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.grapevine.core.node.PeerIdentity.Verdict.ACCEPT;
import static dev.grapevine.core.node.PeerIdentity.Verdict.REVOKED;
import static dev.grapevine.core.node.PeerIdentity.Verdict.WRONG_NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PeerIdentityTest {
    private static final Address FROM = new Address("10.0.0.9", 7946);
    private static final Address OTHER = new Address("10.0.0.3", 7946);

    private static Member alive(String name, Address at) {
        return Member.alive(name, at, 1, 0, Map.of());
    }

    @Test
    void aJoinClaimingAnotherNameThanTheCertificateIsRefused() {
        Message join = new Message.PushPull(true, false, 0, List.of(alive("n3", FROM)));
        assertEquals(WRONG_NAME, PeerIdentity.judge(FROM, join, Optional.of("mallory"), false));
        assertEquals(ACCEPT, PeerIdentity.judge(FROM, join, Optional.of("n3"), false));
        assertEquals("n3", PeerIdentity.otherClaim(FROM, join, "mallory"));
    }

    @Test
    void newsAboutOthersIsNotAClaim() {
        // A relayed alive rumor of another member at another address, and an accusation with its accuser.
        Message gossip = new Message.Gossip(List.of(new Rumor.MemberRumor(alive("n3", OTHER), "n3"),
                new Rumor.MemberRumor(alive("n4", FROM), "mallory")));
        assertEquals(ACCEPT, PeerIdentity.judge(FROM, gossip, Optional.of("mallory"), false));
        Message selfAsserted = new Message.Ping(1, "n1", List.of(new Rumor.MemberRumor(alive("n3", FROM), "n3")));
        assertEquals(WRONG_NAME, PeerIdentity.judge(FROM, selfAsserted, Optional.of("mallory"), false));
    }

    @Test
    void aRevokedSenderIsRefusedWhateverItSays() {
        assertEquals(REVOKED, PeerIdentity.judge(FROM, new Message.Nack(1), Optional.of("n3"), true));
    }

    @Test
    void anAddressWithNoCertificateYetIsAcceptedForTheFirstSendToCheck() {
        Message join = new Message.PushPull(true, false, 0, List.of(alive("n3", FROM)));
        assertEquals(ACCEPT, PeerIdentity.judge(FROM, join, Optional.empty(), false));
    }
}
