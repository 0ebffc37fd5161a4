package dev.grapevine.core.recovery;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several coordinators fed the same membership, with exchanges that finish when the test says. */
class RecoveryCoordinatorTest {
    private static final RecoveryCoordinator.Settings SETTINGS =
            new RecoveryCoordinator.Settings(32, 3, 1_000, 4, 3, 500, 600_000, 0);

    private final Map<String, RecoveryCoordinator> nodes = new LinkedHashMap<>();
    private final Map<String, Long> lives = new TreeMap<>();
    /** Every epoch's progress as gossip would merge it, from every node's publications. */
    private final Map<Long, EpochProgress> board = new HashMap<>();
    private long publications;
    private final List<SyncTask> started = new ArrayList<>();
    private final Map<String, RecoveryAction.EpochStarted> epochs = new TreeMap<>();
    private final List<SyncTask> everStarted = new ArrayList<>();
    private final Map<String, Set<Integer>> holding = new TreeMap<>();
    private final Map<String, List<SyncTask>> startedBy = new TreeMap<>();
    private final Set<String> departed = new HashSet<>();
    private long now;

    private void start(String... names) {
        for (String n : names) {
            lives.put(n, 1L);
            nodes.put(n, new RecoveryCoordinator(n, SETTINGS, null));
        }
        tick(0);
    }

    private void depart(String name) {
        lives.remove(name);
        nodes.remove(name);
        departed.add(name);
        tick(0);
    }

    /** Every node hears every member's state and progress, then time passes by {@code millis}. */
    private void tick(long millis) {
        now += millis;
        for (int round = 0; round < 3; round++) { // progress published in one round is heard in the next
            for (Map.Entry<String, RecoveryCoordinator> e : nodes.entrySet()) {
                for (Map.Entry<String, Long> m : lives.entrySet()) {
                    e.getValue().onMember(m.getKey(), m.getValue(), true, now);
                }
                String epoch = e.getValue().epoch();
                EpochProgress progress = epoch == null ? null : board.get(Progress.epochBits(epoch));
                if (progress != null) {
                    e.getValue().onProgress(progress);
                }
                departed.forEach(d -> e.getValue().onMember(d, 1L, false, now));
                Set<Integer> held = holding.getOrDefault(e.getKey(), Set.of());
                for (RecoveryAction a : e.getValue().onTick(now, () -> held)) {
                    apply(e.getKey(), a);
                }
            }
        }
    }

    private void apply(String node, RecoveryAction a) {
        if (a instanceof RecoveryAction.StartSync s) {
            started.add(s.task());
            startedBy.computeIfAbsent(node, k -> new ArrayList<>()).add(s.task());
        } else if (a instanceof RecoveryAction.PublishProgress p) {
            long epoch = Progress.epochBits(p.progress().epoch());
            EpochProgress held = board.getOrDefault(epoch, EpochProgress.empty(epoch, p.members()));
            board.put(epoch, held.with(p.index(), ++publications, p.progress().pending(), p.progress().failed()));
        } else if (a instanceof RecoveryAction.EpochStarted e) {
            epochs.put(node, e);
        }
    }

    /** Finishes every exchange started so far, successfully, at the node that started it. */
    private void finishAll() {
        finishAllBut(null);
    }

    private void finishAllBut(SyncTask kept) {
        while (started.stream().anyMatch(t -> !t.equals(kept))) {
            List<SyncTask> batch = new ArrayList<>(started);
            batch.removeIf(t -> t.equals(kept));
            started.removeAll(batch);
            everStarted.addAll(batch);
            for (SyncTask t : batch) {
                for (Map.Entry<String, RecoveryCoordinator> e : nodes.entrySet()) {
                    e.getValue().onSyncFinished(t, true, now).forEach(a -> apply(e.getKey(), a));
                }
            }
            tick(0);
        }
    }

    @Test
    void nodes_with_the_same_view_name_the_same_epoch_and_ownership() {
        start("a", "b", "c", "d", "e");
        tick(1_000);
        assertEquals(5, epochs.size());
        Set<String> names = new HashSet<>();
        epochs.values().forEach(e -> names.add(e.epoch()));
        assertEquals(1, names.size());
        for (int p = 0; p < 32; p++) {
            List<String> owners = epochs.get("a").ownership().owners(p);
            for (RecoveryAction.EpochStarted e : epochs.values()) {
                assertEquals(owners, e.ownership().owners(p));
            }
        }
    }

    @Test
    void no_epoch_until_the_view_has_been_stable() {
        start("a", "b", "c");
        tick(500);
        assertTrue(epochs.isEmpty());
        lives.put("d", 1L);
        nodes.put("d", new RecoveryCoordinator("d", SETTINGS, null));
        tick(0);
        tick(600); // d's arrival restarted the wait
        assertTrue(epochs.isEmpty());
        tick(1_000);
        assertEquals(4, epochs.size());
    }

    @Test
    void every_pair_of_owners_is_synced_once_then_the_epoch_is_complete_everywhere() {
        start("a", "b", "c", "d", "e");
        tick(1_000);
        assertFalse(nodes.get("a").completeEverywhere());
        finishAll();
        List<SyncTask> all = everStarted;
        for (RecoveryCoordinator c : nodes.values()) {
            assertTrue(c.completeEverywhere(), c.status().toString());
            assertEquals(0, c.status().partitionsPending());
        }
        // 32 partitions x 3 owners: 3 pairs each, every pair covered by one of its two ends.
        Set<String> pairs = new HashSet<>();
        for (int p = 0; p < 32; p++) {
            List<String> owners = epochs.get("a").ownership().owners(p);
            for (int i = 0; i < 3; i++) {
                for (int j = i + 1; j < 3; j++) {
                    pairs.add(p + ":" + owners.get(i) + ":" + owners.get(j));
                }
            }
        }
        assertEquals(96, pairs.size());
        assertTrue(all.size() >= 96, "tasks: " + all.size());
    }

    @Test
    void a_node_is_quiet_once_its_epoch_is_complete_everywhere_until_something_changes() {
        start("a", "b", "c", "d", "e");
        assertFalse(nodes.get("a").quiet(), "no epoch yet");
        tick(1_000);
        assertFalse(nodes.get("a").quiet(), "exchanges to run");
        finishAll();
        tick(1_000);
        for (RecoveryCoordinator c : nodes.values()) {
            assertTrue(c.quiet(), c.status().toString());
            assertTrue(c.nextRoutineMillis() > now, "the routine round is still ahead");
        }
        // A tick while quiet does nothing, and the node stays quiet.
        assertTrue(nodes.get("a").onTick(now + 100).isEmpty());
        assertTrue(nodes.get("a").quiet());

        lives.put("f", 1L);
        nodes.get("a").onMember("f", 1L, true, now);
        assertFalse(nodes.get("a").quiet(), "a new member makes a new epoch due");
    }

    @Test
    void a_departure_makes_the_new_owners_pull_from_the_survivors_only() {
        start("a", "b", "c", "d", "e");
        tick(1_000);
        finishAll();
        depart("e");
        tick(1_000);
        for (SyncTask t : started) {
            assertFalse(t.peer().equals("e"), "nobody syncs with the departed: " + t);
        }
        RecoveryAction.EpochStarted a = epochs.get("a");
        a.task().gained().forEach((p, sources) -> assertFalse(sources.contains("e")));
        finishAll();
        nodes.values().forEach(c -> assertTrue(c.completeEverywhere(), c.status().toString()));
    }

    @Test
    void a_restarted_member_gains_everything_it_owns() {
        start("a", "b", "c", "d");
        tick(1_000);
        finishAll();
        lives.put("b", 2L);
        nodes.put("b", new RecoveryCoordinator("b", SETTINGS, Map.of("a", 1L, "b", 1L, "c", 1L, "d", 1L)));
        tick(0);
        tick(1_000);
        RecoveryAction.EpochStarted b = epochs.get("b");
        assertEquals(b.owned(), b.task().gained().keySet());
        assertTrue(started.stream().anyMatch(t -> t.peer().equals("b")) || !b.owned().isEmpty());
        finishAll();
        nodes.values().forEach(c -> assertTrue(c.completeEverywhere(), c.status().toString()));
    }

    @Test
    void failed_exchanges_are_retried_then_reported() {
        start("a", "b", "c");
        tick(1_000);
        SyncTask t = started.get(0);
        for (int attempt = 0; attempt < SETTINGS.maxAttempts(); attempt++) {
            finishAllBut(t);
            assertTrue(started.removeIf(t::equals), "attempt " + attempt + " was started");
            nodes.values().forEach(c -> c.onSyncFinished(t, false, now));
            tick(500);
        }
        assertFalse(started.contains(t), "no attempt beyond the limit");
        finishAll();
        int failed = nodes.values().stream().mapToInt(c -> c.status().local().failed()).sum();
        assertTrue(failed >= 1);
        nodes.values().forEach(c -> assertFalse(c.completeEverywhere()));
    }

    @Test
    void back_in_an_epoch_it_said_was_done_and_with_work_again_a_node_says_so_at_once() {
        RecoveryCoordinator.Settings settings = new RecoveryCoordinator.Settings(32, 3, 1_000, 4, 3, 500, 600_000, 500);
        RecoveryCoordinator a = new RecoveryCoordinator("a", settings, null);
        List<Progress> published = new ArrayList<>();
        java.util.function.LongConsumer tickAt = t -> {
            List<SyncTask> syncs = new ArrayList<>();
            for (RecoveryAction act : a.onTick(t)) {
                if (act instanceof RecoveryAction.PublishProgress pp) {
                    published.add(pp.progress());
                } else if (act instanceof RecoveryAction.StartSync s) {
                    syncs.add(s.task());
                }
            }
            finishAllExcept(a, syncs, null, t);
            a.onTick(t).stream().filter(RecoveryAction.PublishProgress.class::isInstance)
                    .forEach(act -> published.add(((RecoveryAction.PublishProgress) act).progress()));
        };
        for (String m : List.of("a", "b", "c")) {
            a.onMember(m, 1L, true, 0);
        }
        tickAt.accept(1_000);
        String first = a.epoch();
        a.onMember("c", 1L, false, 2_000); // c is cut off, then comes back in the same life: the first epoch again
        tickAt.accept(3_000);
        a.onMember("c", 1L, true, 4_000);
        published.clear();

        for (RecoveryAction act : a.onTick(5_000)) {
            if (act instanceof RecoveryAction.PublishProgress pp) {
                published.add(pp.progress());
            }
        }

        assertEquals(first, a.epoch());
        assertEquals(1, published.size(), "its peers still hold its 'done' from the first stay: " + published);
        assertTrue(published.get(0).pending() > 0, published.toString());
    }

    @Test
    void an_epoch_done_within_the_progress_interval_is_published_once_and_a_longer_one_also_while_it_works() {
        RecoveryCoordinator.Settings settings = new RecoveryCoordinator.Settings(32, 3, 1_000, 4, 3, 500, 600_000, 500);
        RecoveryCoordinator a = new RecoveryCoordinator("a", settings, null);
        List<Progress> published = new ArrayList<>();
        List<SyncTask> syncs = new ArrayList<>();
        java.util.function.LongConsumer tickAt = t -> {
            for (String m : List.of("a", "b", "c")) {
                a.onMember(m, 1L, true, 0);
            }
            for (RecoveryAction act : a.onTick(t)) {
                if (act instanceof RecoveryAction.PublishProgress pp) {
                    published.add(pp.progress());
                } else if (act instanceof RecoveryAction.StartSync s) {
                    syncs.add(s.task());
                }
            }
        };
        tickAt.accept(1_000); // the epoch starts, with exchanges to run
        assertFalse(syncs.isEmpty());
        assertTrue(published.isEmpty(), "pending work is not published before the epoch is 500 ms old: " + published);
        tickAt.accept(1_400);
        assertTrue(published.isEmpty());
        SyncTask last = syncs.get(0);
        finishAllExcept(a, syncs, last, 1_450);
        tickAt.accept(1_500); // 500 ms into the epoch, still working: the pending count goes out
        assertEquals(1, published.size());
        assertEquals(1, published.get(0).pending());
        a.onSyncFinished(last, true, 1_600);
        tickAt.accept(1_600); // done: at once, though the last publication is only 100 ms old
        assertEquals(2, published.size());
        assertTrue(published.get(1).done());

        // The next epoch's work all ends within the interval: only its end is published.
        a.onMember("c", 1L, false, 2_000);
        published.clear();
        syncs.clear();
        for (RecoveryAction act : a.onTick(3_000)) {
            if (act instanceof RecoveryAction.StartSync s) {
                syncs.add(s.task());
            } else if (act instanceof RecoveryAction.PublishProgress pp) {
                published.add(pp.progress());
            }
        }
        finishAllExcept(a, syncs, null, 3_100);
        for (RecoveryAction act : a.onTick(3_200)) {
            if (act instanceof RecoveryAction.PublishProgress pp) {
                published.add(pp.progress());
            }
        }
        assertEquals(1, published.size(), published.toString());
        assertTrue(published.get(0).done());
    }

    /** Finishes {@code running} but {@code kept}, and every exchange the finished ones let start. */
    private static void finishAllExcept(RecoveryCoordinator c, List<SyncTask> running, SyncTask kept, long nowMillis) {
        List<SyncTask> todo = new ArrayList<>(running);
        todo.remove(kept);
        while (!todo.isEmpty()) {
            for (RecoveryAction act : c.onSyncFinished(todo.remove(0), true, nowMillis)) {
                if (act instanceof RecoveryAction.StartSync s) {
                    todo.add(s.task());
                }
            }
        }
    }

    @Test
    void progress_of_an_earlier_life_does_not_count_and_epochs_are_sixteen_hex_digits() {
        RecoveryCoordinator b = new RecoveryCoordinator("b", SETTINGS, null); // "a" starts their exchanges: b has none
        b.onMember("a", 1L, true, 0);
        b.onMember("b", 1L, true, 0);
        b.onTick(1_000);
        String epoch = b.epoch();
        assertFalse(b.completeEverywhere(), "nothing heard of a yet");
        b.onProgress(EpochProgress.empty(Progress.epochBits(epoch), 2).with(0, 1, 0, 0)); // a is member 0 of a, b
        assertTrue(b.completeEverywhere());
        assertEquals(new Progress(epoch, 0, 0), b.status().nodes().get("a"));

        b.onMember("a", 2L, true, 1_100); // a restarted: what it said in its first life no longer counts
        assertNull(b.status().nodes().get("a"));
        assertFalse(b.completeEverywhere());

        assertEquals(epoch, Progress.epochName(Progress.epochBits(epoch)));
        // Epoch names and partitions are compared across nodes of different builds, and kept on disk: pinned.
        assertEquals("3514bb9ce053300c", RecoveryCoordinator.epochOf(Map.of("node-1", 1_732_450_000_000L, "nœud-2", 7L)));
        assertEquals(59, Ownership.partitionOf("some-key", 64));
        assertEquals(52, Ownership.partitionOf("ключ", 64));
        assertEquals("000000000000002a", Progress.epochName(42));
        assertThrows(IllegalArgumentException.class, () -> new Progress("ab12", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Progress("00000000000000AB", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Progress(epoch, -1, 0));
    }

    @Test
    void holders_that_remember_nothing_still_push_what_they_hold_to_new_owners() {
        start("a", "b", "c");
        Set<Integer> all = new java.util.TreeSet<>();
        for (int p = 0; p < 32; p++) {
            all.add(p);
        }
        for (String n : List.of("a", "b", "c")) {
            holding.put(n, all); // RF 3 of 3: each holds everything
        }
        tick(1_000);
        finishAll();
        for (String n : List.of("d", "e", "f")) {
            lives.put(n, 1L);
            nodes.put(n, new RecoveryCoordinator(n, SETTINGS, null));
        }
        startedBy.clear();
        tick(0);
        tick(1_000);
        assertFalse(nodes.get("a").completeEverywhere(), "not complete before the holders pushed");
        finishAll();
        RecoveryAction.EpochStarted view = epochs.get("a");
        for (int p = 0; p < 32; p++) {
            for (String holder : List.of("a", "b", "c")) {
                if (view.ownership().owners(p).contains(holder)) {
                    continue;
                }
                for (String owner : view.ownership().owners(p)) {
                    int partition = p;
                    assertTrue(startedBy.getOrDefault(holder, List.of()).stream()
                                    .anyMatch(t -> t.partition() == partition && t.peer().equals(owner)),
                            holder + " pushes partition " + p + " to " + owner);
                }
            }
        }
        nodes.values().forEach(c -> assertTrue(c.completeEverywhere(), c.status().toString()));
    }

    @Test
    void a_routine_success_clears_a_failure_of_the_epoch() {
        start("a", "b", "c");
        tick(1_000);
        SyncTask t = started.get(0);
        for (int attempt = 0; attempt < SETTINGS.maxAttempts(); attempt++) {
            finishAllBut(t);
            started.removeIf(t::equals);
            nodes.values().forEach(c -> c.onSyncFinished(t, false, now));
            tick(500);
        }
        finishAll();
        nodes.values().forEach(c -> assertFalse(c.completeEverywhere()));
        nodes.values().forEach(c -> c.repairNow(now));
        tick(0);
        finishAll();
        nodes.values().forEach(c -> assertTrue(c.completeEverywhere(), c.status().toString()));
    }
}
