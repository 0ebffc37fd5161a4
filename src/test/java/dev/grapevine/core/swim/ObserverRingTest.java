package dev.grapevine.core.swim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ObserverRingTest {
    private static ObserverRing ringOf(List<String> names) {
        ObserverRing ring = new ObserverRing();
        names.forEach(n -> ring.set(n, true));
        return ring;
    }

    private static long observersOf(ObserverRing ring, List<String> names, String suspect, int k) {
        return names.stream().filter(n -> ring.observes(n, suspect, k)).count();
    }

    @Test
    void everySuspectHasExactlyKObserversNeverItself() {
        List<String> names = IntStream.range(0, 200).mapToObj(i -> "node-" + i).toList();
        ObserverRing ring = ringOf(names);
        for (String suspect : names) {
            assertEquals(4, observersOf(ring, names, suspect, 4), suspect);
            assertFalse(ring.observes(suspect, suspect, 4));
        }
    }

    @Test
    void withFewerMembersThanKEveryOtherMemberObserves() {
        List<String> names = List.of("a", "b", "c");
        ObserverRing ring = ringOf(names);
        assertEquals(2, observersOf(ring, names, "a", 4));
    }

    @Test
    void aSuspectOffTheRingStillHasObservers() {
        List<String> names = List.of("a", "b", "c", "d", "e", "f");
        ObserverRing ring = ringOf(names);
        ring.set("c", false);
        assertEquals(4, observersOf(ring, names, "c", 4));
        assertFalse(ring.observes("c", "a", 5), "a member off the ring observes no one");
    }

    @Test
    void nodesWithTheSameViewAgree() {
        List<String> names = IntStream.range(0, 50).mapToObj(i -> "n" + i).toList();
        ObserverRing one = ringOf(names);
        List<String> backwards = new java.util.ArrayList<>(names);
        java.util.Collections.reverse(backwards);
        ObserverRing other = ringOf(backwards);
        for (String suspect : names) {
            for (String candidate : names) {
                assertEquals(one.observes(candidate, suspect, 4), other.observes(candidate, suspect, 4));
            }
        }
        assertEquals(50, one.size());
    }
}
