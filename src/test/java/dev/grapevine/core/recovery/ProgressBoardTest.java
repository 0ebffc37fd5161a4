package dev.grapevine.core.recovery;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.member.NameIndex;
import dev.grapevine.core.node.Counters;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressBoardTest {
    private static Member alive(String name, long life) {
        return Member.alive(name, new Address("10.0.0." + name.substring(1), 7946), life, 0, Map.of());
    }

    private static long epochOf(Map<String, Long> lives) {
        return Progress.epochBits(RecoveryCoordinator.epochOf(lives));
    }

    @Test
    void theLiveEpochsFollowEveryChangeOfTheViewTheyAreWorkedOutFrom() {
        MemberTable view = new MemberTable(new NameIndex());
        ProgressBoard board = new ProgressBoard(new Counters());
        view.merge(alive("n1", 7));
        view.merge(alive("n2", 8));
        assertEquals(java.util.Set.of(epochOf(Map.of("n1", 7L, "n2", 8L))), board.liveEpochs(view));

        view.merge(alive("n3", 9));
        assertEquals(java.util.Set.of(epochOf(Map.of("n1", 7L, "n2", 8L, "n3", 9L))), board.liveEpochs(view), "a member joined");

        view.merge(alive("n2", 8).withIncarnation(1).withStatus(MemberStatus.DEAD));
        assertEquals(java.util.Set.of(epochOf(Map.of("n1", 7L, "n3", 9L))), board.liveEpochs(view), "a member died");

        view.merge(alive("n2", 10));
        assertEquals(java.util.Set.of(epochOf(Map.of("n1", 7L, "n2", 10L, "n3", 9L))), board.liveEpochs(view), "it came back in a new life");

        view.remove("n2");
        assertEquals(java.util.Set.of(epochOf(Map.of("n1", 7L, "n3", 9L))), board.liveEpochs(view), "it was reaped");
    }

    @Test
    void aMergeThatChangesNothingLeavesTheChangeCountAlone() {
        MemberTable view = new MemberTable(new NameIndex());
        view.merge(alive("n1", 7));
        long before = view.changes();
        view.merge(alive("n1", 7));
        assertEquals(before, view.changes());
        view.merge(alive("n1", 7).withIncarnation(1));
        assertEquals(before + 1, view.changes());
    }
}
