package dev.grapevine.core.member;

import static dev.grapevine.core.member.MemberStatus.ALIVE;
import static dev.grapevine.core.member.MemberStatus.DEAD;
import static dev.grapevine.core.member.MemberStatus.LEFT;
import static dev.grapevine.core.member.MemberStatus.SUSPECT;
import static dev.grapevine.core.member.PrecedenceTableTest.Epoch.E_EQUAL;
import static dev.grapevine.core.member.PrecedenceTableTest.Epoch.E_HIGHER;
import static dev.grapevine.core.member.PrecedenceTableTest.Epoch.E_LOWER;
import static dev.grapevine.core.member.PrecedenceTableTest.Inc.I_EQUAL;
import static dev.grapevine.core.member.PrecedenceTableTest.Inc.I_HIGHER;
import static dev.grapevine.core.member.PrecedenceTableTest.Inc.I_LOWER;
import static dev.grapevine.core.member.PrecedenceTableTest.Winner.A;
import static dev.grapevine.core.member.PrecedenceTableTest.Winner.B;
import static dev.grapevine.core.member.PrecedenceTableTest.Winner.TIE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every (status of a) × (status of b) × (a's incarnation relative to b's) × (a's epoch relative to b's),
 * with the winner written out by hand: 4 · 4 · 3 · 3 = 144 rows.
 */
class PrecedenceTableTest {

    enum Inc { I_LOWER, I_EQUAL, I_HIGHER }

    enum Epoch { E_LOWER, E_EQUAL, E_HIGHER }

    enum Winner { A, B, TIE }

    private static final Address ADDR = new Address("10.0.0.1", 7946);
    private static final Map<String, String> TAGS = Map.of("role", "db");

    /** b is always epoch 2, incarnation 5; a's values are picked so "lower" and "higher" are far apart. */
    private static final long B_EPOCH = 2;
    private static final long B_INC = 5;

    private static long aEpoch(Epoch e) {
        return switch (e) {
            case E_LOWER -> 1;
            case E_EQUAL -> 2;
            case E_HIGHER -> 3;
        };
    }

    private static long aInc(Inc i) {
        return switch (i) {
            case I_LOWER -> 0;
            case I_EQUAL -> 5;
            case I_HIGHER -> 9;
        };
    }

    private static Member member(long epoch, long inc, MemberStatus status) {
        return new Member("node-1", ADDR, epoch, inc, status, new TreeMap<>(TAGS));
    }

    private static Arguments row(MemberStatus a, MemberStatus b, Inc inc, Epoch epoch, Winner winner) {
        return Arguments.of(a, b, inc, epoch, winner);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // epoch higher: a wins whatever the incarnation and status
                row(ALIVE,   ALIVE,   I_LOWER,   E_HIGHER,    A),
                row(ALIVE,   SUSPECT, I_LOWER,   E_HIGHER,    A),
                row(ALIVE,   DEAD,    I_LOWER,   E_HIGHER,    A),
                row(ALIVE,   LEFT,    I_LOWER,   E_HIGHER,    A),
                row(SUSPECT, ALIVE,   I_LOWER,   E_HIGHER,    A),
                row(SUSPECT, SUSPECT, I_LOWER,   E_HIGHER,    A),
                row(SUSPECT, DEAD,    I_LOWER,   E_HIGHER,    A),
                row(SUSPECT, LEFT,    I_LOWER,   E_HIGHER,    A),
                row(DEAD,    ALIVE,   I_LOWER,   E_HIGHER,    A),
                row(DEAD,    SUSPECT, I_LOWER,   E_HIGHER,    A),
                row(DEAD,    DEAD,    I_LOWER,   E_HIGHER,    A),
                row(DEAD,    LEFT,    I_LOWER,   E_HIGHER,    A),
                row(LEFT,    ALIVE,   I_LOWER,   E_HIGHER,    A),
                row(LEFT,    SUSPECT, I_LOWER,   E_HIGHER,    A),
                row(LEFT,    DEAD,    I_LOWER,   E_HIGHER,    A),
                row(LEFT,    LEFT,    I_LOWER,   E_HIGHER,    A),
                row(ALIVE,   ALIVE,   I_EQUAL,   E_HIGHER,    A),
                row(ALIVE,   SUSPECT, I_EQUAL,   E_HIGHER,    A),
                row(ALIVE,   DEAD,    I_EQUAL,   E_HIGHER,    A),
                row(ALIVE,   LEFT,    I_EQUAL,   E_HIGHER,    A),
                row(SUSPECT, ALIVE,   I_EQUAL,   E_HIGHER,    A),
                row(SUSPECT, SUSPECT, I_EQUAL,   E_HIGHER,    A),
                row(SUSPECT, DEAD,    I_EQUAL,   E_HIGHER,    A),
                row(SUSPECT, LEFT,    I_EQUAL,   E_HIGHER,    A),
                row(DEAD,    ALIVE,   I_EQUAL,   E_HIGHER,    A),
                row(DEAD,    SUSPECT, I_EQUAL,   E_HIGHER,    A),
                row(DEAD,    DEAD,    I_EQUAL,   E_HIGHER,    A),
                row(DEAD,    LEFT,    I_EQUAL,   E_HIGHER,    A),
                row(LEFT,    ALIVE,   I_EQUAL,   E_HIGHER,    A),
                row(LEFT,    SUSPECT, I_EQUAL,   E_HIGHER,    A),
                row(LEFT,    DEAD,    I_EQUAL,   E_HIGHER,    A),
                row(LEFT,    LEFT,    I_EQUAL,   E_HIGHER,    A),
                row(ALIVE,   ALIVE,   I_HIGHER,  E_HIGHER,    A),
                row(ALIVE,   SUSPECT, I_HIGHER,  E_HIGHER,    A),
                row(ALIVE,   DEAD,    I_HIGHER,  E_HIGHER,    A),
                row(ALIVE,   LEFT,    I_HIGHER,  E_HIGHER,    A),
                row(SUSPECT, ALIVE,   I_HIGHER,  E_HIGHER,    A),
                row(SUSPECT, SUSPECT, I_HIGHER,  E_HIGHER,    A),
                row(SUSPECT, DEAD,    I_HIGHER,  E_HIGHER,    A),
                row(SUSPECT, LEFT,    I_HIGHER,  E_HIGHER,    A),
                row(DEAD,    ALIVE,   I_HIGHER,  E_HIGHER,    A),
                row(DEAD,    SUSPECT, I_HIGHER,  E_HIGHER,    A),
                row(DEAD,    DEAD,    I_HIGHER,  E_HIGHER,    A),
                row(DEAD,    LEFT,    I_HIGHER,  E_HIGHER,    A),
                row(LEFT,    ALIVE,   I_HIGHER,  E_HIGHER,    A),
                row(LEFT,    SUSPECT, I_HIGHER,  E_HIGHER,    A),
                row(LEFT,    DEAD,    I_HIGHER,  E_HIGHER,    A),
                row(LEFT,    LEFT,    I_HIGHER,  E_HIGHER,    A),
                // epoch lower: b wins whatever the incarnation and status
                row(ALIVE,   ALIVE,   I_LOWER,   E_LOWER,     B),
                row(ALIVE,   SUSPECT, I_LOWER,   E_LOWER,     B),
                row(ALIVE,   DEAD,    I_LOWER,   E_LOWER,     B),
                row(ALIVE,   LEFT,    I_LOWER,   E_LOWER,     B),
                row(SUSPECT, ALIVE,   I_LOWER,   E_LOWER,     B),
                row(SUSPECT, SUSPECT, I_LOWER,   E_LOWER,     B),
                row(SUSPECT, DEAD,    I_LOWER,   E_LOWER,     B),
                row(SUSPECT, LEFT,    I_LOWER,   E_LOWER,     B),
                row(DEAD,    ALIVE,   I_LOWER,   E_LOWER,     B),
                row(DEAD,    SUSPECT, I_LOWER,   E_LOWER,     B),
                row(DEAD,    DEAD,    I_LOWER,   E_LOWER,     B),
                row(DEAD,    LEFT,    I_LOWER,   E_LOWER,     B),
                row(LEFT,    ALIVE,   I_LOWER,   E_LOWER,     B),
                row(LEFT,    SUSPECT, I_LOWER,   E_LOWER,     B),
                row(LEFT,    DEAD,    I_LOWER,   E_LOWER,     B),
                row(LEFT,    LEFT,    I_LOWER,   E_LOWER,     B),
                row(ALIVE,   ALIVE,   I_EQUAL,   E_LOWER,     B),
                row(ALIVE,   SUSPECT, I_EQUAL,   E_LOWER,     B),
                row(ALIVE,   DEAD,    I_EQUAL,   E_LOWER,     B),
                row(ALIVE,   LEFT,    I_EQUAL,   E_LOWER,     B),
                row(SUSPECT, ALIVE,   I_EQUAL,   E_LOWER,     B),
                row(SUSPECT, SUSPECT, I_EQUAL,   E_LOWER,     B),
                row(SUSPECT, DEAD,    I_EQUAL,   E_LOWER,     B),
                row(SUSPECT, LEFT,    I_EQUAL,   E_LOWER,     B),
                row(DEAD,    ALIVE,   I_EQUAL,   E_LOWER,     B),
                row(DEAD,    SUSPECT, I_EQUAL,   E_LOWER,     B),
                row(DEAD,    DEAD,    I_EQUAL,   E_LOWER,     B),
                row(DEAD,    LEFT,    I_EQUAL,   E_LOWER,     B),
                row(LEFT,    ALIVE,   I_EQUAL,   E_LOWER,     B),
                row(LEFT,    SUSPECT, I_EQUAL,   E_LOWER,     B),
                row(LEFT,    DEAD,    I_EQUAL,   E_LOWER,     B),
                row(LEFT,    LEFT,    I_EQUAL,   E_LOWER,     B),
                row(ALIVE,   ALIVE,   I_HIGHER,  E_LOWER,     B),
                row(ALIVE,   SUSPECT, I_HIGHER,  E_LOWER,     B),
                row(ALIVE,   DEAD,    I_HIGHER,  E_LOWER,     B),
                row(ALIVE,   LEFT,    I_HIGHER,  E_LOWER,     B),
                row(SUSPECT, ALIVE,   I_HIGHER,  E_LOWER,     B),
                row(SUSPECT, SUSPECT, I_HIGHER,  E_LOWER,     B),
                row(SUSPECT, DEAD,    I_HIGHER,  E_LOWER,     B),
                row(SUSPECT, LEFT,    I_HIGHER,  E_LOWER,     B),
                row(DEAD,    ALIVE,   I_HIGHER,  E_LOWER,     B),
                row(DEAD,    SUSPECT, I_HIGHER,  E_LOWER,     B),
                row(DEAD,    DEAD,    I_HIGHER,  E_LOWER,     B),
                row(DEAD,    LEFT,    I_HIGHER,  E_LOWER,     B),
                row(LEFT,    ALIVE,   I_HIGHER,  E_LOWER,     B),
                row(LEFT,    SUSPECT, I_HIGHER,  E_LOWER,     B),
                row(LEFT,    DEAD,    I_HIGHER,  E_LOWER,     B),
                row(LEFT,    LEFT,    I_HIGHER,  E_LOWER,     B),
                // same epoch, incarnation decides
                row(ALIVE,   ALIVE,   I_HIGHER,  E_EQUAL,     A),
                row(ALIVE,   SUSPECT, I_HIGHER,  E_EQUAL,     A),
                row(ALIVE,   DEAD,    I_HIGHER,  E_EQUAL,     A),
                row(ALIVE,   LEFT,    I_HIGHER,  E_EQUAL,     A),
                row(SUSPECT, ALIVE,   I_HIGHER,  E_EQUAL,     A),
                row(SUSPECT, SUSPECT, I_HIGHER,  E_EQUAL,     A),
                row(SUSPECT, DEAD,    I_HIGHER,  E_EQUAL,     A),
                row(SUSPECT, LEFT,    I_HIGHER,  E_EQUAL,     A),
                row(DEAD,    ALIVE,   I_HIGHER,  E_EQUAL,     A),
                row(DEAD,    SUSPECT, I_HIGHER,  E_EQUAL,     A),
                row(DEAD,    DEAD,    I_HIGHER,  E_EQUAL,     A),
                row(DEAD,    LEFT,    I_HIGHER,  E_EQUAL,     A),
                row(LEFT,    ALIVE,   I_HIGHER,  E_EQUAL,     A),
                row(LEFT,    SUSPECT, I_HIGHER,  E_EQUAL,     A),
                row(LEFT,    DEAD,    I_HIGHER,  E_EQUAL,     A),
                row(LEFT,    LEFT,    I_HIGHER,  E_EQUAL,     A),
                row(ALIVE,   ALIVE,   I_LOWER,   E_EQUAL,     B),
                row(ALIVE,   SUSPECT, I_LOWER,   E_EQUAL,     B),
                row(ALIVE,   DEAD,    I_LOWER,   E_EQUAL,     B),
                row(ALIVE,   LEFT,    I_LOWER,   E_EQUAL,     B),
                row(SUSPECT, ALIVE,   I_LOWER,   E_EQUAL,     B),
                row(SUSPECT, SUSPECT, I_LOWER,   E_EQUAL,     B),
                row(SUSPECT, DEAD,    I_LOWER,   E_EQUAL,     B),
                row(SUSPECT, LEFT,    I_LOWER,   E_EQUAL,     B),
                row(DEAD,    ALIVE,   I_LOWER,   E_EQUAL,     B),
                row(DEAD,    SUSPECT, I_LOWER,   E_EQUAL,     B),
                row(DEAD,    DEAD,    I_LOWER,   E_EQUAL,     B),
                row(DEAD,    LEFT,    I_LOWER,   E_EQUAL,     B),
                row(LEFT,    ALIVE,   I_LOWER,   E_EQUAL,     B),
                row(LEFT,    SUSPECT, I_LOWER,   E_EQUAL,     B),
                row(LEFT,    DEAD,    I_LOWER,   E_EQUAL,     B),
                row(LEFT,    LEFT,    I_LOWER,   E_EQUAL,     B),
                // same epoch and incarnation: ALIVE < SUSPECT < DEAD < LEFT
                row(ALIVE,   ALIVE,   I_EQUAL,   E_EQUAL,     TIE),
                row(ALIVE,   SUSPECT, I_EQUAL,   E_EQUAL,     B),
                row(ALIVE,   DEAD,    I_EQUAL,   E_EQUAL,     B),
                row(ALIVE,   LEFT,    I_EQUAL,   E_EQUAL,     B),
                row(SUSPECT, ALIVE,   I_EQUAL,   E_EQUAL,     A),
                row(SUSPECT, SUSPECT, I_EQUAL,   E_EQUAL,     TIE),
                row(SUSPECT, DEAD,    I_EQUAL,   E_EQUAL,     B),
                row(SUSPECT, LEFT,    I_EQUAL,   E_EQUAL,     B),
                row(DEAD,    ALIVE,   I_EQUAL,   E_EQUAL,     A),
                row(DEAD,    SUSPECT, I_EQUAL,   E_EQUAL,     A),
                row(DEAD,    DEAD,    I_EQUAL,   E_EQUAL,     TIE),
                row(DEAD,    LEFT,    I_EQUAL,   E_EQUAL,     B),
                row(LEFT,    ALIVE,   I_EQUAL,   E_EQUAL,     A),
                row(LEFT,    SUSPECT, I_EQUAL,   E_EQUAL,     A),
                row(LEFT,    DEAD,    I_EQUAL,   E_EQUAL,     A),
                row(LEFT,    LEFT,    I_EQUAL,   E_EQUAL,     TIE)
        );
    }

    @Test
    void tableHasEveryCombinationExactlyOnce() {
        assertEquals(4 * 4 * 3 * 3, table().count());
        assertEquals(4 * 4 * 3 * 3, table().map(r -> java.util.List.of(r.get()[0], r.get()[1], r.get()[2], r.get()[3]))
                .distinct().count());
    }

    @ParameterizedTest(name = "a={0} b={1} a.inc {2} a.epoch {3} -> {4}")
    @MethodSource("table")
    void winnerFollowsEpochThenIncarnationThenStatus(MemberStatus aStatus, MemberStatus bStatus, Inc inc, Epoch epoch,
                                                      Winner winner) {
        Member a = member(aEpoch(epoch), aInc(inc), aStatus);
        Member b = member(B_EPOCH, B_INC, bStatus);
        int ab = Integer.signum(Precedence.compare(a, b));
        int ba = Integer.signum(Precedence.compare(b, a));
        int expected = switch (winner) {
            case A -> 1;
            case B -> -1;
            case TIE -> 0;
        };
        Member expectedMerge = winner == B ? b : a; // on a tie a and b are equal values
        assertAll(
                () -> assertEquals(expected, ab, "sign of compare(a, b)"),
                () -> assertEquals(-expected, ba, "sign of compare(b, a)"),
                () -> assertEquals(winner == A, Precedence.overrides(a, b), "overrides(a, b)"),
                () -> assertEquals(winner == B, Precedence.overrides(b, a), "overrides(b, a)"),
                () -> assertEquals(expectedMerge, Precedence.merge(a, b), "merge(a, b)"),
                () -> assertEquals(expectedMerge, Precedence.merge(b, a), "merge(b, a)"),
                () -> assertEquals(winner == TIE, a.equals(b), "a tie only between equal values"));
    }

    @Test
    void comparingDifferentNamesIsRejected() {
        Member x = member(1, 1, ALIVE);
        Member y = new Member("node-2", ADDR, 1, 1, ALIVE, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precedence.compare(x, y));
        assertTrue(e.getMessage().contains("node-1") && e.getMessage().contains("node-2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Precedence.overrides(x, y));
        assertThrows(IllegalArgumentException.class, () -> Precedence.merge(x, y));
        assertThrows(IllegalArgumentException.class, () -> Precedence.ORDER.compare(y, x));
    }

    @Test
    void anythingOverridesNothing() {
        for (MemberStatus s : MemberStatus.values()) {
            Member x = member(0, 0, s);
            assertTrue(Precedence.overrides(x, null), s.toString());
            assertSame(x, Precedence.merge(x, null));
            assertSame(x, Precedence.merge(null, x));
        }
        assertNull(Precedence.merge(null, null));
    }

    @Test
    void mergeIsSymmetricWhenOnlyAddressOrTagsDiffer() {
        Member base = member(2, 5, ALIVE);
        Member otherAddress = new Member("node-1", new Address("10.0.0.2", 7946), 2, 5, ALIVE, new TreeMap<>(TAGS));
        Member otherPort = new Member("node-1", new Address("10.0.0.1", 7947), 2, 5, ALIVE, new TreeMap<>(TAGS));
        Member otherTags = base.withTags(Map.of("role", "web"));
        Member moreTags = base.withTags(Map.of("role", "db", "zone", "a"));
        Member noTags = base.withTags(Map.of());
        Member[] all = {base, otherAddress, otherPort, otherTags, moreTags, noTags};
        for (Member x : all) {
            for (Member y : all) {
                assertEquals(Precedence.merge(x, y), Precedence.merge(y, x), x + " vs " + y);
                assertEquals(x.equals(y), Precedence.compare(x, y) == 0, x + " vs " + y);
                assertEquals(Integer.signum(Precedence.compare(x, y)), -Integer.signum(Precedence.compare(y, x)));
            }
        }
    }

    @Test
    void restartedNodeOverridesItsDeadAndLeftPredecessor() {
        Member deadOld = new Member("node-1", new Address("10.0.0.1", 7946), 1, 9, DEAD, null);
        Member leftOld = new Member("node-1", new Address("10.0.0.1", 7946), 1, 9, LEFT, null);
        Member restarted = Member.alive("node-1", new Address("10.0.0.7", 7946), 2, 0, Map.of());
        assertAll(
                () -> assertTrue(Precedence.overrides(restarted, deadOld), "restart beats DEAD at incarnation 9"),
                () -> assertFalse(Precedence.overrides(deadOld, restarted), "old DEAD must not beat the restart"),
                () -> assertTrue(Precedence.overrides(restarted, leftOld), "restart beats LEFT at incarnation 9"),
                () -> assertFalse(Precedence.overrides(leftOld, restarted), "old LEFT must not beat the restart"),
                () -> assertSame(restarted, Precedence.merge(deadOld, restarted)),
                () -> assertSame(restarted, Precedence.merge(restarted, leftOld)));

        // and through a table: the late news about the old process is ignored
        MemberTable table = new MemberTable(new NameIndex());
        assertTrue(table.merge(deadOld));
        assertTrue(table.merge(restarted));
        assertFalse(table.merge(deadOld));
        assertFalse(table.merge(leftOld));
        assertSame(restarted, table.get("node-1"));
        assertEquals(1, table.liveCount());
        assertEquals(1, table.knownCount());
    }
}
