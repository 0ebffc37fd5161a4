package dev.grapevine.core.node;

import static dev.grapevine.core.node.NodeHarness.addressOf;
import static dev.grapevine.core.node.NodeHarness.alive;
import static dev.grapevine.core.node.NodeHarness.fire;
import static dev.grapevine.core.node.NodeHarness.gossip;
import static dev.grapevine.core.node.NodeHarness.onlySchedule;
import static dev.grapevine.core.node.NodeHarness.receive;
import static dev.grapevine.core.node.NodeHarness.rumorsSent;
import static dev.grapevine.core.node.NodeHarness.sends;
import static dev.grapevine.core.node.NodeHarness.sent;
import static dev.grapevine.core.node.NodeHarness.step;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.recovery.Progress;
import dev.grapevine.core.wire.Message;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Recovery progress: its own rumor, ordered by life and publication, carried by push-pull too. */
class SwimNodeProgressTest {
    private static final String EPOCH = "00000000000000e1";
    private static final long EPOCH_BITS = 0xe1;

    private final NodeHarness h = new NodeHarness();
    private final SwimNode a = h.node("A", 61, "B", "C");

    private static Rumor.ProgressRumor word(String member, long life, long seq, int pending) {
        return new Rumor.ProgressRumor(member, life, seq, EPOCH_BITS, pending, 0);
    }

    private static List<Rumor.ProgressRumor> heard(List<Effect> fx) {
        return fx.stream().filter(Effect.ProgressHeard.class::isInstance)
                .map(e -> ((Effect.ProgressHeard) e).progress()).toList();
    }

    @Test
    void aNodesOwnProgressGoesOutWithTheTicksNotInARoundOfItsOwn() {
        List<Effect> fx = step(out -> a.publishProgress(new Progress(EPOCH, 2, 0), 1_000, out));

        assertTrue(sends(fx).isEmpty(), "nothing waits on progress at network speed: " + fx);
        Effect.Schedule tick = onlySchedule(fx, Timer.Kind.GOSSIP_TICK);
        assertTrue(rumorsSent(fire(a, tick.timer(), tick.atMillis())).contains(word("A", 1, 1, 2)),
                "the tick gossips it, with the node's life and its first publication number");

        step(out -> a.publishProgress(new Progress(EPOCH, 0, 0), 1_500, out));
        assertEquals(List.of(word("A", 1, 2, 0)), a.progress().stream()
                .filter(p -> p.member().equals("A")).toList(), "the next publication supersedes it");
    }

    @Test
    void aPeersProgressIsToldOnceAndOnlyWhenNewer() {
        assertEquals(List.of(word("B", 1, 2, 3)), heard(receive(a, "C", gossip(word("B", 1, 2, 3)), 1_000)));
        assertAll(
                () -> assertTrue(heard(receive(a, "B", gossip(word("B", 1, 2, 3)), 1_100)).isEmpty(), "a repeat"),
                () -> assertTrue(heard(receive(a, "B", gossip(word("B", 1, 1, 5)), 1_200)).isEmpty(), "an older word"),
                () -> assertEquals(List.of(word("B", 1, 3, 0)), heard(receive(a, "B", gossip(word("B", 1, 3, 0)), 1_300))),
                () -> assertEquals(List.of(word("B", 2, 1, 4)), heard(receive(a, "B", gossip(word("B", 2, 1, 4)), 1_400)),
                        "a later life wins whatever its count"));
    }

    @Test
    void progressOfAnUnknownMemberAnEarlierLifeOrThisNodeIsNotTaken() {
        List<Effect> fx = receive(a, "B", gossip(word("Z", 1, 1, 0), word("B", 0, 9, 0), word("A", 1, 7, 0)), 1_000);

        assertAll(
                () -> assertTrue(heard(fx).isEmpty(), fx.toString()),
                () -> assertEquals(0, a.broadcastsQueued(), "nor passed on"));
    }

    @Test
    void pushPullCarriesTheProgressOfTheMembersItListsAndWhatItBringsIsToldButNotPassedOn() {
        step(out -> a.publishProgress(new Progress(EPOCH, 0, 0), 1_000, out));
        receive(a, "B", gossip(word("B", 1, 4, 0)), 1_000);
        int queued = a.broadcastsQueued();

        Message.PushPull fromC = new Message.PushPull(false, false, 0, List.of(alive("C"), alive("A"), alive("B")),
                List.of(), List.of(word("C", 1, 2, 1)));
        List<Effect> fx = receive(a, addressOf("C"), fromC, 2_000);

        Message.PushPull reply = sent(fx, Message.PushPull.class).get(0);
        assertAll(
                () -> assertEquals(List.of(word("C", 1, 2, 1)), heard(fx)),
                () -> assertEquals(queued, a.broadcastsQueued(), "anti-entropy is not news to gossip"),
                () -> assertEquals(java.util.Set.of(word("A", 1, 1, 0), word("B", 1, 4, 0)),
                        java.util.Set.copyOf(reply.progress()), "the reply is this node's view before the merge"));
    }
}
