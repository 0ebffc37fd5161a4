package dev.grapevine.runtime;

import dev.grapevine.spi.Recoverable;
import dev.grapevine.spi.RecoveryEntry;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.recovery.RecoveryCoordinator;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes own every partition; one lacks some entries and holds older versions of others. The
 * first epoch's exchanges must leave both with the newest of everything, moving only the entries
 * that differ: a missing entry once, a differing one in both directions (digests do not say which
 * side is newer).
 */
class RepairExchangeTest {

    /** A domain of key to version, last-version-wins; the value is the version's 8 bytes. */
    static final class VersionDomain implements Recoverable {
        final ConcurrentSkipListMap<String, Long> versions = new ConcurrentSkipListMap<>();
        private final int partitions;

        VersionDomain(int partitions) {
            this.partitions = partitions;
        }

        private int partitionOf(String key) {
            return dev.grapevine.core.recovery.Ownership.partitionOf(key, partitions);
        }

        @Override
        public SortedMap<String, Long> digests(int partition) {
            SortedMap<String, Long> out = new TreeMap<>();
            versions.forEach((k, v) -> {
                if (partitionOf(k) == partition) {
                    out.put(k, v * 0x9E3779B97F4A7C15L);
                }
            });
            return out;
        }

        @Override
        public List<RecoveryEntry> entries(int partition, Predicate<String> keys) {
            List<RecoveryEntry> out = new ArrayList<>();
            versions.forEach((k, v) -> {
                if (partitionOf(k) == partition && keys.test(k)) {
                    out.add(new RecoveryEntry(k, ByteBuffer.allocate(8).putLong(v).array()));
                }
            });
            return out;
        }

        @Override
        public int apply(int partition, List<RecoveryEntry> entries) {
            int changed = 0;
            for (RecoveryEntry e : entries) {
                long v = ByteBuffer.wrap(e.value()).getLong();
                Long before = versions.get(e.key());
                if (before == null || before < v) {
                    versions.put(e.key(), v);
                    changed++;
                }
            }
            return changed;
        }

        @Override
        public Set<Integer> partitions() {
            Set<Integer> held = new java.util.TreeSet<>();
            versions.keySet().forEach(k -> held.add(partitionOf(k)));
            return held;
        }

        @Override
        public void drop(int partition, java.util.Map<String, Long> delivered) {
            delivered.forEach((k, d) -> versions.computeIfPresent(k, (key, v) -> v * 0x9E3779B97F4A7C15L == d ? null : v));
        }
    }

    private static RecoveryCoordinator.Status status(LocalCluster.Node n) throws Exception {
        return AskPattern.<NodeGuardian.Command, RecoveryCoordinator.Status>ask(n.guardian(),
                r -> new NodeGuardian.ToRecovery(new RecoveryCoordinatorActor.GetStatus(r)), Duration.ofSeconds(5),
                n.system().scheduler()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void onlyDifferingEntriesTravel() {
        String config = "grapevine.recovery { partitions = 8, replication-factor = 2, stable-after = 300ms }";
        try (LocalCluster cluster = new LocalCluster()) {
            VersionDomain onA = new VersionDomain(8);
            VersionDomain onB = new VersionDomain(8);
            for (int i = 0; i < 2_000; i++) {
                onA.versions.put("key-" + i, 1L);
                if (i % 200 != 0) {
                    onB.versions.put("key-" + i, i % 300 == 1 ? 0L : 1L); // 10 missing on b, 7 older on b
                }
            }
            LocalCluster.Node a = cluster.start("a", List.of(), config);
            LocalCluster.register(a, "versions", onA);
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), config);
            LocalCluster.register(b, "versions", onB);
            LocalCluster.awaitStatus(a, "b", MemberStatus.ALIVE, Duration.ofSeconds(20));
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                RecoveryCoordinator.Status sa = status(a);
                assertEquals(2, sa.members());
                assertEquals(true, sa.completeEverywhere(), sa.toString());
                assertEquals(true, status(b).completeEverywhere());
            });
            assertEquals(onA.versions, onB.versions);
            long moved = a.metric("repair_entries_sent") + a.metric("repair_entries_received")
                    + b.metric("repair_entries_sent") + b.metric("repair_entries_received");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> a.metric("repair_entries_applied")
                    + b.metric("repair_entries_applied") == 17);
            // 10 missing travel once; 7 differing travel both ways (the older copy is refused).
            assertEquals(10 + 2 * 7, a.metric("repair_entries_sent") + a.metric("repair_entries_received")
                    + b.metric("repair_entries_sent") + b.metric("repair_entries_received"), "moved " + moved);
            assertAnsweringSideCounts(a, b);
        }
    }

    /**
     * The node that answers an exchange counts what it took in and gave out too, apart from the
     * initiator's figures: what one side pushed the other received, and what one pulled the other served.
     * A request sent again is answered (and counted) again, so the answering side may count more.
     */
    private static void assertAnsweringSideCounts(LocalCluster.Node a, LocalCluster.Node b) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            long pushed = a.metric("repair_entries_sent") + b.metric("repair_entries_sent");
            long pulled = a.metric("repair_entries_received") + b.metric("repair_entries_received");
            long bytes = a.metric("repair_entry_bytes") + b.metric("repair_entry_bytes");
            long received = a.metric("repair_served_entries_received") + b.metric("repair_served_entries_received");
            long served = a.metric("repair_served_entries_sent") + b.metric("repair_served_entries_sent");
            long servedBytes = a.metric("repair_served_entry_bytes") + b.metric("repair_served_entry_bytes");
            long applied = a.metric("repair_served_entries_applied") + b.metric("repair_served_entries_applied");
            long resent = a.metric("repair_requests_resent") + b.metric("repair_requests_resent");
            assertTrue(a.metric("repair_served_requests") + b.metric("repair_served_requests") > 0, "no request answered");
            assertTrue(received > 0 || served > 0, "the answering side counted no entry");
            assertTrue(applied <= received, "applied " + applied + " of " + received + " pushed");
            if (resent == 0) {
                assertEquals(pushed, received, "pushed vs received by the answering side");
                assertEquals(pulled, served, "pulled vs served by the answering side");
                assertEquals(bytes, servedBytes, "entry bytes at both ends");
            } else {
                assertTrue(received >= pushed && served >= pulled && servedBytes >= bytes, "with " + resent + " resends");
            }
        });
    }
}
