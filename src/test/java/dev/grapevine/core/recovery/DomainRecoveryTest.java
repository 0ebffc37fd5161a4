package dev.grapevine.core.recovery;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One domain's coordinators on a cluster where not every member runs it: every member is fed to
 * every coordinator with the domains it advertises, exchanges finish at once, and progress is
 * merged as gossip would.
 */
class DomainRecoveryTest {
    private static final RecoveryCoordinator.Settings SETTINGS =
            new RecoveryCoordinator.Settings(64, 3, 1_000, 64, 3, 500, 600_000, 0);
    private static final String KV = "kv";

    /** Each member's life and the domains it advertises. */
    private final Map<String, Long> lives = new TreeMap<>();
    private final Map<String, Set<String>> runs = new TreeMap<>();
    /** A kv coordinator on every member, runner or not: a non-runner's must stay idle. */
    private final Map<String, RecoveryCoordinator> kv = new TreeMap<>();
    private final Map<Long, EpochProgress> board = new HashMap<>();
    private final List<SyncTask> exchanges = new ArrayList<>();
    private final Map<String, RecoveryAction.EpochStarted> epochs = new TreeMap<>();
    private long now;

    private void member(String name, long life, Set<String> domains) {
        lives.put(name, life);
        runs.put(name, domains);
        if (!kv.containsKey(name) || life != 1L) {
            kv.put(name, new RecoveryCoordinator(name, KV, SETTINGS, null));
        }
    }

    private void settle() {
        for (int round = 0; round < 20; round++) {
            now += 500;
            for (Map.Entry<String, RecoveryCoordinator> e : kv.entrySet()) {
                RecoveryCoordinator c = e.getValue();
                lives.forEach((m, life) -> c.onMember(m, life, true, runs.get(m), now));
                board.values().forEach(c::onProgress);
                List<RecoveryAction> out = new ArrayList<>(c.onTick(now));
                while (!out.isEmpty()) {
                    RecoveryAction a = out.remove(0);
                    if (a instanceof RecoveryAction.StartSync s) {
                        exchanges.add(s.task());
                        out.addAll(c.onSyncFinished(s.task(), true, now));
                    } else if (a instanceof RecoveryAction.EpochStarted s) {
                        epochs.put(e.getKey(), s);
                    } else if (a instanceof RecoveryAction.PublishProgress p) {
                        long epoch = Progress.epochBits(p.progress().epoch());
                        EpochProgress held = board.get(epoch);
                        if (held == null || held.members() != p.members()) {
                            held = EpochProgress.empty(epoch, p.members());
                        }
                        board.put(epoch, held.with(p.index(), now, p.progress().pending(), p.progress().failed()));
                    }
                }
            }
        }
    }

    @Test
    void aMemberThatRunsNoDomainOwnsNothingIsNoPartnerAndIsNotAwaited() {
        for (String n : List.of("a", "b", "c")) {
            member(n, 1L, Set.of(KV));
        }
        member("reporter", 1L, Set.of());
        settle();

        RecoveryCoordinator.Status a = kv.get("a").status();
        assertEquals(KV, a.domain());
        assertEquals(3, a.members(), "members counts the runners");
        assertEquals(List.of("a", "b", "c"), a.ownership().members());
        assertTrue(a.completeEverywhere(), "complete among the runners, with no word from the reporter");
        for (String n : List.of("a", "b", "c")) {
            assertEquals(a.epoch(), kv.get(n).epoch(), "every runner settles on the same epoch");
            assertEquals(64, kv.get(n).status().partitionsOwned(), "RF 3 of 3 runners: each owns every partition");
            for (int p = 0; p < 64; p++) {
                assertEquals(a.ownership().owners(p), kv.get(n).ownership().owners(p), n + ", partition " + p);
            }
        }
        assertTrue(exchanges.stream().noneMatch(t -> t.peer().equals("reporter")), "never an exchange partner: " + exchanges);
        assertNull(kv.get("reporter").epoch(), "a non-runner's coordinator settles no epoch");
        assertEquals(0, kv.get("reporter").status().partitionsOwned());
    }

    @Test
    void aMemberThatStartsRunningTheDomainStartsANewEpochThatIncludesIt() {
        for (String n : List.of("a", "b", "c")) {
            member(n, 1L, Set.of(KV));
        }
        member("d", 1L, Set.of());
        settle();
        String before = kv.get("a").epoch();
        assertEquals(List.of("a", "b", "c"), kv.get("a").ownership().members());

        runs.put("d", Set.of(KV)); // registered the domain: its tag now names it
        settle();
        assertNotEquals(before, kv.get("a").epoch());
        for (String n : List.of("a", "b", "c", "d")) {
            assertEquals(List.of("a", "b", "c", "d"), kv.get(n).ownership().members(), n);
            assertEquals(kv.get("a").epoch(), kv.get(n).epoch(), n);
            assertTrue(kv.get(n).completeEverywhere(), n);
        }
        assertTrue(kv.get("d").status().partitionsOwned() > 0);
        assertTrue(epochs.get("d").task().gained().size() > 0, "d gains partitions, with sources to copy from");
    }

    @Test
    void aMemberRestartedWithoutTheDomainLeavesItsOwnership() {
        for (String n : List.of("a", "b", "c", "d")) {
            member(n, 1L, Set.of(KV));
        }
        settle();
        assertEquals(4, kv.get("a").status().members());

        member("d", 2L, Set.of()); // back in a new life, without the store
        settle();
        for (String n : List.of("a", "b", "c")) {
            assertEquals(List.of("a", "b", "c"), kv.get(n).ownership().members(), n);
            assertTrue(kv.get(n).completeEverywhere(), n);
        }
        assertEquals(0, kv.get("d").status().partitionsOwned());
    }

    @Test
    void twoDomainsRunByTheSameMembersHaveEpochsOfTheirOwn() {
        Map<String, Long> same = Map.of("a", 1L, "b", 1L);
        assertNotEquals(RecoveryCoordinator.epochOf("kv", same), RecoveryCoordinator.epochOf("index", same));
        assertNotEquals(RecoveryCoordinator.epochOf("kv", same), RecoveryCoordinator.epochOf(same));
        assertEquals(RecoveryCoordinator.epochOf(same), RecoveryCoordinator.epochOf(null, same), "no domain: as before");
    }
}
