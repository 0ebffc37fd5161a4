package dev.grapevine.core.recovery;

import dev.grapevine.core.member.MemberStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

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
    void a_restarted_node_waits_for_the_co_owners_that_push_it_its_data_and_they_do_not_wait_on_it() {
        start("a", "b", "c", "d", "e");
        tick(1_000);
        finishAll();
        lives.put("e", 2L); // e sorts last: of each pair it is in, the other owner starts the exchange
        nodes.put("e", new RecoveryCoordinator("e", SETTINGS, null));
        tick(0);
        tick(1_000);
        assertFalse(nodes.get("e").catchingUpFrom().isEmpty());
        assertFalse(nodes.get("e").catchingUpFrom().containsKey("e"), "it starts none of them itself");
        int pushing = 0;
        for (String n : List.of("a", "b", "c", "d")) {
            assertEquals(Map.of(), nodes.get(n).catchingUpFrom(), n + " holds all it owns");
            pushing += nodes.get(n).status().local().pending();
        }
        assertTrue(pushing > 0, "while they push e what it missed");
        finishAll();
        assertEquals(Map.of(), nodes.get("e").catchingUpFrom());
    }

    @Test
    void a_new_owner_is_catching_up_until_its_exchanges_of_what_it_gained_end_even_across_epochs() {
        start("a", "b", "c", "d", "e", "f");
        tick(1_000);
        finishAll();
        depart("f");
        tick(1_000);
        List<String> gainers = new ArrayList<>();
        for (Map.Entry<String, RecoveryCoordinator> n : nodes.entrySet()) {
            boolean gained = !epochs.get(n.getKey()).task().gained().isEmpty();
            assertEquals(gained, !n.getValue().catchingUpFrom().isEmpty(), n.getKey());
            if (gained) {
                gainers.add(n.getKey());
            }
        }
        assertFalse(gainers.isEmpty());
        // The next epoch comes before they caught up: a restart, which moves no partition, so they gain
        // nothing in it, but what they gained before is still missing here.
        String restarted = gainers.remove(gainers.size() - 1);
        lives.put(restarted, 2L);
        nodes.put(restarted, new RecoveryCoordinator(restarted, SETTINGS, null));
        tick(0);
        tick(1_000);
        for (String n : gainers) {
            assertEquals(Map.of(), epochs.get(n).task().gained(), n);
            assertFalse(nodes.get(n).catchingUpFrom().isEmpty(), n);
        }
        finishAll();
        nodes.forEach((n, c) -> assertEquals(Map.of(), c.catchingUpFrom(), n));
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

    private static List<SyncTask> startedBy(List<RecoveryAction> actions) {
        return actions.stream().filter(RecoveryAction.StartSync.class::isInstance)
                .map(act -> ((RecoveryAction.StartSync) act).task()).toList();
    }

    @Test
    void an_exchange_still_running_when_its_epoch_comes_back_counts_once() {
        RecoveryCoordinator a = new RecoveryCoordinator("a", SETTINGS, null);
        for (String m : List.of("a", "b", "c", "d")) {
            a.onMember(m, 1L, true, 0);
        }
        List<SyncTask> first = startedBy(a.onTick(1_000));
        assertFalse(first.isEmpty());
        String epoch = a.epoch();
        a.onMember("d", 1L, false, 1_100); // d declared dead, then back in the same life: the first epoch's name again
        a.onTick(2_200);
        a.onMember("d", 1L, true, 2_300);
        List<SyncTask> again = new ArrayList<>(startedBy(a.onTick(3_400)));
        assertEquals(epoch, a.epoch());

        // The first stay's exchanges end now; the ones started again for the same epoch after them.
        for (SyncTask t : first) {
            again.addAll(startedBy(a.onSyncFinished(t, true, 3_500)));
        }
        for (int i = 0; i < again.size(); i++) {
            again.addAll(startedBy(a.onSyncFinished(again.get(i), true, 3_600)));
        }
        assertEquals(0, a.status().local().pending(), "every exchange of the epoch counted once");
        assertEquals(0, a.status().local().failed());
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

    // ------------------------------------------------ one epoch per incident

    /** The defaults: stable-after 2 s, settle-max 10 s. */
    private static final RecoveryCoordinator.Settings INCIDENT =
            new RecoveryCoordinator.Settings(32, 3, 2_000, 4, 3, 500, 600_000, 0, 10_000);
    private static final long TICK_MILLIS = 100;

    /**
     * Each row: membership's events as "time member-with-sign; ..." ({@code ?x} suspect, {@code -x}
     * declared dead, {@code +x} alive again), and the epochs that start after the first, as
     * "time live-members". Members a to h are alive from 0 and their first epoch starts at 2 s.
     */
    static Stream<Arguments> incidents() {
        return Stream.of(
                Arguments.of("one clean crash: its epoch starts stable-after after the death",
                        "10000 ?h; 15000 -h", 30_000, List.of("17000 7")),
                Arguments.of("a mass crash declared 1 s apart, the others still suspect: one epoch",
                        "10000 ?f ?g ?h; 15000 -f; 16000 -g; 17000 -h", 30_000, List.of("19000 5")),
                Arguments.of("a mass crash declared 3 s apart (longer than stable-after), the others still suspect: one epoch",
                        "10000 ?f ?g ?h; 15000 -f; 18000 -g; 21000 -h", 40_000, List.of("23000 5")),
                Arguments.of("a suspect refuted before stable-after: the epoch starts at stable-after",
                        "10000 -h; 10500 ?d; 11000 +d", 30_000, List.of("12000 7")),
                Arguments.of("a suspect refuted after stable-after: the epoch starts when it is refuted",
                        "10000 -h; 10500 ?d; 14000 +d", 30_000, List.of("14000 7")),
                Arguments.of("a suspect never resolved: settle-max after the death",
                        "9000 ?d; 10000 -h", 40_000, List.of("20000 7")),
                Arguments.of("a member flapping alive-suspect for 30 s, nothing else: no epoch",
                        flap("d", 10_000, 40_000), 50_000, List.of()),
                Arguments.of("a member flapping alive-suspect for 30 s after a death: settle-max starts that one epoch, and no other",
                        "10000 -h; " + flap("d", 10_000, 40_000), 50_000, List.of("20000 7")),
                Arguments.of("a member flapping in and out of the live set: settle-max does not override stable-after",
                        dieAndReturn("d", 10_000, 40_000) + "; 40000 +d", 50_000, List.of()));
    }

    /** Suspect most of the time, alive again for 50 ms a second, between two ticks: as a slow member that refutes. */
    private static String flap(String member, long fromMillis, long toMillis) {
        StringBuilder out = new StringBuilder();
        for (long t = fromMillis; t < toMillis; t += 1_000) {
            out.append(t + 10).append(" ?").append(member).append("; ")
                    .append(t + 60).append(" +").append(member).append("; ")
                    .append(t + 70).append(" ?").append(member).append("; ");
        }
        return out.append(toMillis).append(" +").append(member).toString();
    }

    /** Declared dead and back in the same life every second: the live set changes faster than stable-after. */
    private static String dieAndReturn(String member, long fromMillis, long toMillis) {
        StringBuilder out = new StringBuilder();
        for (long t = fromMillis; t < toMillis; t += 1_000) {
            out.append(t).append(" -").append(member).append("; ").append(t + 500).append(" +").append(member).append("; ");
        }
        return out.substring(0, out.length() - 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("incidents")
    void one_epoch_per_incident(String incident, String events, long endMillis, List<String> expected) {
        RecoveryCoordinator a = new RecoveryCoordinator("a", INCIDENT, null);
        TreeMap<Long, List<String>> timeline = new TreeMap<>();
        for (String at : events.split(";\\s*")) {
            String[] words = at.trim().split("\\s+");
            for (int i = 1; i < words.length; i++) {
                timeline.computeIfAbsent(Long.parseLong(words[0]), k -> new ArrayList<>()).add(words[i]);
            }
        }
        for (long t = 0; t <= endMillis; t += TICK_MILLIS) {
            timeline.computeIfAbsent(t, k -> new ArrayList<>());
        }
        for (String m : List.of("a", "b", "c", "d", "e", "f", "g", "h")) {
            a.onMember(m, 1L, MemberStatus.ALIVE, List.of(), 0);
        }
        List<String> started = new ArrayList<>();
        for (Map.Entry<Long, List<String>> at : timeline.entrySet()) {
            long t = at.getKey();
            for (String change : at.getValue()) {
                MemberStatus status = switch (change.charAt(0)) {
                    case '?' -> MemberStatus.SUSPECT;
                    case '-' -> MemberStatus.DEAD;
                    case '+' -> MemberStatus.ALIVE;
                    default -> throw new IllegalArgumentException(change);
                };
                a.onMember(change.substring(1), 1L, status, List.of(), t);
            }
            if (t % TICK_MILLIS == 0) {
                for (RecoveryAction act : a.onTick(t)) {
                    if (act instanceof RecoveryAction.EpochStarted e) {
                        started.add(t + " " + a.status().members());
                    }
                }
            }
        }
        assertEquals("2000 8", started.get(0), incident);
        assertEquals(expected, started.subList(1, started.size()), incident);
        assertEquals(started.size(), a.status().epochsStarted(), incident);
    }

    @Test
    void settle_max_shorter_than_stable_after_is_refused_with_both_values() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RecoveryCoordinator.Settings(32, 3, 2_000, 4, 3, 500, 600_000, 0, 1_000));
        assertEquals("settle-max (1000 ms) must be at least stable-after (2000 ms)", e.getMessage());
    }

    @Test
    void without_a_word_on_suspects_a_coordinator_settles_after_stable_after_as_before() {
        RecoveryCoordinator a = new RecoveryCoordinator("a", INCIDENT, null);
        assertEquals(10_000, new RecoveryCoordinator.Settings(32, 3, 2_000, 4, 3, 500, 600_000, 0).settleMaxMillis());
        for (String m : List.of("a", "b", "c")) {
            a.onMember(m, 1L, true, List.of(), 0);
        }
        assertNull(epochStartedAt(a, 1_900));
        assertEquals(3, epochStartedAt(a, 2_000).ownership().members().size());
    }

    private static RecoveryAction.EpochStarted epochStartedAt(RecoveryCoordinator c, long nowMillis) {
        return c.onTick(nowMillis).stream().filter(RecoveryAction.EpochStarted.class::isInstance)
                .map(RecoveryAction.EpochStarted.class::cast).findFirst().orElse(null);
    }
}
