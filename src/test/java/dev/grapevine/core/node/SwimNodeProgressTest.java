package dev.grapevine.core.node;

import static dev.grapevine.core.node.NodeHarness.addressOf;
import static dev.grapevine.core.node.NodeHarness.alive;
import static dev.grapevine.core.node.NodeHarness.counter;
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
import dev.grapevine.core.member.Member;
import dev.grapevine.core.recovery.EpochProgress;
import dev.grapevine.core.recovery.Progress;
import dev.grapevine.core.recovery.RecoveryCoordinator;
import dev.grapevine.core.wire.Message;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Recovery progress: one merged value per epoch, gossiped when it changes, carried by push-pull too. */
class SwimNodeProgressTest {
    /** The epoch of A's view: A, B and C alive in their first lives. */
    private static final String EPOCH = RecoveryCoordinator.epochOf(java.util.Map.of("A", 1L, "B", 1L, "C", 1L));
    private static final long EPOCH_BITS = Progress.epochBits(EPOCH);
    /** An epoch A's view is not in. */
    private static final long OTHER_BITS = 0xe1;

    private final NodeHarness h = new NodeHarness();
    private final SwimNode a = h.node("A", 61, "B", "C");

    /** The value of EPOCH (members A, B, C) with these publication numbers, and {@code pending} for each word. */
    private static EpochProgress value(long seqA, long seqB, long seqC, int pending) {
        long[] seq = {seqA, seqB, seqC};
        int[] counts = new int[3];
        for (int i = 0; i < 3; i++) {
            counts[i] = seq[i] == 0 ? 0 : pending;
        }
        return EpochProgress.of(EPOCH_BITS, seq, counts, new int[3]);
    }

    private static Rumor.ProgressRumor rumor(EpochProgress value) {
        return new Rumor.ProgressRumor(value);
    }

    private static List<EpochProgress> heard(List<Effect> fx) {
        return fx.stream().filter(Effect.ProgressHeard.class::isInstance)
                .map(e -> ((Effect.ProgressHeard) e).progress()).toList();
    }

    @Test
    void aNodesOwnProgressGoesOutWithTheTicksNotInARoundOfItsOwn() {
        List<Effect> fx = step(out -> a.publishProgress(new Progress(EPOCH, 2, 0), 0, 3, 1_000, out));

        assertTrue(sends(fx).isEmpty(), "nothing waits on progress at network speed: " + fx);
        Effect.Schedule tick = onlySchedule(fx, Timer.Kind.GOSSIP_TICK);
        assertTrue(rumorsSent(fire(a, tick.timer(), tick.atMillis())).contains(rumor(value(1, 0, 0, 2))),
                "the tick gossips the epoch's value, with this node's first publication as member 0");

        step(out -> a.publishProgress(new Progress(EPOCH, 0, 0), 0, 3, 1_500, out));
        assertEquals(List.of(value(2, 0, 0, 0)), a.progress(), "the next publication supersedes it");
    }

    @Test
    void aPeersValueIsToldAndPassedOnOnlyWhenItBringsANewerWord() {
        EpochProgress first = value(0, 2, 0, 3);
        assertEquals(List.of(first), heard(receive(a, "C", gossip(rumor(first)), 1_000)));
        assertEquals(1, a.broadcastsQueued(), "news is passed on");
        assertAll(
                () -> assertTrue(heard(receive(a, "B", gossip(rumor(first)), 1_100)).isEmpty(), "a repeat"),
                () -> assertTrue(heard(receive(a, "B", gossip(rumor(value(0, 1, 0, 5))), 1_200)).isEmpty(), "an older word"),
                () -> assertEquals(List.of(value(0, 3, 0, 0)), heard(receive(a, "B", gossip(rumor(value(0, 3, 0, 0))), 1_300))));
    }

    @Test
    void aValueOfAnEpochOtherThanTheLiveMembersIsKeptForRecoveryButNotPassedOn() {
        // Left over from an epoch the sender was alone in while it joined, say: passed on, it would
        // circulate for as long as some node had forgotten it.
        EpochProgress other = EpochProgress.empty(OTHER_BITS, 1).with(0, 1, 0, 0);
        List<Effect> fx = receive(a, "B", gossip(rumor(other)), 1_000);

        assertAll(
                () -> assertEquals(List.of(other), heard(fx), "recovery may settle on it yet"),
                () -> assertEquals(0, a.broadcastsQueued()));
    }

    @Test
    void theLiveMembersEpochIsNeverDroppedForNewerValuesOfOthers() {
        receive(a, "B", gossip(rumor(value(0, 1, 0, 0))), 1_000);
        for (int e = 1; e <= dev.grapevine.core.recovery.ProgressBoard.EPOCHS_MAX + 2; e++) {
            receive(a, "B", gossip(rumor(EpochProgress.empty(e, 3).with(1, 1, 0, 0))), 1_000 + e);
        }
        assertEquals(List.of(EPOCH_BITS, 4L, 5L, 6L), a.progress().stream().map(EpochProgress::epoch).toList());
    }

    @Test
    void aValueThatKnowsLessOfOneMemberAndMoreOfAnotherMergesWordByWord() {
        Effect.Schedule tick = onlySchedule(receive(a, "B", gossip(rumor(value(0, 4, 0, 0))), 1_000), Timer.Kind.GOSSIP_TICK);

        EpochProgress fromC = EpochProgress.of(EPOCH_BITS, new long[] {0, 1, 5}, new int[] {0, 2, 1}, new int[3]);
        List<Effect> fx = receive(a, "C", gossip(rumor(fromC)), 1_100);

        EpochProgress merged = EpochProgress.of(EPOCH_BITS, new long[] {0, 4, 5}, new int[] {0, 0, 1}, new int[3]);
        assertAll(
                () -> assertEquals(List.of(merged), heard(fx)),
                () -> assertTrue(rumorsSent(fire(a, tick.timer(), tick.atMillis())).contains(rumor(merged)),
                        "what goes on is the merged value, which neither peer holds"));
    }

    @Test
    void aValueWhoseMemberCountDisagreesWithTheOneHeldIsRefusedAndCounted() {
        step(out -> a.publishProgress(new Progress(EPOCH, 0, 0), 0, 3, 1_000, out));
        EpochProgress four = EpochProgress.empty(EPOCH_BITS, 4).with(1, 1, 0, 0);

        List<Effect> fx = receive(a, "B", gossip(rumor(four)), 1_100);

        assertAll(
                () -> assertTrue(heard(fx).isEmpty(), fx.toString()),
                () -> assertEquals(1L, counter(a, "progress_refused")),
                () -> assertEquals(List.of(value(1, 0, 0, 0)), a.progress()));
    }

    @Test
    void onlyTheEpochsChangedLastAreKept() {
        for (int e = 1; e <= dev.grapevine.core.recovery.ProgressBoard.EPOCHS_MAX + 2; e++) {
            receive(a, "B", gossip(rumor(EpochProgress.empty(e, 3).with(1, 1, 0, 0))), 1_000 + e);
        }
        assertEquals(List.of(3L, 4L, 5L, 6L), a.progress().stream().map(EpochProgress::epoch).toList());
    }

    @Test
    void pushPullCarriesTheValueOfTheLiveMembersEpochAndWhatItBringsIsToldButNotPassedOn() {
        String live = RecoveryCoordinator.epochOf(a.members().stream().filter(m -> m.status().isLive())
                .collect(Collectors.toMap(Member::name, Member::epoch)));
        long liveBits = Progress.epochBits(live);
        step(out -> a.publishProgress(new Progress(live, 0, 0), 0, 3, 1_000, out));
        step(out -> a.publishProgress(new Progress(Progress.epochName(OTHER_BITS), 0, 0), 0, 3, 1_000, out)); // not carried
        int queued = a.broadcastsQueued();

        EpochProgress fromC = EpochProgress.empty(liveBits, 3).with(2, 2, 1, 0);
        Message.PushPull pushPull = new Message.PushPull(false, false, 0, List.of(alive("C"), alive("A"), alive("B")),
                List.of(), List.of(fromC));
        List<Effect> fx = receive(a, addressOf("C"), pushPull, 2_000);

        Message.PushPull reply = sent(fx, Message.PushPull.class).get(0);
        assertAll(
                () -> assertEquals(List.of(EpochProgress.empty(liveBits, 3).with(0, 1, 0, 0).with(2, 2, 1, 0)), heard(fx)),
                () -> assertEquals(queued, a.broadcastsQueued(), "anti-entropy is not news to gossip"),
                () -> assertEquals(List.of(EpochProgress.empty(liveBits, 3).with(0, 1, 0, 0)), reply.progress(),
                        "the reply is this node's value before the merge"));
    }
}
