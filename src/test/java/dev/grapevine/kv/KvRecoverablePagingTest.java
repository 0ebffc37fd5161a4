package dev.grapevine.kv;

import dev.grapevine.spi.Recoverable;
import dev.grapevine.spi.RecoveryEntry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store's paged reads (range scans from a key) give what paging over its whole-partition reads
 * gives, which is what the SPI's default implementations do for domains that do not override them.
 */
class KvRecoverablePagingTest {

    /** Only the methods a domain had to implement before paging: the SPI's defaults page over them. */
    private record Unpaged(Recoverable inner) implements Recoverable {
        @Override
        public SortedMap<String, Long> digests(int partition) {
            return inner.digests(partition);
        }

        @Override
        public List<RecoveryEntry> entries(int partition, Predicate<String> keys) {
            return inner.entries(partition, keys);
        }

        @Override
        public int apply(int partition, List<RecoveryEntry> entries) {
            return inner.apply(partition, entries);
        }

        @Override
        public Set<Integer> partitions() {
            return inner.partitions();
        }

        @Override
        public void drop(int partition, Map<String, Long> delivered) {
            inner.drop(partition, delivered);
        }
    }

    @Test
    void pagesFromAKeyEqualTheWholePartitionAndTheDefaults() {
        try (KvStore store = KvStore.open(null, 10)) {
            for (int i = 0; i < 700; i++) {
                store.apply(2, "key-" + i, KvRecord.put(i + 1, "n1", ("value-" + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8)));
                store.apply(3, "other-" + i, KvRecord.put(1, "n1", new byte[1]));
            }
            store.apply(2, "key-5", KvRecord.delete(9999, "n1"));
            KvRecoverable kv = new KvRecoverable(store);
            Recoverable unpaged = new Unpaged(kv);
            for (Recoverable r : List.of(kv, unpaged)) {
                SortedMap<String, Long> paged = new TreeMap<>();
                String after = null;
                while (true) {
                    SortedMap<String, Long> page = r.digests(2, after, 64);
                    assertTrue(page.size() <= 64);
                    assertTrue(after == null || page.isEmpty() || page.firstKey().compareTo(after) > 0);
                    paged.putAll(page);
                    if (page.size() < 64) {
                        break;
                    }
                    after = page.lastKey();
                }
                assertEquals(kv.digests(2), paged);

                List<RecoveryEntry> entries = new ArrayList<>();
                after = null;
                for (List<RecoveryEntry> page = r.entries(2, null, 500); !page.isEmpty(); page = r.entries(2, after, 500)) {
                    assertTrue(page.size() == 1 || page.stream().mapToInt(RecoveryEntry::sizeBytes).sum() <= 500);
                    entries.addAll(page);
                    after = page.get(page.size() - 1).key();
                }
                assertEquals(kv.entries(2, k -> true), entries);
                assertEquals(1, r.entries(2, null, 1).size(), "at least one entry");

                assertEquals(kv.entries(2, k -> k.equals("key-5") || k.equals("key-77")),
                        r.entriesOf(2, List.of("key-5", "key-77", "absent")));
            }
        }
    }
}
