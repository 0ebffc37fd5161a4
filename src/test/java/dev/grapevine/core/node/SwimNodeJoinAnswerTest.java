package dev.grapevine.core.node;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.wire.Message;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.grapevine.core.node.NodeHarness.addressOf;
import static dev.grapevine.core.node.NodeHarness.onlySend;
import static dev.grapevine.core.node.NodeHarness.receive;
import static dev.grapevine.core.node.NodeHarness.sends;
import static dev.grapevine.core.node.NodeHarness.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A join learns which of the nodes it asked answered; a node that left asks nobody. Also the load tag. */
class SwimNodeJoinAnswerTest {
    private final NodeHarness h = new NodeHarness();

    private static List<Address> answered(List<Effect> fx) {
        return fx.stream().filter(Effect.JoinAnswered.class::isInstance).map(e -> ((Effect.JoinAnswered) e).from()).toList();
    }

    @Test
    void aSeedsViewAnswersTheJoin() {
        SwimNode seed = h.node("S", 1);
        SwimNode joiner = h.node("J", 2);
        Effect.Send ask = NodeHarness.sendsOf(step(out -> joiner.join(List.of(addressOf("S"), addressOf("Gone")), 100, out)),
                Message.PushPull.class).stream().filter(x -> x.to().equals(addressOf("S"))).findFirst().orElseThrow();
        Effect.Send reply = onlySend(receive(seed, "J", ask.message(), 110), Message.PushPull.class);

        List<Effect> fx = receive(joiner, "S", reply.message(), 120);

        assertEquals(List.of(addressOf("S")), answered(fx));
    }

    @Test
    void aViewFromANodeNotAskedIsNoAnswer() {
        SwimNode asker = h.node("O", 1);
        SwimNode j = h.node("J", 2);
        SwimNode k = h.node("K", 3);
        step(out -> k.join(List.of(addressOf("S")), 100, out));
        Effect.Send request = onlySend(step(out -> asker.join(List.of(addressOf("J")), 100, out)), Message.PushPull.class);

        List<Effect> atJ = receive(j, "O", request.message(), 110);
        Effect.Send reply = onlySend(atJ, Message.PushPull.class);

        assertTrue(answered(atJ).isEmpty(), "a request is not an answer");
        assertTrue(answered(receive(k, "J", reply.message(), 120)).isEmpty(), "K asked S, not J");
        assertEquals(List.of(addressOf("J")), answered(receive(asker, "J", reply.message(), 120)), "O asked J");
    }

    @Test
    void aNodeThatLeftAsksNobody() {
        SwimNode n = h.node("N", 1, "A");
        step(out -> n.leave(10, out));

        List<Effect> fx = step(out -> n.join(List.of(addressOf("S")), 100, out));

        assertTrue(sends(fx).stream().noneMatch(s -> s.to().equals(addressOf("S"))), fx.toString());
    }

    @Test
    void theLoadTravelsAsAReservedTagUnderANewIncarnation() {
        SwimNode n = h.node("N", 1);
        long before = n.self().incarnation();

        step(out -> n.publishLoad(2000, 4096, 1_000, out));

        assertEquals("2000,4096", n.self().tags().get(LoadTag.KEY));
        assertEquals(before + 1, n.self().incarnation());
        step(out -> n.updateTags(java.util.Map.of("role", "web"), 2_000, out));
        assertEquals("2000,4096", n.self().tags().get(LoadTag.KEY), "a user's tags keep the node's own");
        step(out -> n.publishLoad(4000, 8192, 2_000, out));
        assertEquals("2000,4096", n.self().tags().get(LoadTag.KEY), "not again within 30 s");
    }
}
