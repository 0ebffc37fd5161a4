package dev.grapevine.core.swim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.member.NameIndex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ObserversTest {
    private static Member alive(String name) {
        return Member.alive(name, new Address(name + ".test", 7946), 1, 0, Map.of());
    }

    private static MemberTable viewOf(List<String> names) {
        MemberTable view = new MemberTable(new NameIndex());
        names.forEach(n -> view.merge(alive(n)));
        return view;
    }

    private static long observersOf(MemberTable view, List<String> names, String suspect, int k) {
        return names.stream().filter(n -> Observers.observes(view, n, suspect, k)).count();
    }

    @Test
    void everySuspectHasExactlyKObserversNeverItself() {
        List<String> names = IntStream.range(0, 200).mapToObj(i -> "node-" + i).toList();
        MemberTable view = viewOf(names);
        for (String suspect : names) {
            assertEquals(4, observersOf(view, names, suspect, 4), suspect);
            assertFalse(Observers.observes(view, suspect, suspect, 4));
        }
    }

    @Test
    void withFewerMembersThanKEveryOtherAliveMemberObserves() {
        List<String> names = List.of("a", "b", "c");
        assertEquals(2, observersOf(viewOf(names), names, "a", 4));
    }

    @Test
    void aSuspectStillHasObserversAndObservesNoOne() {
        List<String> names = List.of("a", "b", "c", "d", "e", "f");
        MemberTable view = viewOf(names);
        view.merge(alive("c").withStatus(MemberStatus.SUSPECT));
        assertEquals(4, observersOf(view, names, "c", 4));
        assertFalse(Observers.observes(view, "c", "a", 5), "a suspect or dead member observes no one");
    }

    @Test
    void nodesWithTheSameViewAgreeWhateverOrderTheyLearntIt() {
        List<String> names = IntStream.range(0, 50).mapToObj(i -> "n" + i).toList();
        List<String> backwards = new ArrayList<>(names);
        Collections.reverse(backwards);
        MemberTable one = viewOf(names);
        MemberTable other = viewOf(backwards);
        for (String suspect : names) {
            for (String candidate : names) {
                assertEquals(Observers.observes(one, candidate, suspect, 4), Observers.observes(other, candidate, suspect, 4));
            }
        }
    }
}
