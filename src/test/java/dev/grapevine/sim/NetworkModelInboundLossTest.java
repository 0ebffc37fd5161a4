package dev.grapevine.sim;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** One node's inbound loss: it loses what is sent to it, not what it sends, on either transport. */
class NetworkModelInboundLossTest {

    private static NetworkModel network(NetworkModel.Transport transport) {
        NetworkModel n = new NetworkModel(3, new SplittableRandom(9));
        n.setLatency(1, 0);
        n.setTransport(transport);
        return n;
    }

    @Test
    void aDatagramToTheNodeIsLostAtItsInboundLossAndWhatItSendsArrives() {
        NetworkModel n = network(NetworkModel.Transport.DATAGRAM);
        n.setInboundLoss(1, 0.8);
        int lostTo = 0;
        int lostFrom = 0;
        int lostElsewhere = 0;
        for (int i = 0; i < 2_000; i++) {
            lostTo += n.arrivals(0, 1, i).length == 0 ? 1 : 0;
            lostFrom += n.arrivals(1, 0, i).length == 0 ? 1 : 0;
            lostElsewhere += n.arrivals(0, 2, i).length == 0 ? 1 : 0;
        }
        int lost = lostTo;
        assertTrue(lost > 1_500 && lost < 1_700, lost + " of 2000 to the node lost at 80 %");
        assertEquals(0, lostFrom, "what the node sends goes out");
        assertEquals(0, lostElsewhere, "other nodes hear normally");
    }

    @Test
    void aCutNodeHearsNothingOnEitherTransportUntilItIsRestored() {
        for (NetworkModel.Transport t : NetworkModel.Transport.values()) {
            NetworkModel n = network(t);
            n.setInboundLoss(1, 1.0);
            assertAll(t.name(),
                    () -> assertEquals(0, n.arrivals(0, 1, 10).length),
                    () -> assertEquals(0, n.arrivals(2, 1, 10).length),
                    () -> assertArrayEquals(new long[] {11}, n.arrivals(1, 0, 10)),
                    () -> assertFalse(n.canDeliver(0, 1)),
                    () -> assertTrue(n.canReach(0, 1), "a cut is no partition"));
            n.setInboundLoss(1, 0);
            assertArrayEquals(new long[] {31}, n.arrivals(0, 1, 30), t.name());
        }
    }

    @Test
    void onAStreamPartialInboundLossMakesMessagesToTheNodeLateNotLost() {
        NetworkModel n = network(NetworkModel.Transport.STREAM);
        n.setInboundLoss(1, 0.5);
        int late = 0;
        long last = 0;
        for (int i = 0; i < 500; i++) {
            long sentAt = i * 1_000L;
            long[] at = n.arrivals(0, 1, sentAt);
            assertEquals(1, at.length, "a stream delivers every message once");
            assertTrue(at[0] >= last, "in order");
            late += at[0] - sentAt >= NetworkModel.RETRANSMIT_FIRST_MILLIS ? 1 : 0;
            last = at[0];
        }
        int lateCount = late;
        assertTrue(lateCount > 100, "lost packets wait for a retransmission: " + lateCount + " of 500 late");
        assertEquals(1, n.arrivals(2, 0, 10_000_000).length);
    }

    @Test
    void withoutInboundLossTheRandomDrawsAreThoseOfBefore() {
        NetworkModel plain = new NetworkModel(3, new SplittableRandom(4));
        NetworkModel restored = new NetworkModel(3, new SplittableRandom(4));
        plain.setLoss(0.3);
        restored.setLoss(0.3);
        restored.setInboundLoss(2, 0.5);
        restored.setInboundLoss(2, 0); // restored: the other pairs' draws are as if it never happened
        for (int i = 0; i < 1_000; i++) {
            assertArrayEquals(plain.arrivals(0, 1, i), restored.arrivals(0, 1, i));
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheirLimits() {
        NetworkModel n = network(NetworkModel.Transport.DATAGRAM);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> n.setInboundLoss(3, 0.5)).getMessage()
                .contains("0..2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> n.setInboundLoss(0, 1.5)).getMessage()
                .contains("[0, 1]"));
    }
}
