package dev.grapevine.core.repair;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Drives one initiator against one responder through an in-test network in manual time: each
 * message takes 1 to {@code latencyMaxMillis}, may be lost, may be delivered twice; late and
 * reordered deliveries follow. Records every message delivered.
 */
final class ExchangeLoop {
    private record InFlight(long atMillis, long order, ExchangeMessage message, boolean toResponder) {
    }

    private final Random random;
    private final double lossRate;
    private final double duplicateRate;
    private final long latencyMaxMillis;
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>((a, b) ->
            a.atMillis != b.atMillis ? Long.compare(a.atMillis, b.atMillis) : Long.compare(a.order, b.order));
    private long order;
    long nowMillis;
    final List<ExchangeMessage> sent = new ArrayList<>();
    final List<ExchangeMessage> delivered = new ArrayList<>();
    int maxOutstandingRequests;

    ExchangeLoop(long seed, double lossRate, double duplicateRate, long latencyMaxMillis) {
        this.random = new Random(seed);
        this.lossRate = lossRate;
        this.duplicateRate = duplicateRate;
        this.latencyMaxMillis = latencyMaxMillis;
    }

    /** A perfect network: every message once, 1 ms each. */
    static ExchangeLoop reliable() {
        return new ExchangeLoop(0, 0, 0, 1);
    }

    ExchangeEffect.Done run(ExchangeInitiator initiator, ExchangeResponder responder, ExchangeStore responderStore) {
        ExchangeEffect.Done done = handle(initiator.start(nowMillis));
        for (int steps = 0; done == null; steps++) {
            if (steps > 5_000_000) {
                throw new AssertionError("the exchange did not end");
            }
            InFlight next = inFlight.peek();
            long wake = initiator.wakeAtMillis();
            if (next == null && wake == Long.MAX_VALUE) {
                throw new AssertionError("the exchange stalled: nothing in flight and no deadline");
            }
            if (next != null && next.atMillis <= wake) {
                inFlight.poll();
                nowMillis = Math.max(nowMillis, next.atMillis);
                delivered.add(next.message);
                if (next.toResponder) {
                    for (ExchangeEffect e : responder.onRequest("initiator", (ExchangeMessage.Request) next.message, responderStore, nowMillis)) {
                        if (e instanceof ExchangeEffect.Send s) {
                            transmit(s.message(), false);
                        }
                    }
                } else {
                    done = handle(initiator.onMessage(next.message, nowMillis));
                }
            } else {
                nowMillis = Math.max(nowMillis, wake);
                done = handle(initiator.onTime(nowMillis));
            }
        }
        return done;
    }

    private ExchangeEffect.Done handle(List<ExchangeEffect> effects) {
        int sends = 0;
        ExchangeEffect.Done done = null;
        for (ExchangeEffect e : effects) {
            if (e instanceof ExchangeEffect.Send s) {
                sends++;
                transmit(s.message(), true);
            } else if (e instanceof ExchangeEffect.Done d) {
                done = d;
            }
        }
        maxOutstandingRequests = Math.max(maxOutstandingRequests, sends);
        return done;
    }

    private void transmit(ExchangeMessage m, boolean toResponder) {
        sent.add(m);
        int copies = random.nextDouble() < duplicateRate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            if (random.nextDouble() >= lossRate) {
                inFlight.add(new InFlight(nowMillis + 1 + (latencyMaxMillis <= 1 ? 0 : random.nextLong(latencyMaxMillis)), order++, m, toResponder));
            }
        }
    }

    long sentOf(Class<? extends ExchangeMessage> type) {
        return sent.stream().filter(type::isInstance).count();
    }
}
