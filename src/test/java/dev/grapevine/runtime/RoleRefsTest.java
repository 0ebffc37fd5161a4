package dev.grapevine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.node.Role;
import dev.grapevine.core.node.Signal;
import dev.grapevine.core.wire.Message;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Signals between the role actors of one node go straight to the sibling's mailbox once the guardian bound them. */
class RoleRefsTest {
    private static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void untilBoundNothingIsSentAndTheCallerGoesThroughTheGuardianThenEachRoleGetsItsOwn() {
        RoleRefs refs = new RoleRefs();
        Signal heard = new Signal.Heard(List.of());
        assertFalse(refs.tell(Role.MEMBERSHIP, heard), "not bound yet");

        TestProbe<MembershipActor.Command> membership = KIT.createTestProbe();
        TestProbe<ReplicaActor.Command> failureDetector = KIT.createTestProbe();
        TestProbe<ReplicaActor.Command> gossiper = KIT.createTestProbe();
        refs.bind(membership.getRef(), failureDetector.getRef(), gossiper.getRef());

        Signal ack = new Signal.Outbound(new Address("10.0.0.2", 7946), new Message.Ack(1, List.of()));
        Signal changed = new Signal.ViewChanged(Member.alive("b", new Address("10.0.0.2", 7946), 1, 0, Map.of()), "b");
        assertTrue(refs.tell(Role.GOSSIPER, ack));
        assertTrue(refs.tell(Role.MEMBERSHIP, heard));
        assertTrue(refs.tell(Role.FAILURE_DETECTOR, changed));
        assertEquals(new ReplicaActor.FromSibling(ack), gossiper.receiveMessage());
        assertEquals(new MembershipActor.FromSibling(heard), membership.receiveMessage());
        assertEquals(new ReplicaActor.FromSibling(changed), failureDetector.receiveMessage());
    }
}
