package dev.grapevine.core.gossip;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BroadcastQueueTest {
    private static final int BIG_BUDGET = 1 << 20;
    private static final int NO_LIMIT = 1_000;

    private static Rumor.MemberRumor rumor(String name) {
        return rumor(name, 0);
    }

    private static Rumor.MemberRumor rumor(String name, long incarnation) {
        return new Rumor.MemberRumor(Member.alive(name, new Address("h.test", 1), 1, incarnation, Map.of()), name);
    }

    private static List<String> subjects(List<Rumor> rumors) {
        return rumors.stream().map(r -> (String) r.subject()).toList();
    }

    private static List<Rumor> take(BroadcastQueue q, int budget, int limit) {
        List<Rumor> sink = new ArrayList<>();
        q.take(budget, limit, sink);
        return sink;
    }

    @Test
    void newestFirstAmongEqualTransmits() {
        BroadcastQueue q = new BroadcastQueue(16, 2);
        q.enqueue(rumor("a"), 10);
        q.enqueue(rumor("b"), 10);
        q.enqueue(rumor("c"), 10);

        assertEquals(List.of("c", "b", "a"), subjects(take(q, BIG_BUDGET, NO_LIMIT)));
    }

    @Test
    void fewestTransmitsFirst() {
        BroadcastQueue q = new BroadcastQueue(16, 2);
        q.enqueue(rumor("a"), 10);
        q.enqueue(rumor("b"), 10);
        q.enqueue(rumor("c"), 10);

        assertEquals(List.of("c"), subjects(take(q, 10, NO_LIMIT)), "budget for one: the newest");
        assertEquals(List.of("b"), subjects(take(q, 10, NO_LIMIT)), "c was sent once, b not yet");
        q.enqueue(rumor("d"), 10);

        assertEquals(List.of("d", "a", "c", "b"), subjects(take(q, BIG_BUDGET, NO_LIMIT)),
                "unsent (newest first), then sent once (newest first)");
        assertEquals(1, q.transmits("d"));
        assertEquals(2, q.transmits("c"));
    }

    @Test
    void sameSubjectReplacesTheQueuedRumor() {
        BroadcastQueue q = new BroadcastQueue(16, 2);
        q.enqueue(rumor("x", 0), 10);
        q.enqueue(rumor("y", 0), 10);
        take(q, BIG_BUDGET, NO_LIMIT);
        assertEquals(1, q.transmits("x"));

        q.enqueue(rumor("x", 1), 10);

        assertEquals(2, q.size());
        assertEquals(0, q.transmits("x"), "the replacement starts unsent");
        List<Rumor> sent = take(q, BIG_BUDGET, NO_LIMIT);
        assertEquals(List.of(rumor("x", 1), rumor("y", 0)), sent);
    }

    @Test
    void rumorLeavesAfterTransmitLimitTakes() {
        BroadcastQueue q = new BroadcastQueue(16, 2);
        q.enqueue(rumor("a"), 10);

        for (int i = 1; i <= 3; i++) {
            assertEquals(List.of("a"), subjects(take(q, BIG_BUDGET, 3)), "take " + i);
        }

        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
        assertEquals(-1, q.transmits("a"));
        assertTrue(take(q, BIG_BUDGET, 3).isEmpty());
    }

    @Test
    void takeReturnsTheBytesItTook() {
        BroadcastQueue q = new BroadcastQueue(16, 2);
        q.enqueue(rumor("a"), 30);
        q.enqueue(rumor("b"), 20);
        List<Rumor> sink = new ArrayList<>();

        assertEquals(50, q.take(60, NO_LIMIT, sink));
        assertEquals(2, sink.size());
        assertEquals(0, q.take(19, NO_LIMIT, new ArrayList<>()), "nothing fits");
    }

    @Test
    void bigRumorThatDoesNotFitDoesNotBlockSmallerOnes() {
        BroadcastQueue q = new BroadcastQueue(16, 2);
        q.enqueue(rumor("small1"), 10);
        q.enqueue(rumor("small2"), 10);
        q.enqueue(rumor("big"), 100); // newest: first in line

        List<Rumor> sink = new ArrayList<>();
        int used = q.take(50, NO_LIMIT, sink);

        assertEquals(List.of("small2", "small1"), subjects(sink));
        assertEquals(20, used);
        assertEquals(0, q.transmits("big"), "still waiting for a larger budget");
        assertEquals(List.of("big"), subjects(take(q, 100, NO_LIMIT)));
    }

    @Test
    void byteBudgetIsNeverExceeded() {
        SplittableRandom rng = new SplittableRandom(99);
        BroadcastQueue q = new BroadcastQueue(64, 2);
        Map<Object, Integer> sizes = new HashMap<>();
        for (int round = 0; round < 2_000; round++) {
            if (rng.nextInt(3) > 0) {
                String name = "m" + rng.nextInt(100);
                int size = 1 + rng.nextInt(300);
                q.enqueue(rumor(name, round), size);
                sizes.put(name, size);
            }
            int budget = rng.nextInt(600);
            List<Rumor> sink = new ArrayList<>();
            int used = q.take(budget, 1 + rng.nextInt(6), sink);
            int sum = sink.stream().mapToInt(r -> sizes.get(r.subject())).sum();
            assertEquals(sum, used, "round " + round);
            assertTrue(used <= budget, "round " + round + ": used " + used + " of " + budget);
            assertEquals(sink.size(), sink.stream().map(Rumor::subject).distinct().count(), "no rumor twice in one take");
        }
    }

    @Test
    void overflowDropsTheMostSentAndCountsIt() {
        BroadcastQueue q = new BroadcastQueue(3, 2);
        q.enqueue(rumor("a"), 100);
        q.enqueue(rumor("b"), 100);
        q.enqueue(rumor("c"), 10);
        take(q, 10, NO_LIMIT); // only c fits
        take(q, 10, NO_LIMIT);
        assertEquals(2, q.transmits("c"));

        q.enqueue(rumor("d"), 10);

        assertAll(
                () -> assertEquals(3, q.size()),
                () -> assertEquals(1, q.dropped()),
                () -> assertEquals(-1, q.transmits("c"), "the most-sent rumor was dropped"),
                () -> assertEquals(0, q.transmits("a")),
                () -> assertEquals(0, q.transmits("b")),
                () -> assertEquals(0, q.transmits("d")));
    }

    @Test
    void overflowAmongEqualsDropsTheOldest() {
        BroadcastQueue q = new BroadcastQueue(2, 2);
        q.enqueue(rumor("a"), 10);
        q.enqueue(rumor("b"), 10);
        q.enqueue(rumor("c"), 10);

        assertEquals(1, q.dropped());
        assertEquals(-1, q.transmits("a"));
        assertEquals(List.of("c", "b"), subjects(take(q, BIG_BUDGET, NO_LIMIT)));
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new BroadcastQueue(0, 2));
    }

    @Test
    void aRumorIsNotSentToAMemberKnownToHoldItNorCountedForIt() {
        BroadcastQueue q = new BroadcastQueue(16, 2);
        q.enqueue(rumor("a"), 10);
        q.enqueue(rumor("b"), 10);
        assertEquals(1, q.heldBy(rumor("a"), "peer-1").size());

        List<Rumor> toHolder = new ArrayList<>();
        q.take(BIG_BUDGET, NO_LIMIT, toHolder, "peer-1", h -> false);
        List<Rumor> toOther = new ArrayList<>();
        q.take(BIG_BUDGET, NO_LIMIT, toOther, "peer-2", h -> false);

        assertAll(
                () -> assertEquals(List.of("b"), subjects(toHolder)),
                () -> assertEquals(List.of("a", "b"), subjects(toOther).stream().sorted().toList()),
                () -> assertEquals(1, q.transmits("a"), "the holder's message did not count for a"),
                () -> assertEquals(2, q.transmits("b")));
    }

    @Test
    void aRumorGoesToEachTargetAtMostTwiceAndIsRetiredWhenAllHaveIt() {
        BroadcastQueue q = new BroadcastQueue(16, 2);
        q.enqueue(rumor("a"), 10);
        java.util.function.Predicate<java.util.Set<Object>> all = h -> h.containsAll(List.of("p1", "p2", "p3"));
        java.util.function.Function<String, List<String>> sendTo = target -> {
            List<Rumor> sink = new ArrayList<>();
            q.take(BIG_BUDGET, NO_LIMIT, sink, target, all);
            return subjects(sink);
        };

        assertEquals(List.of("a"), sendTo.apply("p1"));
        assertEquals(List.of("a"), sendTo.apply("p1"));
        assertEquals(List.of(), sendTo.apply("p1"), "p1 was sent it twice, the most this queue sends one member");
        q.heldBy(rumor("a"), "p2"); // p2 sent it here
        assertEquals(List.of(), sendTo.apply("p2"));
        assertEquals(List.of("a"), sendTo.apply("p3"));
        assertEquals(1, q.size(), "p3 was sent it once only");
        assertEquals(List.of("a"), sendTo.apply("p3"));
        assertAll(
                () -> assertTrue(q.isEmpty(), "p1 and p3 were sent it twice and p2 has it: retired"),
                () -> assertEquals(0, q.dropped()));
    }

    @Test
    void withOneCopyPerMemberARumorIsRetiredOnceEachMemberWasSentItOnce() {
        BroadcastQueue q = new BroadcastQueue(16, 1);
        q.enqueue(rumor("a"), 10);
        java.util.function.Predicate<java.util.Set<Object>> all = h -> h.containsAll(List.of("p1", "p2"));
        List<Rumor> first = new ArrayList<>();
        q.take(BIG_BUDGET, NO_LIMIT, first, "p1", all);
        List<Rumor> again = new ArrayList<>();
        q.take(BIG_BUDGET, NO_LIMIT, again, "p1", all);
        List<Rumor> other = new ArrayList<>();
        q.take(BIG_BUDGET, NO_LIMIT, other, "p2", all);

        assertAll(
                () -> assertEquals(List.of("a"), subjects(first)),
                () -> assertEquals(List.of(), subjects(again), "over an ordered connection a second copy comes after the first"),
                () -> assertEquals(List.of("a"), subjects(other)),
                () -> assertTrue(q.isEmpty(), "every member was sent it: retired"),
                () -> assertThrows(IllegalArgumentException.class, () -> new BroadcastQueue(16, 0)));
    }

    @Test
    void aTakeForNoTargetIgnoresHoldersAndKeepsCounting() {
        BroadcastQueue q = new BroadcastQueue(16, 2);
        q.enqueue(rumor("a"), 10);
        q.heldBy(rumor("a"), "peer-1");

        assertEquals(List.of("a"), subjects(take(q, BIG_BUDGET, 2)));
        assertEquals(List.of("a"), subjects(take(q, BIG_BUDGET, 2)));
        assertTrue(q.isEmpty(), "retired at its transmit limit");
    }

    @Test
    void onlyTheVeryRumorQueuedGainsHolders() {
        BroadcastQueue q = new BroadcastQueue(16, 2);
        q.enqueue(rumor("a", 2), 10);

        assertAll(
                () -> assertEquals(null, q.heldBy(rumor("a", 1), "peer-1"), "an older state of a proves nothing"),
                () -> assertEquals(null, q.heldBy(rumor("z"), "peer-1"), "nor does a rumor not queued"));
        List<Rumor> sink = new ArrayList<>();
        q.take(BIG_BUDGET, NO_LIMIT, sink, "peer-1", h -> false);
        assertEquals(List.of("a"), subjects(sink));
    }

    @Test
    void holdersGivenAtEnqueueAreSkippedAndARetiredRumorIsGoneWithoutCountingAsDropped() {
        BroadcastQueue q = new BroadcastQueue(16, 2);
        q.enqueue(rumor("a"), 10, java.util.Set.of("peer-1"));
        List<Rumor> sink = new ArrayList<>();
        q.take(BIG_BUDGET, NO_LIMIT, sink, "peer-1", h -> false);
        assertTrue(sink.isEmpty());

        q.retire("a");
        assertAll(
                () -> assertTrue(q.isEmpty()),
                () -> assertEquals(-1, q.transmits("a")),
                () -> assertEquals(0, q.dropped()));
    }
}
