package dev.grapevine.core.repair;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an exchange of one partition costs end to end through the machines, for partitions of
 * several sizes with 1% of the keys differing (a third missing on each side, a third with two
 * versions): wall time, the peak heap above the two stores, and what moved against the minimum.
 * Both stores are in memory; messages go straight from one machine to the other. Each size runs twice
 * on fresh stores: once timed, and once with a full collection after every message, which gives the
 * most heap the exchange holds between messages ({@code retained_heap_mib_max}, live data); the timed
 * run samples the heap in use, garbage included ({@code peak_heap_used_mib}). Not a test: run it
 * by hand, after {@code mvn -B -o -q test-compile}:
 *
 * <pre>java -Xmx3g -XX:+UseSerialGC -cp target/classes:target/test-classes dev.grapevine.core.repair.ExchangeBenchmark [KEYS...]</pre>
 *
 * Prints one JSON object a line.
 */
public final class ExchangeBenchmark {
    private static final int VALUE_PAD_BYTES = 40;

    public static void main(String[] args) {
        List<Integer> sizes = new ArrayList<>();
        for (String a : args) {
            sizes.add(Integer.parseInt(a));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1_000, 100_000, 1_000_000);
        }
        for (int keys : sizes) {
            System.out.println(run(keys));
        }
    }

    private record Run(ExchangeStats stats, long messages, long wallMillis, long peakBytes, long baselineBytes) {
    }

    static String run(int keys) {
        Run timed = run(keys, false);
        Run retained = run(keys, true);
        long minimumEntries = 0;
        long minimumBytes = 0;
        long differing = 0;
        VersionStore sizer = new VersionStore(VALUE_PAD_BYTES);
        for (int i = 0; i < keys; i += 100) {
            differing++;
            int size = sizer.entry(key(i), 1).sizeBytes();
            minimumEntries += (i / 100) % 3 == 2 ? 2 : 1;
            minimumBytes += (i / 100) % 3 == 2 ? 2L * size : size;
        }
        ExchangeStats s = timed.stats();
        return String.format(Locale.ROOT,
                "{\"keys\": %d, \"differing\": %d, \"entries_moved\": %d, \"entries_minimum\": %d, \"entry_bytes\": %d, "
                        + "\"hash_bytes\": %d, \"repair_bytes\": %d, \"minimum_bytes\": %d, \"ratio_to_minimum\": %.2f, \"messages\": %d, "
                        + "\"wall_ms\": %d, \"peak_heap_used_mib\": %.1f, \"retained_heap_mib_max\": %.1f, \"stores_heap_mib\": %.1f}",
                keys, differing, s.entriesSent() + s.entriesReceived(), minimumEntries, s.entryBytes(), s.hashBytes(),
                s.entryBytes() + s.hashBytes(), minimumBytes, (double) (s.entryBytes() + s.hashBytes()) / minimumBytes, timed.messages(),
                timed.wallMillis(), (timed.peakBytes() - timed.baselineBytes()) / 1048576.0,
                (retained.peakBytes() - retained.baselineBytes()) / 1048576.0, retained.baselineBytes() / 1048576.0);
    }

    private static String key(int i) {
        return String.format(Locale.ROOT, "user:%08d", (i * 2_654_435_761L) % 100_000_000L);
    }

    private static Run run(int keys, boolean collectEachMessage) {
        VersionStore a = new VersionStore(VALUE_PAD_BYTES);
        VersionStore b = new VersionStore(VALUE_PAD_BYTES);
        for (int i = 0; i < keys; i++) {
            String key = key(i);
            if (i % 100 != 0) {
                a.versions.put(key, 1L);
                b.versions.put(key, 1L);
                continue;
            }
            switch ((i / 100) % 3) {
                case 0 -> a.versions.put(key, 1L);
                case 1 -> b.versions.put(key, 1L);
                default -> { a.versions.put(key, 1L); b.versions.put(key, 2L); }
            }
        }
        ExchangeLimits limits = ExchangeLimits.of(64 * 1024, 10_000);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long baseline = rt.totalMemory() - rt.freeMemory();
        long peak = baseline;
        long started = System.nanoTime();
        ExchangeInitiator initiator = new ExchangeInitiator(ExchangeInitiator.exchangeIdFrom(keys), "bench", 0, a, limits);
        ExchangeResponder responder = new ExchangeResponder("b", limits);
        List<ExchangeEffect> effects = initiator.start(0);
        ExchangeEffect.Done done = null;
        long messages = 0;
        while (done == null) {
            if (collectEachMessage) {
                System.gc();
            }
            peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
            if (effects.isEmpty()) {
                throw new IllegalStateException("the exchange stalled");
            }
            ExchangeEffect e = effects.get(0);
            if (e instanceof ExchangeEffect.Done d) {
                done = d;
            } else {
                ExchangeMessage request = ((ExchangeEffect.Send) e).message();
                ExchangeEffect.Send reply = (ExchangeEffect.Send) responder.onRequest("a", (ExchangeMessage.Request) request, b, 0).get(0);
                messages += 2;
                effects = initiator.onMessage(reply.message(), 0);
            }
        }
        long wallMillis = (System.nanoTime() - started) / 1_000_000;
        if (!done.ok() || !a.versions.equals(b.versions)) {
            throw new IllegalStateException("the exchange did not make the stores agree: " + done);
        }
        return new Run(initiator.stats(), messages, wallMillis, peak, baseline);
    }
}
