package dev.grapevine.core.recovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-off-then-drop rule, row by row, and the planner's order, bound and bookkeeping. */
class HandOffPlannerTest {
    private static final String SELF = "x";
    private static final int PARTITIONS = 16;
    /** Ownership without this node: it owns nothing, so every partition it holds is handed off. */
    private static final Ownership WITHOUT_SELF = new Ownership(List.of("a", "b", "c"), PARTITIONS, 2);
    /** Ownership with this node back: it owns some partitions again. */
    private static final Ownership WITH_SELF = new Ownership(List.of("a", "b", "c", SELF), PARTITIONS, 2);
    private static final int OWNED_AGAIN = WITH_SELF.partitionsOf(SELF).get(0);
    private static final HandOffPlanner.View COMPLETE = new HandOffPlanner.View("e1", WITHOUT_SELF, true);
    private static final Map<String, Long> DIGESTS = Map.of("k1", 11L, "k2", 22L);

    /**
     * One row of the safety table: how the exchanges ended and the view when the last one did, and
     * what the planner must decide (null: drop exactly what was read at the start).
     */
    record Row(String name, boolean firstOwnerOk, boolean secondOwnerOk, HandOffPlanner.View atEnd,
               HandOffPlanner.KeepReason expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> safetyTable() {
        return Stream.of(
                new Row("all delivered, same epoch, complete, not owned: drop", true, true, COMPLETE, null),
                new Row("one exchange failed: keep", true, false, COMPLETE, HandOffPlanner.KeepReason.EXCHANGE_FAILED),
                new Row("every exchange failed: keep", false, false, COMPLETE, HandOffPlanner.KeepReason.EXCHANGE_FAILED),
                new Row("a failure and a new epoch: keep, for the failure", false, true,
                        new HandOffPlanner.View("e2", WITHOUT_SELF, true), HandOffPlanner.KeepReason.EXCHANGE_FAILED),
                new Row("epoch changed, same owners: keep", true, true,
                        new HandOffPlanner.View("e2", WITHOUT_SELF, true), HandOffPlanner.KeepReason.EPOCH_CHANGED),
                new Row("epoch changed and owned again: keep", true, true,
                        new HandOffPlanner.View("e2", WITH_SELF, true), HandOffPlanner.KeepReason.EPOCH_CHANGED),
                new Row("no epoch any more: keep", true, true,
                        new HandOffPlanner.View(null, null, false), HandOffPlanner.KeepReason.EPOCH_CHANGED),
                new Row("same epoch, no longer complete everywhere: keep", true, true,
                        new HandOffPlanner.View("e1", WITHOUT_SELF, false), HandOffPlanner.KeepReason.NOT_COMPLETE_EVERYWHERE),
                new Row("owned here again: keep", true, true,
                        new HandOffPlanner.View("e1", WITH_SELF, true), HandOffPlanner.KeepReason.OWNED_AGAIN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("safetyTable")
    void safetyRule(Row row) {
        int partition = OWNED_AGAIN; // owned here only in WITH_SELF
        HandOffPlanner planner = planner(1);
        List<String> owners = WITHOUT_SELF.owners(partition);
        assertEquals(2, owners.size());

        assertEquals(List.of(new HandOffEffect.ReadDigests("e1", partition)), planner.plan(COMPLETE, Set.of(partition)));
        assertEquals(List.of(new HandOffEffect.StartExchange("e1", partition, owners.get(0)),
                new HandOffEffect.StartExchange("e1", partition, owners.get(1))), planner.onDigests(partition, DIGESTS));
        assertEquals(List.of(), planner.onExchangeDone(partition, owners.get(0), row.firstOwnerOk(), row.atEnd()),
                "nothing is decided before the last owner answers");
        List<HandOffEffect> end = planner.onExchangeDone(partition, owners.get(1), row.secondOwnerOk(), row.atEnd());

        HandOffEffect outcome = end.get(0);
        if (row.expected() == null) {
            assertEquals(new HandOffEffect.Drop("e1", partition, DIGESTS), outcome);
            assertEquals(new HandOffEffect.RoundDone("e1", 1, 0), end.get(1));
        } else {
            HandOffEffect.Kept kept = assertInstanceOf(HandOffEffect.Kept.class, outcome);
            assertEquals(row.expected(), kept.reason());
            assertEquals(partition, kept.partition());
            assertEquals(new HandOffEffect.RoundDone("e1", 0, 1), end.get(1));
        }
        assertEquals(row.expected(), HandOffPlanner.keepReason(SELF, partition, "e1",
                !row.firstOwnerOk() || !row.secondOwnerOk(), row.atEnd()), "the rule alone agrees with the machine");
        assertFalse(planner.busy());
    }

    @Test
    void digestsThatCannotBeReadKeepThePartitionAndTheNextBegins() {
        HandOffPlanner planner = planner(1);
        assertEquals(List.of(new HandOffEffect.ReadDigests("e1", 1)), planner.plan(COMPLETE, Set.of(1, 2)));
        List<HandOffEffect> out = planner.onDigestsFailed(1, "disk error");
        assertEquals(new HandOffEffect.Kept("e1", 1, HandOffPlanner.KeepReason.DIGESTS_UNREADABLE, "disk error"), out.get(0));
        assertEquals(new HandOffEffect.ReadDigests("e1", 2), out.get(1));
    }

    @Test
    void aPartitionWithNoOwnerIsNeverDropped() {
        Ownership nobody = new Ownership(List.of(), PARTITIONS, 2);
        HandOffPlanner planner = planner(1);
        planner.plan(new HandOffPlanner.View("e0", nobody, true), Set.of(3));
        List<HandOffEffect> out = planner.onDigests(3, DIGESTS);
        HandOffEffect.Kept kept = assertInstanceOf(HandOffEffect.Kept.class, out.get(0));
        assertEquals(HandOffPlanner.KeepReason.NO_OWNERS, kept.reason());
        assertTrue(out.stream().noneMatch(e -> e instanceof HandOffEffect.Drop || e instanceof HandOffEffect.StartExchange));
    }

    @Test
    void nothingIsPlannedUntilTheEpochIsCompleteEverywhere() {
        HandOffPlanner planner = planner(4);
        assertEquals(List.of(), planner.plan(new HandOffPlanner.View("e1", WITHOUT_SELF, false), Set.of(1, 2)));
        assertEquals(List.of(), planner.plan(new HandOffPlanner.View(null, null, false), Set.of(1, 2)));
        assertFalse(planner.busy());
    }

    @Test
    void onlyPartitionsNotOwnedHereAreHandedOffInAscendingOrder() {
        HandOffPlanner planner = planner(PARTITIONS);
        Set<Integer> held = new java.util.TreeSet<>(Set.of(0, 5, 9, PARTITIONS + 3, -1)); // out of range ignored
        held.addAll(WITH_SELF.partitionsOf(SELF));
        List<Integer> read = new ArrayList<>();
        for (HandOffEffect e : planner.plan(new HandOffPlanner.View("e1", WITH_SELF, true), held)) {
            read.add(((HandOffEffect.ReadDigests) e).partition());
        }
        List<Integer> expected = new ArrayList<>();
        for (int p : held) {
            if (p >= 0 && p < PARTITIONS && !WITH_SELF.owners(p).contains(SELF)) {
                expected.add(p);
            }
        }
        assertEquals(expected, read);
        assertTrue(read.stream().noneMatch(p -> WITH_SELF.owners(p).contains(SELF)));
    }

    @Test
    void atMostTheBoundIsInHandOffAndTheNextBeginsWhenOneEnds() {
        HandOffPlanner planner = planner(2);
        List<HandOffEffect> first = planner.plan(COMPLETE, Set.of(0, 1, 2, 3));
        assertEquals(List.of(new HandOffEffect.ReadDigests("e1", 0), new HandOffEffect.ReadDigests("e1", 1)), first);
        assertEquals(Set.of(0, 1), planner.inHandOff());
        assertEquals(2, planner.planned());

        planner.onDigests(0, DIGESTS);
        List<HandOffEffect> out = List.of();
        for (String owner : WITHOUT_SELF.owners(0)) {
            out = planner.onExchangeDone(0, owner, true, COMPLETE);
        }
        assertEquals(new HandOffEffect.Drop("e1", 0, DIGESTS), out.get(0));
        assertEquals(new HandOffEffect.ReadDigests("e1", 2), out.get(1));
        assertEquals(Set.of(1, 2), planner.inHandOff());
    }

    @Test
    void duplicateAndUnknownAnswersAreIgnored() {
        HandOffPlanner planner = planner(1);
        planner.plan(COMPLETE, Set.of(4));
        assertEquals(List.of(), planner.onExchangeDone(4, "a", true, COMPLETE), "no exchange began before the digests");
        planner.onDigests(4, DIGESTS);
        assertEquals(List.of(), planner.onDigests(4, Map.of("other", 1L)), "the first read is what is delivered");
        List<String> owners = WITHOUT_SELF.owners(4);
        assertEquals(List.of(), planner.onExchangeDone(4, owners.get(0), true, COMPLETE));
        assertEquals(List.of(), planner.onExchangeDone(4, owners.get(0), false, COMPLETE), "a duplicate answer");
        assertEquals(List.of(), planner.onExchangeDone(4, "stranger", false, COMPLETE), "not an owner of the hand-off");
        assertEquals(List.of(), planner.onExchangeDone(7, owners.get(1), true, COMPLETE), "not in hand-off");
        List<HandOffEffect> end = planner.onExchangeDone(4, owners.get(1), true, COMPLETE);
        assertEquals(new HandOffEffect.Drop("e1", 4, DIGESTS), end.get(0));
        assertEquals(List.of(), planner.onExchangeDone(4, owners.get(1), true, COMPLETE), "after the end");
    }

    @Test
    void planningAgainKeepsWhatIsUnderWayAndDoesNotBeginItTwice() {
        HandOffPlanner planner = planner(1);
        planner.plan(COMPLETE, Set.of(1, 2));
        planner.onDigests(1, DIGESTS);
        assertEquals(List.of(), planner.plan(COMPLETE, Set.of(1, 2, 3)), "1 is under way; 2 and 3 wait for it");
        assertEquals(2, planner.planned());
        List<HandOffEffect> out = List.of();
        for (String owner : WITHOUT_SELF.owners(1)) {
            out = planner.onExchangeDone(1, owner, true, COMPLETE);
        }
        assertEquals(List.of(new HandOffEffect.Drop("e1", 1, DIGESTS), new HandOffEffect.ReadDigests("e1", 2)), out);
    }

    @Test
    void aRoundEndsWithOneSummary() {
        HandOffPlanner planner = planner(1);
        planner.plan(COMPLETE, Set.of(1, 2));
        planner.onDigests(1, DIGESTS);
        for (String owner : WITHOUT_SELF.owners(1)) {
            planner.onExchangeDone(1, owner, true, COMPLETE);
        }
        planner.onDigests(2, DIGESTS);
        List<String> owners = WITHOUT_SELF.owners(2);
        planner.onExchangeDone(2, owners.get(0), false, COMPLETE);
        List<HandOffEffect> end = planner.onExchangeDone(2, owners.get(1), true, COMPLETE);
        assertEquals(HandOffPlanner.KeepReason.EXCHANGE_FAILED, ((HandOffEffect.Kept) end.get(0)).reason());
        assertEquals(new HandOffEffect.RoundDone("e1", 1, 1), end.get(1));
        assertEquals(1, planner.droppedTotal());
        assertEquals(1, planner.keptTotal());
    }

    /**
     * A write that lands after the hand-off read the partition's digests, on a new key or over an old
     * one, survives the drop: the drop names the versions read, and a store deletes only those.
     */
    @Test
    void aLateWriteSurvivesTheDrop() {
        int partition = 6;
        Map<String, Long> store = new TreeMap<>(Map.of("old", 1L, "overwritten", 2L, "deleted-later", 3L));
        HandOffPlanner planner = planner(1);
        HandOffEffect.ReadDigests read = (HandOffEffect.ReadDigests) planner.plan(COMPLETE, Set.of(partition)).get(0);
        planner.onDigests(read.partition(), Map.copyOf(store));

        store.put("late", 10L);        // a new key, written during the exchanges
        store.put("overwritten", 20L); // a newer version of a key delivered
        store.put("deleted-later", 30L); // a tombstone is a version too

        HandOffEffect.Drop drop = null;
        for (String owner : WITHOUT_SELF.owners(partition)) {
            for (HandOffEffect e : planner.onExchangeDone(partition, owner, true, COMPLETE)) {
                if (e instanceof HandOffEffect.Drop d) {
                    drop = d;
                }
            }
        }
        assertEquals(Map.of("old", 1L, "overwritten", 2L, "deleted-later", 3L), drop.delivered());
        // What Recoverable.drop promises: delete an entry only if it still has the digest delivered.
        drop.delivered().forEach((k, digest) -> store.remove(k, digest));
        assertEquals(Map.of("late", 10L, "overwritten", 20L, "deleted-later", 30L), store);
    }

    @Test
    void settingsAreBounded() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new HandOffPlanner.Settings(0));
    }

    private static HandOffPlanner planner(int atOnce) {
        return new HandOffPlanner(SELF, new HandOffPlanner.Settings(atOnce));
    }
}
