package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A join request is answered once all its addresses answered, or at its deadline with those that did; bounded. */
class JoinWaitsTest {
    private static final ActorTestKit kit = ActorTestKit.create();
    private static final Address A = new Address("a", 1);
    private static final Address B = new Address("b", 2);

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void answeredAsSoonAsEveryAddressAnswered() {
        JoinWaits waits = new JoinWaits();
        TestProbe<MembershipActor.Joined> probe = kit.createTestProbe();
        waits.add(List.of(A, B), probe.getRef());

        waits.answered(A);
        probe.expectNoMessage(Duration.ofMillis(50));
        waits.answered(B);

        assertEquals(new MembershipActor.Joined(List.of(A, B), List.of(), false), probe.receiveMessage());
    }

    @Test
    void theDeadlineAnswersWithThoseThatDid() {
        JoinWaits waits = new JoinWaits();
        TestProbe<MembershipActor.Joined> probe = kit.createTestProbe();
        long id = waits.add(List.of(A, B), probe.getRef());
        waits.answered(B);

        waits.deadline(id);
        waits.deadline(id); // a second time: nothing more

        assertEquals(new MembershipActor.Joined(List.of(B), List.of(A), false), probe.receiveMessage());
        probe.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void pastTheBoundARequestIsAnsweredAtOnceAndCounted() {
        JoinWaits waits = new JoinWaits();
        TestProbe<MembershipActor.Joined> probe = kit.createTestProbe();
        for (int i = 0; i < JoinWaits.WAITING_MAX; i++) {
            waits.add(List.of(A), probe.getRef());
        }

        assertEquals(-1, waits.add(List.of(B), probe.getRef()));

        assertEquals(new MembershipActor.Joined(List.of(), List.of(B), false), probe.receiveMessage());
        assertEquals(1, waits.refused());
    }
}
