package dev.grapevine.core.swim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProbeOrderTest {
    private static final IntPredicate ANY = id -> true;

    private final ProbeOrder order = new ProbeOrder();
    private final SplittableRandom rng = new SplittableRandom(42);
    private int refills;

    /** A refill that supplies ids 0 .. n-1 and counts passes. */
    private ProbeOrder.Refill ids(int n) {
        return o -> {
            refills++;
            for (int id = 0; id < n; id++) {
                o.add(id);
            }
        };
    }

    private List<Integer> pass(int n, IntPredicate probeable, ProbeOrder.Refill refill) {
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            got.add(order.next(probeable, refill, rng));
        }
        return got;
    }

    private static Set<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toSet());
    }

    @Test
    void eachPassYieldsEveryIdExactlyOnce() {
        ProbeOrder.Refill refill = ids(20);
        for (int p = 1; p <= 3; p++) {
            List<Integer> got = pass(20, ANY, refill);
            assertEquals(range(20), new HashSet<>(got), "pass " + p);
            assertEquals(20, got.size());
            assertEquals(p, refills, "one refill per pass");
        }
    }

    @Test
    void memberInsertedMidPassIsReturnedLaterInTheSamePass() {
        ProbeOrder.Refill refill = ids(20);
        List<Integer> first = pass(5, ANY, refill);

        order.insert(99);
        List<Integer> rest = pass(16, ANY, refill);

        assertEquals(1, refills, "still the first pass");
        Set<Integer> expected = range(20);
        first.forEach(expected::remove);
        expected.add(99);
        assertEquals(expected, new HashSet<>(rest));
        Set<Integer> wholePass = new HashSet<>(first);
        wholePass.addAll(rest);
        assertEquals(21, wholePass.size(), "no id twice in the pass");
    }

    @Test
    void idsFailingThePredicateAreSkipped() {
        IntPredicate odd = id -> id % 2 == 1;
        ProbeOrder.Refill refill = ids(20);

        List<Integer> got = pass(10, odd, refill);

        assertEquals(Set.of(1, 3, 5, 7, 9, 11, 13, 15, 17, 19), new HashSet<>(got));
        assertEquals(1, refills);
        assertTrue(order.next(odd, refill, rng) % 2 == 1, "the next pass too");
        assertEquals(2, refills);
    }

    @Test
    void emptyRefillReturnsMinusOne() {
        assertEquals(-1, order.next(ANY, ids(0), rng));
    }

    @Test
    void nothingProbeableReturnsMinusOne() {
        assertEquals(-1, order.next(id -> false, ids(5), rng));
    }

    @Test
    void orderDiffersBetweenPasses() {
        ProbeOrder.Refill refill = ids(20);

        List<Integer> first = pass(20, ANY, refill);
        List<Integer> second = pass(20, ANY, refill);

        assertEquals(new HashSet<>(first), new HashSet<>(second));
        assertNotEquals(first, second, "a new permutation each pass");
    }

    @Test
    void orderIsDeterministicForASeed() {
        ProbeOrder other = new ProbeOrder();
        SplittableRandom otherRng = new SplittableRandom(42);
        ProbeOrder.Refill refill = ids(20);

        List<Integer> mine = pass(40, ANY, refill);
        List<Integer> theirs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            theirs.add(other.next(ANY, refill, otherRng));
        }

        assertEquals(mine, theirs);
    }
}
