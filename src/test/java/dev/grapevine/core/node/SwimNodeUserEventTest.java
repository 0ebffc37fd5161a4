package dev.grapevine.core.node;

import static dev.grapevine.core.node.NodeHarness.addressOf;
import static dev.grapevine.core.node.NodeHarness.alive;
import static dev.grapevine.core.node.NodeHarness.delivered;
import static dev.grapevine.core.node.NodeHarness.fire;
import static dev.grapevine.core.node.NodeHarness.gossip;
import static dev.grapevine.core.node.NodeHarness.onlySchedule;
import static dev.grapevine.core.node.NodeHarness.receive;
import static dev.grapevine.core.node.NodeHarness.rumorsSent;
import static dev.grapevine.core.node.NodeHarness.step;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.wire.Message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** User events: local delivery, deduplication, the size limit, the dedup window and the join cut-off. */
class SwimNodeUserEventTest {
    private final NodeHarness h = new NodeHarness();
    private final SwimNode a = h.node("A", 51, "B", "C");

    private static UserEvent event(String origin, long ltime) {
        return new UserEvent(origin, ltime, "deploy", ("v" + ltime).getBytes(StandardCharsets.UTF_8));
    }

    private List<Effect> hear(SwimNode node, UserEvent e, long now) {
        return receive(node, "B", gossip(new Rumor.EventRumor(e)), now);
    }

    @Test
    void emitDeliversLocallyAndQueuesTheEvent() {
        List<UserEvent> returned = new ArrayList<>();
        List<Effect> fx = step(out -> returned.add(a.emit("deploy", new byte[] {1, 2, 3}, 1_000, out)));

        UserEvent e = returned.get(0);
        assertAll(
                () -> assertEquals(List.of(e), delivered(fx)),
                () -> assertEquals("A", e.origin()),
                () -> assertEquals(1, e.ltime()),
                () -> assertEquals(1, a.eventClock()),
                () -> assertEquals(1, a.broadcastsQueued()));

        Effect.Schedule tick = onlySchedule(fx, Timer.Kind.GOSSIP_TICK);
        List<Effect> gossiped = fire(a, tick.timer(), tick.atMillis());
        assertTrue(rumorsSent(gossiped).contains(new Rumor.EventRumor(e)), "the event goes out in gossip");
    }

    @Test
    void newsGoesOutInTheStepThatMadeItNotAtTheNextTick() {
        List<UserEvent> returned = new ArrayList<>();
        List<Effect> fx = step(out -> returned.add(a.emit("deploy", new byte[] {1}, 1_000, out)));

        assertTrue(NodeHarness.sends(fx).stream().anyMatch(s -> s.message() instanceof Message.Event ev && ev.event().equals(returned.get(0))),
                "sent at once");
        assertEquals(1, a.broadcastsQueued(), "and kept for the retransmits at the ticks");
    }

    @Test
    void heardNewsIsForwardedAtOnceButARepeatIsNot() {
        UserEvent e = event("Z", 7); // from a member A does not know: it may not have sent to everyone

        assertTrue(rumorsSent(hear(a, e, 1_000)).contains(new Rumor.EventRumor(e)), "forwarded on first hearing");
        assertTrue(rumorsSent(hear(a, e, 1_500)).isEmpty(), "old news waits for the ticks");
    }

    @Test
    void anEventItsOriginSentToEveryoneWaitsForTheTickInsteadOfGoingOutAgainAtOnce() {
        UserEvent e = event("B", 7);

        List<Effect> fx = hear(a, e, 1_000);

        assertAll(
                () -> assertEquals(List.of(e), delivered(fx)),
                () -> assertTrue(rumorsSent(fx).isEmpty(), "B sent it to every member itself: " + fx),
                () -> assertEquals(1, a.broadcastsQueued()));
        Effect.Schedule tick = onlySchedule(fx, Timer.Kind.GOSSIP_TICK);
        assertTrue(rumorsSent(fire(a, tick.timer(), tick.atMillis())).contains(new Rumor.EventRumor(e)),
                "the tick still gossips it, for anyone B's direct send missed");
    }

    @Test
    void anEventSentStraightFromItsOriginIsDeliveredAndLaterGossipedButNotBackToTheOrigin() {
        UserEvent e = event("B", 7);

        List<Effect> fx = receive(a, "B", new Message.Event(e, 0), 1_000);

        assertAll(
                () -> assertEquals(List.of(e), delivered(fx)),
                () -> assertTrue(rumorsSent(fx).isEmpty(), "B sent it to every member itself: " + fx),
                () -> assertEquals(1, a.broadcastsQueued()),
                () -> assertTrue(receive(a, "B", new Message.Event(e, 0), 1_100).stream()
                        .noneMatch(x -> x instanceof Effect.Deliver), "a second copy is not delivered again"));
        Effect.Schedule tick = onlySchedule(fx, Timer.Kind.GOSSIP_TICK);
        List<Effect.Send> gossip = NodeHarness.sends(fire(a, tick.timer(), tick.atMillis()));
        assertEquals(List.of(addressOf("C")), gossip.stream().map(Effect.Send::to).toList(),
                "the tick gossips it to C, whose direct copy may have been lost, and not to B, which sent it");
    }

    @Test
    void theSenderSendsItsEventStraightToEveryLiveMember() {
        SwimNode sender = h.node(alive("S"), 53, List.of(alive("B"), alive("C"),
                alive("D").withStatus(MemberStatus.SUSPECT), alive("E").withStatus(MemberStatus.DEAD)));

        List<Effect> fx = step(out -> sender.emit("deploy", new byte[] {1}, 1_000, out));

        Message.Event alone = directEventOf(fx);
        List<Address> direct = NodeHarness.sends(fx).stream().filter(s -> s.message().equals(alone))
                .map(Effect.Send::to).toList();
        assertAll(
                () -> assertEquals(List.of(addressOf("B"), addressOf("C"), addressOf("D")), direct,
                        "one message to each live member, suspects too, and no eager round on top"),
                () -> assertEquals(3L, NodeHarness.counter(sender, "direct_sends"), "not to the dead E"),
                () -> assertEquals(1, sender.broadcastsQueued(), "and gossiped as usual for any send that is lost"),
                () -> assertTrue(lastIndexOf(fx, alone) < firstDeliver(fx),
                        "the sends leave before the sender's own subscribers get it: " + fx));
    }

    @Test
    void overOneCopyPerMemberAReceiverThatKnowsTheOriginsMembersDeliversADirectEventWithoutGossipingIt() {
        NodeHarness artery = new NodeHarness(NodeHarness.LAN.toBuilder().gossipCopiesMax(1).build());
        SwimNode origin = artery.node("B", 52, "A", "C");
        SwimNode receiver = artery.node("A", 51, "B", "C");
        Message.Event direct = directEventOf(step(out -> origin.emit("deploy", new byte[] {1}, 1_000, out)));

        List<Effect> fx = receive(receiver, "B", direct, 1_010);

        assertAll(
                () -> assertEquals(List.of(direct.event()), delivered(fx)),
                () -> assertEquals(0, receiver.broadcastsQueued(), "C had its copy from B: " + fx),
                () -> assertTrue(fx.stream().noneMatch(x -> x instanceof Effect.Schedule s
                        && s.timer().kind() == Timer.Kind.GOSSIP_TICK), "no gossip ticks for it"),
                () -> assertEquals(1L, NodeHarness.counter(receiver, "direct_events_not_gossiped")),
                () -> assertEquals(1, origin.broadcastsQueued(), "the origin still gossips it, for a lost copy"),
                () -> assertTrue(receive(receiver, "B", direct, 1_020).stream().noneMatch(x -> x instanceof Effect.Deliver),
                        "a second copy is not delivered again"));
    }

    @Test
    void aReceiverThatKnowsAMemberTheOriginDidNotGossipsTheDirectEventOn() {
        NodeHarness artery = new NodeHarness(NodeHarness.LAN.toBuilder().gossipCopiesMax(1).build());
        SwimNode origin = artery.node("B", 52, "A");
        SwimNode receiver = artery.node("A", 51, "B", "C");
        Message.Event direct = directEventOf(step(out -> origin.emit("deploy", new byte[] {1}, 1_000, out)));

        List<Effect> fx = receive(receiver, "B", direct, 1_010);

        assertAll(
                () -> assertEquals(List.of(direct.event()), delivered(fx)),
                () -> assertEquals(1, receiver.broadcastsQueued(), "C may not have it"),
                () -> assertEquals(0L, NodeHarness.counter(receiver, "direct_events_not_gossiped")));
        Effect.Schedule tick = onlySchedule(fx, Timer.Kind.GOSSIP_TICK);
        assertEquals(List.of(addressOf("C")), NodeHarness.sends(fire(receiver, tick.timer(), tick.atMillis()))
                .stream().map(Effect.Send::to).toList());
    }

    private static Message.Event directEventOf(List<Effect> fx) {
        return NodeHarness.sends(fx).stream().map(Effect.Send::message).filter(m -> m instanceof Message.Event)
                .map(m -> (Message.Event) m).findFirst().orElseThrow();
    }

    private static int lastIndexOf(List<Effect> fx, Message message) {
        int last = -1;
        for (int i = 0; i < fx.size(); i++) {
            if (fx.get(i) instanceof Effect.Send s && s.message().equals(message)) {
                last = i;
            }
        }
        return last;
    }

    private static int firstDeliver(List<Effect> fx) {
        for (int i = 0; i < fx.size(); i++) {
            if (fx.get(i) instanceof Effect.Deliver) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    @Test
    void aboveTheDirectBoundTheEventIsOnlyGossiped() {
        NodeHarness bounded = new NodeHarness(NodeHarness.LAN.toBuilder().userEventDirectMax(1).build());
        SwimNode sender = bounded.node("S", 54, "B", "C");

        List<Effect> fx = step(out -> sender.emit("deploy", new byte[] {1}, 1_000, out));

        assertAll(
                () -> assertEquals(0L, NodeHarness.counter(sender, "direct_sends")),
                () -> assertTrue(rumorsSent(fx).stream().anyMatch(r -> r instanceof Rumor.EventRumor), "gossip still"));
    }

    @Test
    void atMostOneEagerRoundPerGossipInterval() {
        NodeHarness gossipOnly = new NodeHarness(NodeHarness.LAN.toBuilder().userEventDirectMax(0).build());
        SwimNode a = gossipOnly.node("A", 51, "B", "C");
        step(out -> a.emit("first", new byte[] {1}, 1_000, out));
        long interval = a.settings().gossipIntervalMillis();

        List<Effect> soon = step(out -> a.emit("second", new byte[] {2}, 1_000 + interval / 2, out));
        List<Effect> later = step(out -> a.emit("third", new byte[] {3}, 1_000 + interval, out));

        assertTrue(rumorsSent(soon).isEmpty(), "a burst of news waits for the tick");
        assertTrue(rumorsSent(later).stream().anyMatch(r -> r instanceof Rumor.EventRumor ev && ev.event().name().equals("third")));
    }

    @Test
    void aRoundWithNoOneToTellDoesNotUseUpTheEagerRound() {
        SwimNode alone = h.node("Z", 52);
        List<Effect> first = step(out -> alone.emit("first", new byte[] {1}, 1_000, out));

        List<Effect> joined = receive(alone, "B", gossip(NodeHarness.rumor(alive("B"), "B")), 1_010);

        assertTrue(rumorsSent(first).isEmpty(), "no one to send to");
        assertTrue(rumorsSent(joined).stream().anyMatch(r -> r instanceof Rumor.EventRumor),
                "the first peer hears the queued event at once, not at the next tick");
    }

    @Test
    void sameEventReceivedTwiceIsDeliveredOnce() {
        UserEvent e = event("B", 7);

        List<Effect> first = hear(a, e, 1_000);
        List<Effect> second = hear(a, e, 1_100);

        assertEquals(List.of(e), delivered(first));
        assertTrue(delivered(second).isEmpty());
        assertEquals(1L, a.metrics().get("user_events_duplicate"));
        assertEquals(8, a.eventClock(), "the clock moved past the event");
    }

    @Test
    void ownEventEchoedBackIsNotDeliveredAgain() {
        List<UserEvent> returned = new ArrayList<>();
        step(out -> returned.add(a.emit("deploy", new byte[0], 1_000, out)));

        assertTrue(delivered(hear(a, returned.get(0), 1_200)).isEmpty());
    }

    @Test
    void aNodeThatLeftSendsNoEvent() {
        step(out -> a.leave(1_000, out));
        long clock = a.eventClock();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> step(out -> a.emit("deploy", new byte[0], 2_000, out)));

        assertAll(
                () -> assertEquals("this node has left the cluster, so no member would receive the event; start it again to rejoin",
                        e.getMessage()),
                () -> assertEquals(clock, a.eventClock(), "nothing recorded that no one would hear"));
    }

    @Test
    void eventOverTheLimitIsRejectedWithSizeLimitAndKey() {
        int limit = h.settings.userEventBytesMax();
        byte[] payload = new byte[limit - "big".length() + 1];

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> step(out -> a.emit("big", payload, 1_000, out)));

        assertAll(
                () -> assertTrue(e.getMessage().contains(String.valueOf(limit + 1)), e.getMessage()),
                () -> assertTrue(e.getMessage().contains(String.valueOf(limit)), e.getMessage()),
                () -> assertTrue(e.getMessage().contains("user-event-max-bytes"), e.getMessage()),
                () -> assertEquals(0, a.eventClock(), "a rejected event does not tick the clock"),
                () -> assertEquals(0, a.broadcastsQueued()));
    }

    @Test
    void eventExactlyAtTheLimitIsAccepted() {
        int limit = h.settings.userEventBytesMax();
        byte[] payload = new byte[limit - "big".length()];

        List<Effect> fx = step(out -> a.emit("big", payload, 1_000, out));

        assertEquals(1, delivered(fx).size());
    }

    @Test
    void eventsOlderThanTheDedupBufferAreDropped() {
        int buffer = h.settings.eventBufferSize(); // 512
        hear(a, event("C", 1_000), 1_000);
        assertEquals(1_001, a.eventClock());

        List<Effect> tooOld = hear(a, event("D", 1_001 - buffer - 1), 1_100);
        List<Effect> oldest = hear(a, event("D", 1_001 - buffer), 1_200);

        assertTrue(delivered(tooOld).isEmpty(), "older than the window: cannot tell whether it was seen");
        assertEquals(1L, a.metrics().get("user_events_too_old"));
        assertEquals(1, delivered(oldest).size(), "the oldest time still in the window is delivered");
    }

    @Test
    void eventsBeforeTheClusterClockOfTheJoinReplyArePassedOnNotDelivered() {
        SwimNode j = h.node("J", 52);
        step(out -> j.join(List.of(addressOf("S")), 0, out));
        receive(j, "S", new Message.PushPull(false, true, 50, List.of(alive("S"), alive("T"))), 10);
        assertTrue(j.eventClock() >= 50);

        UserEvent before = event("S", 49);
        List<Effect> fx = receive(j, "S", gossip(new Rumor.EventRumor(before)), 20);

        assertTrue(delivered(fx).isEmpty(), "happened before J joined");
        assertTrue(rumorsSent(fire(j, Timer.GOSSIP_TICK, 1_000)).contains(new Rumor.EventRumor(before)),
                "but passed on to others (T: S sent it)");

        assertEquals(1, delivered(receive(j, "S", gossip(new Rumor.EventRumor(event("S", 50))), 1_030)).size());
        assertEquals(1, delivered(receive(j, "S", gossip(new Rumor.EventRumor(event("S", 60))), 1_040)).size());
    }

    @Test
    void clockFromAPushPullThatIsNotAJoinReplyDoesNotSuppressDelivery() {
        receive(a, "B", new Message.PushPull(false, false, 50, List.of(alive("B"))), 10);
        assertTrue(a.eventClock() >= 50);

        assertEquals(1, delivered(hear(a, event("B", 40), 20)).size());
    }
}
