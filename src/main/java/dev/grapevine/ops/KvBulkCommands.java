package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code grapevine kv load} and {@code kv verify}: write N keys with values verify can recompute, then
 * read them back, e.g. around a crash or a partition. Which keys and values is {@link KvWorkload}'s job;
 * these commands only run the requests and count.
 */
final class KvBulkCommands {
    /** Error lines printed in full; the rest are only counted, so a dead agent does not flood the terminal. */
    static final int LOAD_ERRORS_SHOWN = 5;
    static final int VERIFY_BAD_KEYS_SHOWN = 10;

    private KvBulkCommands() {
    }

    abstract static class BulkCommand extends ClientCommands.ClientCommand {
        @Option(names = "--count", required = true, description = "number of keys, 1.." + KvWorkload.COUNT_MAX)
        int count;

        @Option(names = "--prefix", defaultValue = "key-", description = "key prefix (default ${DEFAULT-VALUE}); keys are PREFIX + the index zero-padded to the width of COUNT-1")
        String prefix;

        @Option(names = "--value-bytes", defaultValue = "32", description = "value length, 1.." + KvWorkload.VALUE_BYTES_MAX + " (default ${DEFAULT-VALUE})")
        int valueBytes;

        @Option(names = "--seed", defaultValue = "0", description = "mixed into every value, so a run's values differ from an earlier run's with another seed (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--concurrency", defaultValue = "16", description = "requests in flight, 1.." + KvWorkload.CONCURRENCY_MAX + " (default ${DEFAULT-VALUE})")
        int concurrency;

        @Option(names = "--json", description = "print the summary as JSON")
        boolean json;

        KvWorkload workload() {
            return new KvWorkload(prefix, count, valueBytes, seed);
        }

        PrintWriter err() {
            return command.commandLine().getErr();
        }

        /** Prints the first {@code shown} problems as they happen and counts the rest; safe from any thread. */
        void report(AtomicInteger problems, int shown, String line) {
            if (problems.incrementAndGet() <= shown) {
                err().println("grapevine: " + line);
                err().flush();
            }
        }

        int summary(Map<String, Object> json, String human, boolean allGood) {
            out().println(this.json ? Json.write(json) : human);
            out().flush();
            return allGood ? 0 : 1;
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = {"Writes COUNT keys with deterministic values, at most --concurrency at a time; exit 0 only if every write was acknowledged.",
                    "A failed write (503, no connection) is counted, not fatal; the first " + LOAD_ERRORS_SHOWN + " are printed."})
    static final class Load extends BulkCommand {
        @Option(names = "--acked-file", paramLabel = "FILE", description = "write the indexes of the acknowledged keys here: "
                + "a '# {...}' header with the run's options, then one decimal index per line, ascending")
        Path ackedFile;

        @Override
        public Integer call() throws Exception {
            KvWorkload w = workload();
            AdminClient agent = agent();
            BitSet acked = new BitSet(count);
            AtomicInteger failed = new AtomicInteger();
            BufferedWriter ackedOut = ackedFile == null ? null : KvWorkload.openAcked(ackedFile);
            long start = System.nanoTime();
            KvWorkload.forEachBounded(KvWorkload.all(count), concurrency, i -> {
                String key = w.key(i);
                return agent.requestAsync("PUT", KvCommands.path(key), w.value(i).getBytes(StandardCharsets.UTF_8))
                        .handle((r, error) -> {
                            if (error == null && r.status() == 200) {
                                synchronized (acked) {
                                    acked.set(i);
                                }
                            } else {
                                report(failed, LOAD_ERRORS_SHOWN, key + ": " + (error != null ? agent.describe(error) : why(r)));
                            }
                            return null;
                        });
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            int ackedCount = acked.cardinality();
            if (failed.get() > 0) {
                err().println("grapevine: " + failed.get() + " of " + count + " writes failed"
                        + (failed.get() > LOAD_ERRORS_SHOWN ? " (the first " + LOAD_ERRORS_SHOWN + " shown)" : ""));
                err().flush();
            }
            if (ackedOut != null) {
                w.writeAcked(ackedOut, acked);
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("count", count);
            s.put("acked", ackedCount);
            s.put("failed", failed.get());
            s.put("seconds", round(seconds, 3));
            s.put("rate_per_s", round(ackedCount / Math.max(seconds, 1e-9), 1));
            return summary(s, String.format("loaded %d keys: %d acked, %d failed in %.3f s (%.1f acked writes/s)",
                    count, ackedCount, failed.get(), seconds, s.get("rate_per_s")), failed.get() == 0);
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Reads back the keys `kv load` wrote (all COUNT, or those in --acked-file) and checks each holds its value.",
                    "Exit 0 only if every checked key does; the first " + VERIFY_BAD_KEYS_SHOWN + " bad keys are printed."})
    static final class Verify extends BulkCommand {
        @Option(names = "--acked-file", paramLabel = "FILE", description = "check only the keys listed in this file, as `kv load --acked-file` wrote it")
        Path ackedFile;

        @Override
        public Integer call() throws Exception {
            KvWorkload w = workload();
            BitSet checked = ackedFile == null ? KvWorkload.all(count) : w.readAcked(ackedFile);
            AdminClient agent = agent();
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger missing = new AtomicInteger();
            AtomicInteger wrong = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            AtomicInteger bad = new AtomicInteger();
            long start = System.nanoTime();
            KvWorkload.forEachBounded(checked, concurrency, i -> {
                String key = w.key(i);
                return agent.requestAsync("GET", KvCommands.path(key), null).handle((r, error) -> {
                    JsonNode answer = error == null ? KvCommands.parse(r.body()) : null;
                    if (error != null) {
                        errors.incrementAndGet();
                        report(bad, VERIFY_BAD_KEYS_SHOWN, key + ": " + agent.describe(error));
                    } else if (r.status() == 200 && answer != null && w.value(i).equals(answer.path("value").asText(null))) {
                        ok.incrementAndGet();
                    } else if (r.status() == 200 && answer != null) {
                        wrong.incrementAndGet();
                        report(bad, VERIFY_BAD_KEYS_SHOWN, key + ": wrong value " + quote(answer.get("value"))
                                + ", expected " + quote(w.value(i)));
                    } else if (r.status() == 404 && answer != null && answer.has("key")) {
                        missing.incrementAndGet();
                        report(bad, VERIFY_BAD_KEYS_SHOWN, key + ": missing");
                    } else {
                        errors.incrementAndGet();
                        report(bad, VERIFY_BAD_KEYS_SHOWN, key + ": " + why(r));
                    }
                    return null;
                });
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            if (bad.get() > VERIFY_BAD_KEYS_SHOWN) {
                err().println("grapevine: " + bad.get() + " bad keys (the first " + VERIFY_BAD_KEYS_SHOWN + " shown)");
                err().flush();
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("checked", checked.cardinality());
            s.put("ok", ok.get());
            s.put("missing", missing.get());
            s.put("wrong", wrong.get());
            s.put("errors", errors.get());
            s.put("seconds", round(seconds, 3));
            return summary(s, String.format("verified %d keys: %d ok, %d missing, %d wrong, %d errors in %.3f s",
                            checked.cardinality(), ok.get(), missing.get(), wrong.get(), errors.get(), seconds),
                    ok.get() == checked.cardinality());
        }
    }

    /** "HTTP 503: only 1 of 2 ...", from the answer's "error" when it has one. */
    static String why(AdminClient.Reply r) {
        JsonNode answer = KvCommands.parse(r.body());
        if (answer == null || !answer.hasNonNull("error")) {
            // Not an agent's answer: another web server, or the gossip port, behind --http.
            return "HTTP " + r.status() + " without a Grapevine agent's answer (" + (r.body().isBlank() ? "an empty body"
                    : answer == null ? "a body that is not JSON" : "JSON without an error") + "); is --http the agent's admin API?";
        }
        return "HTTP " + r.status() + ": " + answer.get("error").asText();
    }

    private static String quote(Object value) {
        String text = value instanceof JsonNode n ? (n.isNull() ? "null" : n.asText()) : String.valueOf(value);
        return "'" + (text.length() <= 40 ? text : text.substring(0, 40) + "...") + "'";
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
