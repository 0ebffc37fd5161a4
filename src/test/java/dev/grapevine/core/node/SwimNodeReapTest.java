package dev.grapevine.core.node;

import dev.grapevine.core.config.Profile;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.grapevine.core.node.NodeHarness.addressOf;
import static dev.grapevine.core.node.NodeHarness.alive;
import static dev.grapevine.core.node.NodeHarness.fire;
import static dev.grapevine.core.node.NodeHarness.gossip;
import static dev.grapevine.core.node.NodeHarness.published;
import static dev.grapevine.core.node.NodeHarness.receive;
import static dev.grapevine.core.node.NodeHarness.rumor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Members that left are reaped after reap-left-after; dead ones never are; stale news cannot revive them. */
class SwimNodeReapTest {
    private static final Duration REAP_AFTER = Duration.ofMinutes(10);
    private final NodeHarness h = new NodeHarness(Profile.LAN.settings().toBuilder().reapLeftAfter(REAP_AFTER).build());
    private final SwimNode a = h.node("A", 41, "B", "C", "D");

    private List<MemberEvent> reconnectTick(long nowMillis) {
        return published(fire(a, Timer.RECONNECT_TICK, nowMillis));
    }

    @Test
    void aMemberThatLeftIsReapedOnlyAfterTheTimeout() {
        Member bLeft = alive("B").withStatus(MemberStatus.LEFT);
        receive(a, "C", gossip(rumor(bLeft, "B")), 1_000);
        assertEquals(MemberStatus.LEFT, a.member("B").status());

        assertEquals(List.of(), reconnectTick(1_000 + REAP_AFTER.toMillis() - 1), "too early");
        List<MemberEvent> events = reconnectTick(1_000 + REAP_AFTER.toMillis());
        assertEquals(1, events.size());
        assertEquals(MemberEvent.Kind.REAPED, events.get(0).kind());
        assertEquals(bLeft, events.get(0).member());
        assertNull(a.member("B"), "reaped from the view");
        assertEquals(3, a.knownCount());
    }

    @Test
    void staleNewsOfAReapedMemberDoesNotBringItBack() {
        receive(a, "C", gossip(rumor(alive("B").withStatus(MemberStatus.LEFT), "B")), 0);
        reconnectTick(REAP_AFTER.toMillis());
        receive(a, "D", gossip(rumor(alive("B"), "B"), rumor(alive("B").withStatus(MemberStatus.LEFT), "B")), REAP_AFTER.toMillis() + 5);
        assertNull(a.member("B"), "an old alive or the same left must not revive it");
    }

    @Test
    void aReapedMemberThatStartsAgainIsWelcomedBack() {
        receive(a, "C", gossip(rumor(alive("B").withStatus(MemberStatus.LEFT), "B")), 0);
        reconnectTick(REAP_AFTER.toMillis());
        Member reborn = Member.alive("B", addressOf("B"), 2, 0, Map.of());
        List<MemberEvent> events = published(receive(a, "B", gossip(rumor(reborn, "B")), REAP_AFTER.toMillis() + 5));
        assertEquals(reborn, a.member("B"));
        assertTrue(events.stream().anyMatch(e -> e.kind() == MemberEvent.Kind.JOINED), events.toString());
    }

    @Test
    void deadMembersAreNeverReaped() {
        receive(a, "C", gossip(rumor(alive("B").withStatus(MemberStatus.DEAD), "C")), 0);
        assertEquals(List.of(), reconnectTick(REAP_AFTER.toMillis() * 100));
        assertEquals(MemberStatus.DEAD, a.member("B").status(), "kept: reconnects go to it, so partitions heal");
    }

    @Test
    void deadMembersBeyondTheBoundAreReapedOldestFirstAndCounted() {
        int over = 3;
        for (int i = 0; i < Tombstones.DEAD_MEMBERS_MIN + over; i++) {
            Member dead = Member.alive("gone-" + i, addressOf("gone-" + i), 1, 0, Map.of()).withStatus(MemberStatus.DEAD);
            receive(a, "C", new dev.grapevine.core.wire.Message.PushPull(false, true, 0, List.of(alive("C"), dead)), i);
        }
        List<MemberEvent> events = reconnectTick(100_000);
        assertEquals(over, events.stream().filter(e -> e.kind() == MemberEvent.Kind.REAPED).count());
        assertNull(a.member("gone-0"), "the longest-dead go first");
        assertEquals(MemberStatus.DEAD, a.member("gone-" + (Tombstones.DEAD_MEMBERS_MIN + over - 1)).status());
        assertEquals((long) over, a.metrics().get("dead_reaped_over_bound"));
    }
}
