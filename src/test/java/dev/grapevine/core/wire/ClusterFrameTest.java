package dev.grapevine.core.wire;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster id in every message's header, the refusal message, and what a cluster may be named. */
class ClusterFrameTest {

    @Test
    void everyMessageCarriesItsClustersIdAfterTheVersion() {
        ClusterName blue = ClusterName.of("blue");
        Message ping = new Message.Ping(7, "n1", List.of());
        byte[] bytes = WireCodec.encode(blue.id(), ping);
        assertEquals(WireSize.of(ping), bytes.length);
        assertEquals(WireCodec.VERSION, bytes[0]);
        long id = 0;
        for (int i = 1; i <= 8; i++) {
            id = (id << 8) | (bytes[i] & 0xff);
        }
        assertEquals(blue.id(), id);
        assertEquals(WireCodec.TYPE_PING, bytes[9]);
        WireCodec.Frame frame = WireCodec.decodeFrame(bytes, 0, bytes.length);
        assertEquals(blue.id(), frame.cluster());
        assertEquals(ping, frame.message());
    }

    @Test
    void aRefusalRoundTripsWithItsClustersName() {
        Message.Refusal refusal = new Message.Refusal("green", ClusterName.of("blue").id());
        byte[] bytes = WireCodec.encode(ClusterName.of("green").id(), refusal);
        assertEquals(WireSize.of(refusal), bytes.length);
        assertEquals(refusal, WireCodec.decode(bytes));
    }

    @Test
    void aJoinNamesItsClusterAndOtherPushPullsSpendNothingOnIt() {
        Message.PushPull join = new Message.PushPull(true, false, 3, List.of(), List.of(), List.of(), "blue");
        byte[] bytes = WireCodec.encode(ClusterName.of("blue").id(), join);
        assertEquals(WireSize.of(join), bytes.length);
        assertEquals(join, WireCodec.decode(bytes));
        Message.PushPull unnamed = new Message.PushPull(true, false, 3, List.of());
        assertEquals(WireSize.of(unnamed) + 1 + 4, bytes.length, "length and 'blue'");
        byte[] bad = WireCodec.encode(new Message.PushPull(true, false, 3, List.of(), List.of(), List.of(), "a b"));
        WireFormatException e = assertThrows(WireFormatException.class, () -> WireCodec.decode(bad));
        assertTrue(e.getMessage().contains("push-pull: cluster name"), e.getMessage());
    }

    @Test
    void aRefusalWithAnInvalidClusterNameIsAWireFormatError() {
        byte[] bytes = WireCodec.encode(new Message.Refusal("no spaces", 1));
        WireFormatException e = assertThrows(WireFormatException.class, () -> WireCodec.decode(bytes));
        assertTrue(e.getMessage().contains("refusal"), e.getMessage());
    }

    @Test
    void namesAreOneTo64BytesOfLettersDigitsDotsUnderscoresAndDashes() {
        assertNull(ClusterName.problem("prod-eu.west_1"));
        assertNull(ClusterName.problem("x".repeat(64)));
        assertEquals("must not be empty", ClusterName.problem(""));
        assertEquals("takes 65 bytes; the limit is 64", ClusterName.problem("x".repeat(65)));
        assertTrue(ClusterName.problem("a b").contains("only letters"));
        assertTrue(ClusterName.problem("grün").contains("only letters"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterName.of("a/b"));
        assertTrue(e.getMessage().startsWith("cluster name 'a/b' "), e.getMessage());
    }

    @Test
    void idsDifferByNameAndNeverDependOnAnythingElse() {
        assertEquals(ClusterName.of("blue").id(), ClusterName.of("blue").id());
        assertNotEquals(ClusterName.of("blue").id(), ClusterName.of("green").id());
        assertNotEquals(ClusterName.of("blue").id(), ClusterName.of("Blue").id());
        assertEquals(ClusterName.idOf("grapevine"), ClusterName.DEFAULT.id());
    }
}
