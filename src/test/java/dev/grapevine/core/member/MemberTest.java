package dev.grapevine.core.member;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemberTest {

    private static final Address ADDR = new Address("10.0.0.1", 7946);

    private static void assertRejected(Executable construction, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    () -> "message '" + e.getMessage() + "' should mention '" + fragment + "'");
        }
    }

    // ---- name ----

    @Test
    void emptyNameIsRejected() {
        assertRejected(() -> new Member("", ADDR, 0, 0, MemberStatus.ALIVE, null), "name", "empty");
    }

    @Test
    void nameIsLimitedTo128Utf8Bytes() {
        new Member("n".repeat(128), ADDR, 0, 0, MemberStatus.ALIVE, null);
        assertRejected(() -> new Member("n".repeat(129), ADDR, 0, 0, MemberStatus.ALIVE, null), "name", "128 bytes");
        // 64 two-byte characters are 128 bytes; 65 are 130 bytes although only 65 chars
        new Member("é".repeat(64), ADDR, 0, 0, MemberStatus.ALIVE, null);
        assertRejected(() -> new Member("é".repeat(65), ADDR, 0, 0, MemberStatus.ALIVE, null), "name", "128 bytes");
        // 32 four-byte code points (surrogate pairs) are 128 bytes
        new Member("😀".repeat(32), ADDR, 0, 0, MemberStatus.ALIVE, null);
        assertRejected(() -> new Member("😀".repeat(33), ADDR, 0, 0, MemberStatus.ALIVE, null), "128 bytes");
    }

    @Test
    void nullFieldsAreRejectedByName() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> new Member(null, ADDR, 0, 0, MemberStatus.ALIVE, null));
        assertEquals("name", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> new Member("n", null, 0, 0, MemberStatus.ALIVE, null));
        assertEquals("address", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> new Member("n", ADDR, 0, 0, null, null));
        assertEquals("status", e.getMessage());
    }

    // ---- epoch and incarnation ----

    @Test
    void negativeIncarnationOrEpochIsRejected() {
        assertRejected(() -> new Member("node-1", ADDR, 0, -1, MemberStatus.ALIVE, null),
                "incarnation", ">= 0", "-1", "node-1");
        assertRejected(() -> new Member("node-1", ADDR, -1, 0, MemberStatus.ALIVE, null),
                "epoch", ">= 0", "-1", "node-1");
        assertRejected(() -> Member.alive("node-1", ADDR, 0, 0, Map.of()).withIncarnation(-5), "incarnation", "-5");
    }

    // ---- tags ----

    @Test
    void tagsAreLimitedTo1024Bytes() {
        // key "k" (1 byte) + value
        Member ok = Member.alive("node-1", ADDR, 0, 0, Map.of("k", "v".repeat(1023)));
        assertEquals(1024, Member.tagsBytes(ok.tags()));
        assertRejected(() -> Member.alive("node-1", ADDR, 0, 0, Map.of("k", "v".repeat(1024))),
                "tags", "node-1", "1025 bytes", "1024");
        // bytes, not chars: 512 two-byte chars in the value are 1024 bytes + key = 1025
        assertRejected(() -> Member.alive("node-1", ADDR, 0, 0, Map.of("k", "é".repeat(512))), "1025 bytes");
        // the limit holds for every way of setting tags
        assertRejected(() -> ok.withTags(Map.of("k", "v".repeat(1023), "x", "y")), "1026 bytes");
    }

    @Test
    void nullTagKeysOrValuesAreRejected() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("role", null);
        assertThrows(NullPointerException.class, () -> Member.alive("n", ADDR, 0, 0, nullValue));
    }

    @Test
    void tagsAreACopyOfTheSourceTreeMap() {
        TreeMap<String, String> source = new TreeMap<>(Map.of("role", "db"));
        Member m = new Member("node-1", ADDR, 0, 0, MemberStatus.ALIVE, source);
        source.put("zone", "eu-1");
        source.put("role", "web");
        assertEquals(Map.of("role", "db"), m.tags());
    }

    @Test
    void tagsAreACopyOfTheSourceMapGivenToFactories() {
        Map<String, String> source = new HashMap<>(Map.of("role", "db"));
        Member m = Member.alive("node-1", ADDR, 0, 0, source);
        Member w = m.withTags(source);
        source.put("zone", "eu-1");
        assertEquals(Map.of("role", "db"), m.tags());
        assertEquals(Map.of("role", "db"), w.tags());
    }

    /**
     * A caller may hand over a read-only view of a map it keeps changing. The member must still copy it:
     * otherwise its tags change after construction, bypassing the size check and the precedence order.
     */
    @Test
    void tagsAreACopyEvenOfAnUnmodifiableViewOfTheSource() {
        TreeMap<String, String> source = new TreeMap<>(Map.of("role", "db"));
        SortedMap<String, String> view = Collections.unmodifiableSortedMap(source);
        Member m = new Member("node-1", ADDR, 0, 0, MemberStatus.ALIVE, view);
        source.put("zone", "eu-1");
        source.put("big", "x".repeat(2000));
        assertEquals(Set.of("role"), m.tags().keySet(), "tags changed after construction through the caller's view");
        assertEquals("db", m.tags().get("role"));
        assertTrue(Member.tagsBytes(m.tags()) <= Member.TAGS_BYTES_MAX, "tags grew past the limit after the check");
    }

    @Test
    void tagsCannotBeModifiedThroughTheMember() {
        Member withTags = Member.alive("node-1", ADDR, 0, 0, Map.of("role", "db"));
        Member noTags = Member.alive("node-2", ADDR, 0, 0, Map.of());
        Member nullTags = new Member("node-3", ADDR, 0, 0, MemberStatus.ALIVE, null);
        for (Member m : new Member[] {withTags, noTags, nullTags}) {
            assertAll(m.toString(),
                    () -> assertThrows(UnsupportedOperationException.class, () -> m.tags().put("zone", "eu-1")),
                    () -> assertThrows(UnsupportedOperationException.class, () -> m.tags().clear()),
                    () -> assertThrows(UnsupportedOperationException.class,
                            () -> m.tags().headMap("z").put("a", "b")));
        }
        assertThrows(UnsupportedOperationException.class, () -> withTags.tags().remove("role"));
        assertThrows(UnsupportedOperationException.class,
                () -> withTags.tags().entrySet().iterator().next().setValue("web"));
        assertEquals(Map.of("role", "db"), withTags.tags());
    }

    @Test
    void tagsAreSortedByKeyWhateverTheSourceOrder() {
        TreeMap<String, String> reversed = new TreeMap<>(Collections.reverseOrder());
        reversed.put("a", "1");
        reversed.put("b", "2");
        Member m = new Member("node-1", ADDR, 0, 0, MemberStatus.ALIVE, reversed);
        assertEquals("a", m.tags().firstKey());
        assertEquals(m, new Member("node-1", ADDR, 0, 0, MemberStatus.ALIVE, new TreeMap<>(Map.of("a", "1", "b", "2"))));
    }

    // ---- withers ----

    @Test
    void withStatusReturnsTheSameInstanceWhenUnchanged() {
        Member m = Member.alive("node-1", ADDR, 2, 3, Map.of("role", "db"));
        assertSame(m, m.withStatus(MemberStatus.ALIVE));
        Member suspect = m.withStatus(MemberStatus.SUSPECT);
        assertNotSame(m, suspect);
        assertEquals(MemberStatus.SUSPECT, suspect.status());
        assertEquals(new Member("node-1", ADDR, 2, 3, MemberStatus.SUSPECT, new TreeMap<>(Map.of("role", "db"))), suspect);
        assertSame(suspect, suspect.withStatus(MemberStatus.SUSPECT));
        assertEquals(m.tags(), suspect.tags(), "the tags are carried over");
    }

    // ---- Address ----

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65_536, Integer.MAX_VALUE})
    void portOutOfRangeIsRejected(int port) {
        assertRejected(() -> new Address("host", port), "port", "1..65535", String.valueOf(port));
    }

    @Test
    void portBoundsAreAccepted() {
        assertEquals(1, new Address("host", 1).port());
        assertEquals(65_535, new Address("host", 65_535).port());
    }

    @Test
    void emptyOrOverlongHostIsRejected() {
        assertRejected(() -> new Address("", 7946), "host", "empty");
        new Address("h".repeat(255), 7946);
        assertRejected(() -> new Address("h".repeat(256), 7946), "host", "255 bytes");
    }

    @Test
    void parseRejectsMalformedAddressesQuotingTheInput() {
        assertAll(
                () -> assertRejected(() -> Address.parse("host"), "HOST:PORT", "'host'"),
                () -> assertRejected(() -> Address.parse("host:"), "HOST:PORT", "'host:'"),
                () -> assertRejected(() -> Address.parse(":7946"), "HOST:PORT", "':7946'"),
                () -> assertRejected(() -> Address.parse("host:abc"), "numeric port", "'host:abc'"),
                () -> assertRejected(() -> Address.parse("host:0"), "port", "1..65535"),
                () -> assertRejected(() -> Address.parse("host:65536"), "port", "1..65535"));
    }

    @Test
    void parseReadsHostAndPort() {
        assertEquals(new Address("node-1.example.com", 7946), Address.parse("node-1.example.com:7946"));
        assertEquals(new Address("10.0.0.1", 1), Address.parse("10.0.0.1:1"));
    }

    @Test
    void parseReadsBracketedIpv6AndToStringRoundTrips() {
        Address a = Address.parse("[::1]:7946");
        assertEquals("::1", a.host());
        assertEquals(7946, a.port());
        assertEquals("[::1]:7946", a.toString());
        assertEquals(a, Address.parse(a.toString()));
        Address v4 = new Address("10.0.0.1", 7946);
        assertEquals("10.0.0.1:7946", v4.toString());
        assertEquals(v4, Address.parse(v4.toString()));
    }

    // ---- wire ids ----

    @Test
    void statusWireIdsAreFixedAndRoundTrip() {
        assertEquals(0, MemberStatus.ALIVE.wireId());
        assertEquals(1, MemberStatus.SUSPECT.wireId());
        assertEquals(2, MemberStatus.DEAD.wireId());
        assertEquals(3, MemberStatus.LEFT.wireId());
        for (MemberStatus s : MemberStatus.values()) {
            assertSame(s, MemberStatus.fromWireId(s.wireId()));
        }
        assertRejected(() -> MemberStatus.fromWireId(4), "unknown member status id 4");
        assertTrue(MemberStatus.ALIVE.isLive() && MemberStatus.SUSPECT.isLive());
        assertTrue(!MemberStatus.DEAD.isLive() && !MemberStatus.LEFT.isLive());
    }
}
