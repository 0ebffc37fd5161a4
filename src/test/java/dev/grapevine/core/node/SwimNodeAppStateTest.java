package dev.grapevine.core.node;

import static dev.grapevine.core.node.NodeHarness.addressOf;
import static dev.grapevine.core.node.NodeHarness.fire;
import static dev.grapevine.core.node.NodeHarness.gossip;
import static dev.grapevine.core.node.NodeHarness.onlySend;
import static dev.grapevine.core.node.NodeHarness.receive;
import static dev.grapevine.core.node.NodeHarness.rumorsSent;
import static dev.grapevine.core.node.NodeHarness.sendsOf;
import static dev.grapevine.core.node.NodeHarness.step;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.AppState;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.wire.Message;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Application state: versioned values per (member, key), carried by gossip and push-pull. */
class SwimNodeAppStateTest {
    private final NodeHarness h = new NodeHarness();

    private static Rumor.StateRumor value(String owner, String key, long epoch, long version, String value) {
        return new Rumor.StateRumor(new AppState(owner, key, epoch, version, value.getBytes()));
    }

    private static String valueOf(SwimNode node, String key, String owner) {
        AppState s = node.states(key).get(owner);
        return s == null ? null : new String(s.value());
    }

    @Test
    void aPublishedValueIsGossipedAndEveryNodeReadsTheNewestPerMemberAndKey() {
        SwimNode a = h.node("A", 1, "B");
        SwimNode b = h.node("B", 2, "A");
        step(out -> a.publishState("schema", "v1".getBytes(), 1_000, out));
        assertEquals("v1", valueOf(a, "schema", "A"), "a node reads its own value");

        List<Rumor> gossiped = rumorsSent(fire(a, Timer.GOSSIP_TICK, 1_200));
        assertEquals(List.of(value("A", "schema", 1, 1, "v1")), gossiped);
        receive(b, "A", gossip(gossiped.toArray(Rumor[]::new)), 1_201);
        assertEquals("v1", valueOf(b, "schema", "A"));

        step(out -> a.publishState("schema", "v2".getBytes(), 2_000, out));
        receive(b, "A", gossip(value("A", "schema", 1, 2, "v2")), 2_001);
        receive(b, "A", gossip(value("A", "schema", 1, 1, "v1")), 2_002); // late, older: ignored
        assertAll(
                () -> assertEquals("v2", valueOf(b, "schema", "A")),
                () -> assertEquals(Set.of("A"), b.states("schema").keySet(), "members without a value are absent"),
                () -> assertEquals(Map.of(), b.states("other")));
    }

    @Test
    void aRestartedMembersValuesSupersedeItsEarlierLifesWhateverTheirVersion() {
        SwimNode b = h.node("B", 2, "A");
        receive(b, "A", gossip(value("A", "k", 1, 9, "old")), 1_000);
        Member restarted = Member.alive("A", addressOf("A"), 2, 0, Map.of());
        receive(b, "A", gossip(new Rumor.MemberRumor(restarted, "A"), value("A", "k", 2, 1, "new")), 2_000);
        receive(b, "A", gossip(value("A", "k", 1, 10, "stale life")), 3_000);
        assertAll(
                () -> assertEquals("new", valueOf(b, "k", "A")),
                () -> assertEquals(1L, NodeHarness.counter(b, "app_state_refused"), "the earlier life's value"));
    }

    @Test
    void valuesOfUnknownMembersAreRefusedAndCounted() {
        SwimNode b = h.node("B", 2, "A");
        receive(b, "A", gossip(value("Z", "k", 1, 1, "?")), 1_000);
        assertAll(
                () -> assertEquals(Map.of(), b.states("k")),
                () -> assertEquals(1L, NodeHarness.counter(b, "app_state_refused")));
    }

    @Test
    void pushPullCarriesTheValuesGossipMissedAndTheDigestSeesThem() {
        SwimNode a = h.node("A", 1, "B");
        SwimNode b = h.node("B", 2, "A");
        step(out -> a.publishState("ready", new byte[] {1}, 1_000, out)); // its gossip is lost

        Effect.Send digest = onlySend(fire(a, Timer.PUSH_PULL_TICK, 50_000), Message.ViewDigest.class);
        Effect.Send request = onlySend(receive(b, addressOf("A"), digest.message(), 50_001), Message.PushPull.class);
        Effect.Send reply = onlySend(receive(a, addressOf("B"), request.message(), 50_002), Message.PushPull.class);
        assertEquals(1, ((Message.PushPull) reply.message()).states().size());
        receive(b, addressOf("A"), reply.message(), 50_003);
        assertArrayEquals(new byte[] {1}, b.states("ready").get("A").value());

        Effect.Send again = onlySend(fire(a, Timer.PUSH_PULL_TICK, 80_000), Message.ViewDigest.class);
        assertTrue(sendsOf(receive(b, addressOf("A"), again.message(), 80_001), Message.class).isEmpty(),
                "one exchange made them alike");
    }

    @Test
    void aValueOrAKeyPastTheLimitsIsRefusedNamingTheLimit() {
        SwimNode a = h.node("A", 1, "B");
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                () -> step(out -> a.publishState("k", new byte[AppState.BYTES_MAX], 1_000, out)));
        assertEquals("application state 'k' takes 257 bytes (key plus value); the limit is 256", tooLarge.getMessage());
        for (int i = 0; i < AppState.KEYS_MAX; i++) {
            int k = i;
            step(out -> a.publishState("k" + k, new byte[0], 1_000, out));
        }
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> step(out -> a.publishState("one-more", new byte[0], 1_000, out)));
        assertTrue(tooMany.getMessage().startsWith("this node already publishes 16 application state keys [k0, k1")
                && tooMany.getMessage().endsWith("; the limit is 16"), tooMany.getMessage());
        step(out -> a.publishState("k0", new byte[] {7}, 1_000, out)); // an existing key may change
        assertArrayEquals(new byte[] {7}, a.states("k0").get("A").value());
    }
}
