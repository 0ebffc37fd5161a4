package dev.grapevine.core.recovery;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryPlanTest {
    private static final List<String> FIVE = List.of("a", "b", "c", "d", "e");

    @Test
    void whenAMemberFailsTheOthersGainItsPartitionsWithTheSurvivingCopiesAsSources() {
        Ownership before = new Ownership(FIVE, 64, 3);
        Ownership after = new Ownership(List.of("a", "b", "c", "d"), 64, 3);
        RecoveryPlan plan = RecoveryPlan.between(7, before, after);
        assertEquals(7, plan.epoch());
        assertEquals(before.partitionsOf("e").size(), plan.partitionsMoved(), "exactly e's partitions move");
        plan.tasks().forEach((member, task) -> {
            assertTrue(task.lost().isEmpty(), member + " loses nothing when another member fails");
            task.gained().forEach((partition, sources) -> {
                assertTrue(before.owners(partition).contains("e"), member + " gained " + partition + ", which e did not own");
                assertEquals(2, sources.size(), "the two surviving copies of " + partition);
                assertFalse(sources.contains("e"));
                assertFalse(sources.contains(member));
            });
        });
    }

    @Test
    void whenAMemberJoinsItGainsAndTheMemberItReplacesLoses() {
        Ownership before = new Ownership(List.of("a", "b", "c", "d"), 64, 3);
        Ownership after = new Ownership(FIVE, 64, 3);
        RecoveryPlan plan = RecoveryPlan.between(8, before, after);
        RecoveryPlan.Task joiner = plan.taskOf("e");
        assertFalse(joiner.gained().isEmpty());
        int lostElsewhere = plan.tasks().values().stream().mapToInt(t -> t.lost().size()).sum();
        assertEquals(joiner.gained().size(), lostElsewhere, "each partition e takes, someone hands over");
        joiner.gained().forEach((p, sources) -> assertEquals(before.owners(p), sources, "all old copies can serve " + p));
    }

    @Test
    void theSameViewsGiveTheSamePlanOnEveryNode() {
        RecoveryPlan one = RecoveryPlan.between(3, new Ownership(FIVE, 128, 2), new Ownership(List.of("e", "c", "a"), 128, 2));
        RecoveryPlan two = RecoveryPlan.between(3, new Ownership(List.of("e", "d", "c", "b", "a"), 128, 2),
                new Ownership(List.of("a", "c", "e"), 128, 2));
        assertEquals(one, two);
    }

    @Test
    void noChangeMeansAnEmptyPlan() {
        Ownership o = new Ownership(FIVE, 32, 3);
        assertTrue(RecoveryPlan.between(1, o, o).tasks().isEmpty());
    }
}
