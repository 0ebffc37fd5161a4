package dev.grapevine.core.member;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The sum a table keeps of its records' hashes, and the values it derives from its content. */
class MemberTableDigestTest {
    private static final Address A = new Address("10.0.0.1", 7946);
    private static final Address B = new Address("10.0.0.2", 7946);

    private static long walked(MemberTable t) {
        long[] sum = {0};
        t.forEach(m -> sum[0] += MemberDigest.of(m));
        return sum[0];
    }

    @Test
    void recordsDigestIsTheSumOverTheRecordsHeldAfterEveryChange() {
        MemberTable t = new MemberTable(new NameIndex());
        assertEquals(0, t.recordsDigest());
        Member a = Member.alive("a", A, 1, 0, Map.of("role", "web"));
        t.merge(a);
        t.merge(Member.alive("b", B, 1, 0, Map.of()));
        assertEquals(walked(t), t.recordsDigest());
        t.merge(a.withStatus(MemberStatus.SUSPECT));
        assertEquals(walked(t), t.recordsDigest(), "a record replaced");
        long before = t.recordsDigest();
        t.merge(a); // older news: refused
        assertEquals(before, t.recordsDigest());
        t.merge(a.withIncarnation(1).withStatus(MemberStatus.DEAD));
        assertEquals(walked(t), t.recordsDigest(), "a death");
        t.remove("a");
        assertEquals(walked(t), t.recordsDigest(), "reaped");
        MemberTable copy = new MemberTable(t.names());
        copy.copyFrom(t);
        assertEquals(t.recordsDigest(), copy.recordsDigest());
    }

    @Test
    void aTagChangesTheDigest() {
        MemberTable t = new MemberTable(new NameIndex());
        Member a = Member.alive("a", A, 1, 0, Map.of("role", "web"));
        t.merge(a);
        long before = t.recordsDigest();
        t.merge(a.withIncarnation(1).withTags(Map.of("role", "db")));
        assertEquals(walked(t), t.recordsDigest());
        org.junit.jupiter.api.Assertions.assertNotEquals(before, t.recordsDigest());
    }

    @Test
    void aDerivedValueIsWorkedOutOncePerContentAndSharedWithACopy() {
        int[] runs = {0};
        Function<MemberTable, Set<String>> names = table -> {
            runs[0]++;
            Set<String> out = new java.util.TreeSet<>();
            table.forEach(m -> out.add(m.name()));
            return Set.copyOf(out);
        };
        MemberTable t = new MemberTable(new NameIndex());
        t.merge(Member.alive("a", A, 1, 0, Map.of()));
        Set<String> first = t.derived(names);
        assertSame(first, t.derived(names));
        MemberTable copy = new MemberTable(t.names());
        copy.copyFrom(t);
        assertSame(first, copy.derived(names), "a copy holds the same content");
        assertEquals(1, runs[0]);
        t.merge(Member.alive("b", B, 1, 0, Map.of()));
        assertEquals(Set.of("a", "b"), t.derived(names));
        assertEquals(Set.of("a"), copy.derived(names), "the copy did not change");
        assertNotSame(first, t.derived(names));
        assertEquals(2, runs[0]);
    }
}
