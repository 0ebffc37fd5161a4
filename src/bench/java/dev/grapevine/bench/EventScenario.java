package dev.grapevine.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event dissemination: node 1 sends E user events, one every interval, each with a unique name. All
 * three systems deliver an event to its sender too, so per event the time runs from the sender's own
 * receipt to the last of the N receipts, both stamped the same way: the clock and path that stamp a
 * system's receipts (Pekko's node, or the harness at the end of Grapevine's or Serf's stream) are the
 * same at both ends. event_from_request_ms also counts the send request itself (HTTP for the JVMs,
 * the `serf event` CLI, a process start, for Serf). A warm-up event must first reach all N: the taps
 * are attached and Pekko's pub-sub registry has been gossiped. An event that has not reached all N
 * by the deadline counts as slower than any other in the median, and leaves the p99 null.
 */
final class EventScenario {
    static final Duration WARMUP_DEADLINE = Duration.ofSeconds(10);
    static final int WARMUP_TRIES = 3;
    /** After the last send. Serf's slow tail at small N, when a broadcast is lost, is up to 30 s (push-pull). */
    static final Duration DEADLINE = Duration.ofSeconds(35);
    /** After the last send, before the polls resume: the JVM systems deliver within tens of ms. */
    static final Duration SETTLE = Duration.ofSeconds(1);

    private EventScenario() {}

    static void run(Cluster c, BenchSettings s, ObjectNode out) {
        int warmupTries = 0;
        boolean warm = false;
        while (!warm && warmupTries < WARMUP_TRIES) {
            warmupTries++;
            String name = "bench-warmup-" + warmupTries + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
            c.system().sendEvent(name);
            try {
                Poll.until(WARMUP_DEADLINE, Duration.ofMillis(200), "the warm-up event", () -> receivedBy(c, name) == c.size());
                warm = true;
            } catch (BenchFailure e) {
                // try again: a first event can be lost while taps attach
            }
        }
        out.put("event_warmup_tries", warm ? warmupTries : null);

        Map<String, Long> sentMs = new LinkedHashMap<>();
        long t0 = System.currentTimeMillis();
        // The harness's own polling of Pekko's logs (4 requests a second per node) is work inside the
        // JVMs being timed, and it moves event times: at N = 5 in one JVM, Grapevine's median went
        // from 10 to 7 ms when polled the same way. No system is polled while events are timed; the
        // receipts carry the nodes' own stamps, so reading them afterwards changes no figure.
        c.observations().holdPolls(true);
        try {
            for (int k = 0; k < s.events(); k++) {
                long wait = t0 + k * s.eventInterval().toMillis() - System.currentTimeMillis();
                if (wait > 0) Poll.sleep(Duration.ofMillis(wait));
                String name = "bench-" + c.system().name() + "-" + k + "-" + ThreadLocalRandom.current().nextInt(1_000_000_000);
                sentMs.put(name, System.currentTimeMillis());
                c.system().sendEvent(name);
            }
            Poll.sleep(SETTLE);
        } finally {
            c.observations().holdPolls(false);
        }
        try {
            Poll.until(DEADLINE, Duration.ofMillis(200), "every event at every node",
                    () -> sentMs.keySet().stream().allMatch(e -> receivedBy(c, e) == c.size()));
        } catch (BenchFailure e) {
            // reported below as incomplete events
        }
        ArrayNode all = out.putArray("event_ms");
        ArrayNode fromRequest = out.putArray("event_from_request_ms");
        List<Long> spread = new ArrayList<>();
        List<Long> sinceRequest = new ArrayList<>();
        String sender = SystemUnderTest.nodeName(1);
        int incomplete = 0;
        for (var e : sentMs.entrySet()) {
            List<Observations.Receipt> got = firstReceipts(c, e.getKey());
            long last = got.stream().mapToLong(Observations.Receipt::ms).max().orElse(0);
            var own = got.stream().filter(r -> r.observer().equals(sender)).findFirst();
            if (got.size() < c.size() || own.isEmpty()) {
                incomplete++;
                all.addNull();
                fromRequest.addNull();
                spread.add(Long.MAX_VALUE);   // slower than any complete one
                sinceRequest.add(Long.MAX_VALUE);
                continue;
            }
            spread.add(last - own.get().ms());
            sinceRequest.add(last - e.getValue());
            all.add(last - own.get().ms());
            fromRequest.add(last - e.getValue());
        }
        out.put("events", s.events());
        out.put("event_interval_ms", s.eventInterval().toMillis());
        out.put("events_incomplete", incomplete);
        Stats.put(out, "event_ms_median", finite(Stats.median(spread)));
        Stats.put(out, "event_ms_p95", finite(Stats.p95(spread)));
        Stats.put(out, "event_ms_p99", incomplete > 0 ? null : Stats.p99(spread));
        Stats.put(out, "event_from_request_ms_median", finite(Stats.median(sinceRequest)));
    }

    private static Double finite(Double v) {
        return v == null || v >= Long.MAX_VALUE ? null : v;
    }

    private static int receivedBy(Cluster c, String event) {
        return firstReceipts(c, event).size();
    }

    /** One receipt per node: the first. */
    private static List<Observations.Receipt> firstReceipts(Cluster c, String event) {
        Map<String, Observations.Receipt> first = new LinkedHashMap<>();
        for (var r : c.observations().receipts(r -> r.event().equals(event))) first.putIfAbsent(r.observer(), r);
        return new ArrayList<>(first.values());
    }
}
