package dev.grapevine.sim;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** How loss shows on each transport: datagrams vanish; a stream's messages come late, in order. */
class NetworkModelTest {

    private static NetworkModel network(double loss, NetworkModel.Transport transport) {
        NetworkModel n = new NetworkModel(3, new SplittableRandom(5));
        n.setLatency(1, 0);
        n.setLoss(loss);
        n.setTransport(transport);
        return n;
    }

    @Test
    void onAStreamNothingIsLostButLossMakesMessagesLateAndTheyStayInOrder() {
        NetworkModel n = network(0.3, NetworkModel.Transport.STREAM);
        long last = 0;
        int late = 0;
        for (int i = 0; i < 2_000; i++) {
            long sentAt = i * 50L;
            long[] at = n.arrivals(0, 1, sentAt);
            assertEquals(1, at.length, "a stream delivers every message once");
            assertTrue(at[0] >= last, "in order: " + at[0] + " after " + last);
            late += at[0] - sentAt >= NetworkModel.RETRANSMIT_FIRST_MILLIS ? 1 : 0;
            last = at[0];
        }
        int lateCount = late;
        assertTrue(lateCount > 200 && lateCount < 1_900, "lost packets wait for a retransmission: " + lateCount + " of 2000 late");
    }

    @Test
    void withoutLossAStreamDeliversAtTheLatencyAndAcrossAPartitionNothingArrives() {
        NetworkModel n = network(0, NetworkModel.Transport.STREAM);
        assertEquals(11, n.arrivals(0, 1, 10)[0]);
        n.partition(new int[] {0, 1, 1});
        assertAll(
                () -> assertEquals(0, n.arrivals(0, 1, 20).length),
                () -> assertEquals(22, n.arrivals(1, 2, 21)[0]));
    }

    @Test
    void messagesSentWhileATransmissionWaitsGoTogetherInTheNext() {
        NetworkModel n = network(0.5, NetworkModel.Transport.STREAM);
        for (long t = 0; t < 1_000_000; t += 1_000) {
            long first = n.arrivals(0, 1, t)[0];
            if (first - t >= NetworkModel.RETRANSMIT_FIRST_MILLIS) { // this one waited for a retry
                long second = n.arrivals(0, 1, t + 1)[0];
                long third = n.arrivals(0, 1, t + 2)[0];
                assertEquals(second, third, "both queued behind the one in flight, so sent together");
                assertTrue(second >= first);
                return;
            }
        }
        throw new AssertionError("at 50 % loss no transmission in a thousand had to wait for a retry");
    }

    @Test
    void datagramsAreLostAlone() {
        NetworkModel n = network(0.3, NetworkModel.Transport.DATAGRAM);
        int lost = 0;
        for (int i = 0; i < 2_000; i++) {
            lost += n.arrivals(0, 1, i).length == 0 ? 1 : 0;
        }
        assertTrue(lost > 450 && lost < 750, lost + " of 2000 lost at 30 %");
    }
}
