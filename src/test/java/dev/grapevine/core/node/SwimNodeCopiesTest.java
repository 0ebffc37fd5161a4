package dev.grapevine.core.node;

import static dev.grapevine.core.node.NodeHarness.fire;
import static dev.grapevine.core.node.NodeHarness.onlySchedule;
import static dev.grapevine.core.node.NodeHarness.sendsOf;
import static dev.grapevine.core.node.NodeHarness.step;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grapevine.core.config.Profile;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.wire.Message;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** With one copy per member, as on a node, a broadcast goes to each member once and is then retired. */
class SwimNodeCopiesTest {

    @Test
    void aTagChangeGoesToEachOtherMemberOnceThenLeavesTheQueue() {
        NodeHarness h = new NodeHarness(Profile.LAN.settings().toBuilder().gossipCopiesMax(1).build());
        SwimNode a = h.node("A", 7, "B", "C", "D", "E");
        List<Effect> fx = step(out -> a.updateTags(Map.of("role", "db"), 1_000, out));

        List<Address> targets = new java.util.ArrayList<>();
        sendsOf(fx, Message.Gossip.class).forEach(s -> targets.add(s.to()));
        for (int round = 0; round < 20 && a.broadcastsQueued() > 0; round++) {
            Effect.Schedule tick = onlySchedule(fx, Timer.Kind.GOSSIP_TICK);
            fx = fire(a, tick.timer(), tick.atMillis());
            sendsOf(fx, Message.Gossip.class).forEach(s -> targets.add(s.to()));
        }

        Set<Address> distinct = new HashSet<>(targets);
        assertAll(
                () -> assertEquals(4, targets.size(), "one copy to each of B, C, D and E: " + targets),
                () -> assertEquals(4, distinct.size(), targets.toString()),
                () -> assertTrue(a.broadcastsQueued() == 0, "retired once every member was sent it"));
    }
}
