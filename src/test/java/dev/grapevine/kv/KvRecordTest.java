package dev.grapevine.kv;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvRecordTest {
    /** digest() of put(100, "n1", "abc"), computed independently (Python) from the documented recipe. */
    private static final long GOLDEN = 0x73454be11424b5cfL;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Each row: a, b, whether a supersedes b. Every row is also checked the other way round. */
    @Test
    void supersedesIsLastWriteWinsWithTotalTieBreaks() {
        KvRecord v = KvRecord.put(10, "n1", bytes("x"));
        Object[][] table = {
                {KvRecord.put(11, "n1", bytes("x")), v, true},           // higher hlc wins
                {KvRecord.put(11, "a", bytes("x")), v, true},            // ... whatever the writer
                {KvRecord.delete(9, "z"), v, false},                     // ... and over a later tombstone
                {KvRecord.put(10, "n2", bytes("x")), v, true},           // hlc tie: larger writer wins
                {KvRecord.put(10, "n0", bytes("zzz")), v, false},
                {KvRecord.delete(10, "n1"), v, true},                    // hlc and writer tie: tombstone wins
                {KvRecord.put(10, "n1", bytes("y")), v, true},           // all else tied: larger value wins
                {KvRecord.put(10, "n1", new byte[] {(byte) 0x80}), v, true}, // unsigned: 0x80 > 'x'
                {KvRecord.put(10, "n1", bytes("x")), v, false},          // identical: neither
                {KvRecord.delete(10, "n1"), KvRecord.delete(10, "n1"), false},
        };
        for (Object[] row : table) {
            KvRecord a = (KvRecord) row[0];
            KvRecord b = (KvRecord) row[1];
            boolean expected = (boolean) row[2];
            assertEquals(expected, a.supersedes(b), a + " supersedes " + b);
            if (expected) {
                assertFalse(b.supersedes(a), b + " must not also supersede " + a);
            } else if (!a.equals(b)) {
                assertTrue(b.supersedes(a), "exactly one of two different records wins: " + a + ", " + b);
            }
        }
    }

    @Test
    void encodeDecodeRoundTrips() {
        List<KvRecord> records = List.of(
                KvRecord.put(Hlc.of(1_700_000_000_000L, 3), "node-1", bytes("hello")),
                KvRecord.put(0, "n", new byte[0]),                       // empty value, not a delete
                KvRecord.delete(Long.MAX_VALUE, "ünïcødé-writer"),
                KvRecord.put(42, "w".repeat(KvRecord.WRITER_BYTES_MAX), new byte[KvRecord.VALUE_BYTES_MAX]));
        for (KvRecord r : records) {
            byte[] encoded = r.encode();
            assertEquals(KvRecord.FORMAT_V1, encoded[0]);
            KvRecord back = KvRecord.decode(encoded);
            assertEquals(r, back);
            assertEquals(r.hashCode(), back.hashCode());
            assertEquals(r.digest(), back.digest());
            assertArrayEquals(encoded, back.encode());
        }
        assertFalse(KvRecord.decode(records.get(1).encode()).tombstone());
        assertTrue(KvRecord.decode(records.get(2).encode()).tombstone());
    }

    @Test
    void decodeRefusesTruncatedAndGarbageInputWithAMessage() {
        byte[] good = KvRecord.put(5, "node", bytes("value")).encode();
        for (int length = 0; length < good.length; length++) {
            byte[] truncated = Arrays.copyOf(good, length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KvRecord.decode(truncated));
            assertTrue(e.getMessage().startsWith("not a KvRecord"), e.getMessage());
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertMessage(trailing, "1 trailing bytes");
        byte[] badFormat = good.clone();
        badFormat[0] = 99;
        assertMessage(badFormat, "expected format 1, but found 99");
        byte[] badFlags = good.clone();
        badFlags[9] = 4;
        assertMessage(badFlags, "unknown flags 0x4");
        byte[] tombstoneWithValue = good.clone();
        tombstoneWithValue[9] = 1;
        assertMessage(tombstoneWithValue, "a tombstone has an empty value");
        byte[] negativeHlc = good.clone();
        negativeHlc[1] = (byte) 0x80;
        assertMessage(negativeHlc, "hlc must be >= 0");
        byte[] badUtf8 = good.clone();
        badUtf8[11] = (byte) 0xff;
        assertMessage(badUtf8, "writer is not valid UTF-8");
        assertMessage(bytes("this is not a record at all"), "expected format 1");
        assertThrows(IllegalArgumentException.class, () -> KvRecord.decode(null));
    }

    private static void assertMessage(byte[] input, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KvRecord.decode(input));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void digestChangesWithEveryField() {
        KvRecord base = KvRecord.put(100, "n1", bytes("abc"));
        List<KvRecord> variants = List.of(base,
                KvRecord.put(101, "n1", bytes("abc")),
                KvRecord.put(100, "n2", bytes("abc")),
                KvRecord.put(100, "n1", bytes("abd")),
                KvRecord.put(100, "n1", bytes("ab")),
                KvRecord.put(100, "n1", new byte[0]),
                KvRecord.delete(100, "n1"),
                KvRecord.put(100, "n1a", bytes("bc"))); // same bytes, moved across the field boundary
        Set<Long> digests = new HashSet<>();
        for (KvRecord r : variants) {
            assertTrue(digests.add(r.digest()), "digest collision for " + r);
        }
        assertEquals(base.digest(), KvRecord.put(100, "n1", bytes("abc")).digest());
        // Pinned: replicas of different versions compare digests, so a change here is a wire change.
        assertEquals(GOLDEN, base.digest());
    }

    @Test
    void isImmutableAndComparesValuesByContent() {
        byte[] value = bytes("abc");
        KvRecord r = KvRecord.put(1, "n", value);
        value[0] = 'z';
        assertArrayEquals(bytes("abc"), r.value());
        r.value()[0] = 'z';
        assertArrayEquals(bytes("abc"), r.value());
        assertEquals(r, KvRecord.put(1, "n", bytes("abc")));
        assertNotEquals(r, KvRecord.put(1, "n", bytes("abd")));
        assertEquals("KvRecord[1970-01-01T00:00:00Z#1 by n, 3 bytes]", r.toString());
    }

    @Test
    void rejectsBadInputWithAClearMessage() {
        assertMessage(() -> KvRecord.put(-1, "n", new byte[0]), "hlc must be >= 0, but was -1");
        assertMessage(() -> KvRecord.put(1, "", new byte[0]), "writer must be a non-empty node name");
        assertMessage(() -> KvRecord.put(1, null, new byte[0]), "but was null");
        assertMessage(() -> KvRecord.put(1, "é".repeat(128), new byte[0]), "at most 255 UTF-8 bytes, but was 256");
        assertMessage(() -> KvRecord.put(1, "n\uD800", new byte[0]), "writer must be valid Unicode");
        assertMessage(() -> KvRecord.put(1, "n", null), "value must not be null");
        assertMessage(() -> KvRecord.put(1, "n", new byte[KvRecord.VALUE_BYTES_MAX + 1]),
                "at most 65536 bytes, but was 65537");
        assertMessage(() -> new KvRecord(1, "n", true, new byte[1]), "a tombstone has an empty value");
    }

    private static void assertMessage(Runnable action, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
