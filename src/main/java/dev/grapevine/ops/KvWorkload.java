package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/**
 * The keys and values of {@code kv load} / {@code kv verify}, and the acknowledged-keys file between them.
 * <ul>
 *   <li>Key {@code i}: the prefix and {@code i} zero-padded to the width of {@code count - 1}
 *       ({@code key-000000 .. key-999999} for a million).</li>
 *   <li>Its value: {@code valueBytes} characters from {@code [0-9a-z]}, drawn from SplitMix64 seeded with
 *       FNV-1a-64 of the key's UTF-8 bytes mixed with {@code seed}. Every character depends on the key,
 *       so even a short value tells keys apart, and another {@code --seed} tells a run from an earlier one.
 *       CHANGE NEITHER RULE: {@code verify} must recompute what an older {@code load} wrote.</li>
 *   <li>The acked file (text, UTF-8): a first line {@code # {"prefix":..,"count":..,"value_bytes":..,"seed":..}},
 *       then one decimal index per line, ascending. Blank lines and other {@code #} lines are ignored, so
 *       a hand-written list of indexes works too; a header that disagrees with verify's options is refused.</li>
 * </ul>
 */
final class KvWorkload {
    /** A BitSet of this many bits is 12.5 MB; beyond it, run several loads with different prefixes. */
    static final int COUNT_MAX = 100_000_000;
    static final int VALUE_BYTES_MAX = 1 << 20;
    static final int CONCURRENCY_MAX = 1024;
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private final String prefix;
    private final int count;
    private final int valueBytes;
    private final long seed;
    private final int width;

    KvWorkload(String prefix, int count, int valueBytes, long seed) {
        if (count < 1 || count > COUNT_MAX) {
            throw new IllegalArgumentException("--count must be in 1.." + COUNT_MAX + ", but was " + count);
        }
        if (valueBytes < 1 || valueBytes > VALUE_BYTES_MAX) {
            throw new IllegalArgumentException("--value-bytes must be in 1.." + VALUE_BYTES_MAX + ", but was " + valueBytes);
        }
        this.prefix = prefix;
        this.count = count;
        this.valueBytes = valueBytes;
        this.seed = seed;
        this.width = Integer.toString(count - 1).length();
    }

    String key(int index) {
        String digits = Integer.toString(index);
        return prefix + "0".repeat(width - digits.length()) + digits;
    }

    String value(int index) {
        long state = 0xcbf29ce484222325L ^ seed; // FNV-1a offset basis, mixed with the seed
        for (byte b : key(index).getBytes(StandardCharsets.UTF_8)) {
            state = (state ^ (b & 0xff)) * 0x100000001b3L;
        }
        char[] out = new char[valueBytes];
        for (int i = 0; i < valueBytes; i++) {
            state += 0x9e3779b97f4a7c15L; // SplitMix64 (Steele, Lea, Flood 2014)
            long z = state;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            out[i] = ALPHABET.charAt((int) Long.remainderUnsigned(z ^ (z >>> 31), ALPHABET.length()));
        }
        return new String(out);
    }

    static BitSet all(int count) {
        BitSet all = new BitSet(count);
        all.set(0, count);
        return all;
    }

    private Map<String, Object> header() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("prefix", prefix);
        h.put("count", count);
        h.put("value_bytes", valueBytes);
        h.put("seed", seed);
        return h;
    }

    /** Opens the acked file before the load, so a path that cannot be written fails before any key is. */
    static BufferedWriter openAcked(Path file) {
        try {
            return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the acked file " + file + ": " + e);
        }
    }

    void writeAcked(BufferedWriter out, BitSet acked) throws IOException {
        try (out) {
            out.write("# " + Json.write(header()) + "\n");
            for (int i = acked.nextSetBit(0); i >= 0; i = acked.nextSetBit(i + 1)) {
                out.write(Integer.toString(i));
                out.write('\n');
            }
        }
    }

    BitSet readAcked(Path file) {
        BitSet indexes = new BitSet(count);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("#")) {
                    checkHeader(file, line.substring(1).strip());
                    continue;
                }
                int index;
                try {
                    index = Integer.parseInt(line);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": expected a key index, but found '" + line + "'");
                }
                if (index < 0 || index >= count) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": index " + index + " is outside 0.." + (count - 1)
                            + " (--count " + count + ")");
                }
                indexes.set(index);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such acked file: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the acked file " + file + ": " + e);
        }
        return indexes;
    }

    private void checkHeader(Path file, String comment) {
        JsonNode written = KvCommands.parse(comment);
        if (written == null) {
            return; // a plain comment
        }
        Map<String, Object> ours = header();
        for (Map.Entry<String, Object> option : ours.entrySet()) {
            JsonNode theirs = written.get(option.getKey());
            if (theirs != null && !theirs.asText().equals(String.valueOf(option.getValue()))) {
                throw new IllegalArgumentException(file + " was written with --" + option.getKey().replace('_', '-') + " "
                        + theirs.asText() + ", but verify has " + option.getValue());
            }
        }
    }

    /**
     * Runs {@code request(i)} for every set bit, at most {@code concurrency} at a time, and returns once all
     * have completed. The returned futures must complete only after their bookkeeping (use {@code handle}),
     * and never exceptionally from it; a slot is freed as each completes, so nothing queues beyond the bound.
     */
    static void forEachBounded(BitSet indexes, int concurrency, IntFunction<CompletableFuture<?>> request)
            throws InterruptedException {
        if (concurrency < 1 || concurrency > CONCURRENCY_MAX) {
            throw new IllegalArgumentException("--concurrency must be in 1.." + CONCURRENCY_MAX + ", but was " + concurrency);
        }
        Semaphore slots = new Semaphore(concurrency);
        for (int i = indexes.nextSetBit(0); i >= 0; i = indexes.nextSetBit(i + 1)) {
            slots.acquire();
            CompletableFuture<?> done;
            try {
                done = request.apply(i);
            } catch (RuntimeException e) {
                slots.release();
                slots.acquire(concurrency); // let the requests already out finish before failing
                throw e;
            }
            done.whenComplete((ignored, error) -> slots.release());
        }
        slots.acquire(concurrency);
    }
}
