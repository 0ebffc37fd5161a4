package dev.grapevine.core.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/** Merge is a max under {@link Precedence}; a {@link MemberTable} is therefore a CRDT-like join of its updates. */
class MemberMergeProperties {

    private static final List<Address> ADDRESSES = List.of(
            new Address("10.0.0.1", 7946), new Address("10.0.0.2", 7946), new Address("10.0.0.1", 7947));

    private static final List<Map<String, String>> TAGS = List.of(
            Map.of(), Map.of("role", "db"), Map.of("role", "db", "zone", "eu-1"));

    private static Arbitrary<Member> membersNamed(Arbitrary<String> names) {
        return Combinators.combine(
                        names,
                        Arbitraries.longs().between(0, 3),
                        Arbitraries.longs().between(0, 3),
                        Arbitraries.of(MemberStatus.class),
                        Arbitraries.of(ADDRESSES),
                        Arbitraries.of(TAGS))
                .as((name, epoch, inc, status, address, tags) ->
                        new Member(name, address, epoch, inc, status, new TreeMap<>(tags)));
    }

    @Provide
    Arbitrary<Member> oneName() {
        return membersNamed(Arbitraries.just("node-1"));
    }

    @Provide
    Arbitrary<List<Member>> updates() {
        return membersNamed(Arbitraries.of("a", "b", "c", "d")).list().ofMinSize(0).ofMaxSize(40);
    }

    /** A list of updates and a permutation of it. */
    @Provide
    Arbitrary<Tuple2<List<Member>, List<Member>>> updatesAndPermutation() {
        return updates().flatMap(list -> Arbitraries.shuffle(list).map(perm -> Tuple.of(list, perm)));
    }

    // ---- Precedence.merge on one name ----

    @Property
    void mergeIsCommutative(@ForAll("oneName") Member a, @ForAll("oneName") Member b) {
        assertEquals(Precedence.merge(a, b), Precedence.merge(b, a));
    }

    @Property
    void mergeIsAssociative(@ForAll("oneName") Member a, @ForAll("oneName") Member b, @ForAll("oneName") Member c) {
        assertEquals(Precedence.merge(Precedence.merge(a, b), c), Precedence.merge(a, Precedence.merge(b, c)));
    }

    @Property
    void mergeIsIdempotent(@ForAll("oneName") Member a, @ForAll("oneName") Member b) {
        assertSame(a, Precedence.merge(a, a));
        Member ab = Precedence.merge(a, b);
        assertEquals(ab, Precedence.merge(ab, a));
        assertEquals(ab, Precedence.merge(ab, b));
    }

    @Property
    void mergeIsMonotone(@ForAll("oneName") Member a, @ForAll("oneName") Member b) {
        Member m = Precedence.merge(a, b);
        assertTrue(m == a || m == b, "merge picks one of its inputs");
        for (Member input : List.of(a, b)) {
            assertTrue(Precedence.compare(m, input) >= 0, m + " must override or equal " + input);
            assertFalse(Precedence.overrides(input, m), input + " must not override the merge " + m);
            assertTrue(m.epoch() > input.epoch()
                            || (m.epoch() == input.epoch() && m.incarnation() >= input.incarnation()),
                    "(epoch, incarnation) of " + m + " must be >= that of " + input);
        }
    }

    @Property
    void compareIsAntisymmetricAndZeroOnlyForEqualValues(@ForAll("oneName") Member a, @ForAll("oneName") Member b) {
        assertEquals(Integer.signum(Precedence.compare(a, b)), -Integer.signum(Precedence.compare(b, a)));
        assertEquals(a.equals(b), Precedence.compare(a, b) == 0);
    }

    // ---- MemberTable ----

    @Property
    void tableIsIndependentOfUpdateOrder(@ForAll("updatesAndPermutation") Tuple2<List<Member>, List<Member>> input) {
        List<Member> inOrder = input.get1();
        List<Member> shuffled = input.get2();

        // each table with its own name index: ids (and so snapshot order) follow first sight, contents must not
        MemberTable first = new MemberTable(new NameIndex());
        MemberTable second = new MemberTable(new NameIndex());
        inOrder.forEach(first::merge);
        shuffled.forEach(second::merge);
        assertEquals(byName(first), byName(second));

        // with a shared index (as in the simulator) the snapshots are identical lists
        NameIndex shared = new NameIndex();
        MemberTable third = new MemberTable(shared);
        MemberTable fourth = new MemberTable(shared);
        inOrder.forEach(third::merge);
        shuffled.forEach(fourth::merge);
        assertEquals(third.snapshot(), fourth.snapshot());
        assertEquals(first.knownCount(), second.knownCount());
        assertEquals(first.liveCount(), second.liveCount());

        // and the result is the merge of all updates per name
        Map<String, Member> expected = new LinkedHashMap<>();
        for (Member m : inOrder) {
            expected.merge(m.name(), m, Precedence::merge);
        }
        assertEquals(expected, byName(second));
    }

    @Property
    void countsMatchARecountAfterEveryUpdate(@ForAll("updates") List<Member> updates) {
        MemberTable table = new MemberTable(new NameIndex());
        assertCounts(table);
        for (Member m : updates) {
            Member before = table.get(m.name());
            boolean changed = table.merge(m);
            Member after = table.get(m.name());
            assertEquals(Precedence.overrides(m, before), changed, "merge's result for " + m + " over " + before);
            assertSame(changed ? m : before, after);
            assertCounts(table);
        }
    }

    @Property
    void incarnationNeverDecreasesWithinAnEpoch(@ForAll("updates") List<Member> updates) {
        MemberTable table = new MemberTable(new NameIndex());
        for (Member m : updates) {
            Map<String, Member> before = byName(table);
            table.merge(m);
            Map<String, Member> after = byName(table);
            for (Map.Entry<String, Member> e : before.entrySet()) {
                Member was = e.getValue();
                Member is = after.get(e.getKey());
                assertNotNull(is, "a member is never forgotten: " + was);
                assertTrue(is.epoch() >= was.epoch(), "epoch went back from " + was + " to " + is);
                if (is.epoch() == was.epoch()) {
                    assertTrue(is.incarnation() >= was.incarnation(), "incarnation went back from " + was + " to " + is);
                }
            }
        }
    }

    private static void assertCounts(MemberTable table) {
        List<Member> snapshot = table.snapshot();
        assertEquals(snapshot.size(), table.knownCount(), "knownCount vs snapshot " + snapshot);
        assertEquals(snapshot.stream().filter(m -> m.status().isLive()).count(), table.liveCount(),
                "liveCount vs snapshot " + snapshot);
        assertEquals(snapshot.stream().map(Member::name).distinct().count(), snapshot.size(), "one entry per name");
    }

    private static Map<String, Member> byName(MemberTable table) {
        Map<String, Member> all = new LinkedHashMap<>();
        for (Member m : table.snapshot()) {
            all.put(m.name(), m);
        }
        return all;
    }
}
