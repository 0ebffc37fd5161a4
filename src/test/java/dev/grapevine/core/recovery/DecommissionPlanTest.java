package dev.grapevine.core.recovery;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leaving node's decommission through the planner, against a store kept here as partition to key
 * to digest, and owners that receive what each successful exchange carries.
 */
class DecommissionPlanTest {
    private static final String SELF = "x";
    private static final int PARTITIONS = 8;
    private static final Ownership REMAINING = new Ownership(List.of("a", "b", "c"), PARTITIONS, 2);
    private static final HandOffPlanner.View SETTLED = new HandOffPlanner.View("r1", REMAINING, true);
    private static final HandOffPlanner.View SETTLING = new HandOffPlanner.View("r1", REMAINING, false);

    private final HandOffPlanner planner = new HandOffPlanner(SELF, new HandOffPlanner.Settings(2));
    /** This node's store. */
    private final Map<Integer, Map<String, Long>> store = new TreeMap<>();
    /** What each owner received, by owner then partition. */
    private final Map<String, Map<Integer, Map<String, Long>>> received = new TreeMap<>();
    /** Entries the next fold moves into the partitions (the KV store's hints). */
    private final Map<Integer, Map<String, Long>> outside = new TreeMap<>();
    private final List<HandOffEffect> seen = new ArrayList<>();
    private final java.util.Set<String> unreachable = new java.util.HashSet<>();
    private Runnable duringExchange = () -> { };

    @Test
    void theLastRunnerGoesAtOnceWithNothingHandedOff() {
        List<HandOffEffect> out = planner.decommission(
                new HandOffPlanner.View("r0", new Ownership(List.of(), PARTITIONS, 2), false), Set.of(1));
        assertEquals(List.of(new HandOffEffect.Decommissioned("r0", false, "no other live member runs the domain")), out);
        assertTrue(planner.decommissioned());
    }

    @Test
    void everythingHeldAndFoldedReachesEveryOwnerBeforeTheNodeMayGo() {
        write(1, "k1", 11);
        write(5, "k5", 55);
        outside.computeIfAbsent(6, p -> new TreeMap<>()).put("hinted", 66L);

        step(SETTLING);
        step(SETTLING);
        step(SETTLING);
        assertTrue(seen.stream().noneMatch(e -> e instanceof HandOffEffect.ReadDigests),
                "no round while the others have not settled without this node");
        assertFalse(planner.decommissioned());

        for (int i = 0; i < 6 && !planner.decommissioned(); i++) {
            step(SETTLED);
        }
        assertTrue(planner.decommissioned());
        assertTrue(store.isEmpty(), "everything was dropped here: " + store);
        assertOwnersHave(1, "k1", 11);
        assertOwnersHave(5, "k5", 55);
        assertOwnersHave(6, "hinted", 66);
        assertEquals(new HandOffEffect.Decommissioned("r1", true, "every partition handed off"), seen.get(seen.size() - 1));
    }

    @Test
    void aLateWriteDuringARoundIsHandedOffInTheNext() {
        write(2, "old", 1);
        duringExchange = () -> {
            write(2, "late", 2);
            write(2, "old", 3);
            duringExchange = () -> { };
        };
        for (int i = 0; i < 10 && !planner.decommissioned(); i++) {
            step(SETTLED);
        }
        assertTrue(planner.decommissioned());
        assertOwnersHave(2, "late", 2);
        assertOwnersHave(2, "old", 3);
    }

    @Test
    void anUnreachableOwnerKeepsTheNodeFromGoing() {
        write(3, "k3", 33);
        unreachable.add(REMAINING.owners(3).get(0));
        for (int i = 0; i < 20; i++) {
            step(SETTLED);
        }
        assertFalse(planner.decommissioned(), "the shell's timeout decides, not the planner");
        assertEquals(Map.of("k3", 33L), store.get(3), "nothing is dropped that an owner lacks");
        assertTrue(seen.stream().anyMatch(e -> e instanceof HandOffEffect.Kept k
                && k.reason() == HandOffPlanner.KeepReason.EXCHANGE_FAILED));

        unreachable.clear();
        for (int i = 0; i < 6 && !planner.decommissioned(); i++) {
            step(SETTLED);
        }
        assertTrue(planner.decommissioned());
        assertOwnersHave(3, "k3", 33);
    }

    @Test
    void aNewRemainingEpochDuringARoundKeepsWhatWasHandedOffForTheNext() {
        write(4, "k4", 44);
        HandOffPlanner.View moved = new HandOffPlanner.View("r2", REMAINING, true);
        step(SETTLED); // fold
        viewAtExchangeEnd = moved;
        step(SETTLED); // the round, judged in r2
        assertTrue(seen.stream().anyMatch(e -> e instanceof HandOffEffect.Kept k
                && k.reason() == HandOffPlanner.KeepReason.EPOCH_CHANGED));
        assertEquals(Map.of("k4", 44L), store.get(4));
        viewAtExchangeEnd = null;
        for (int i = 0; i < 6 && !planner.decommissioned(); i++) {
            step(moved);
        }
        assertTrue(planner.decommissioned());
    }

    private HandOffPlanner.View viewAtExchangeEnd;

    private void write(int partition, String key, long digest) {
        store.computeIfAbsent(partition, p -> new TreeMap<>()).put(key, digest);
    }

    private void assertOwnersHave(int partition, String key, long digest) {
        for (String owner : REMAINING.owners(partition)) {
            assertEquals(digest, received.getOrDefault(owner, Map.of()).getOrDefault(partition, Map.of()).get(key),
                    owner + " lacks " + key + " of partition " + partition);
        }
    }

    /** One tick of the shell: a decommission step, with every effect carried out at once. */
    private void step(HandOffPlanner.View view) {
        run(planner.decommission(view, Set.copyOf(store.keySet())), view);
    }

    private void run(List<HandOffEffect> effects, HandOffPlanner.View view) {
        for (HandOffEffect e : effects) {
            seen.add(e);
            if (e instanceof HandOffEffect.Fold) {
                int moved = 0;
                for (Map.Entry<Integer, Map<String, Long>> p : outside.entrySet()) {
                    store.computeIfAbsent(p.getKey(), k -> new TreeMap<>()).putAll(p.getValue());
                    moved += p.getValue().size();
                }
                outside.clear();
                run(planner.onFolded(moved), view);
            } else if (e instanceof HandOffEffect.ReadDigests r) {
                run(planner.onDigests(r.partition(), Map.copyOf(store.getOrDefault(r.partition(), Map.of()))), view);
            } else if (e instanceof HandOffEffect.StartExchange x) {
                duringExchange.run();
                boolean ok = !unreachable.contains(x.owner());
                if (ok) {
                    received.computeIfAbsent(x.owner(), o -> new TreeMap<>())
                            .computeIfAbsent(x.partition(), p -> new TreeMap<>())
                            .putAll(store.getOrDefault(x.partition(), Map.of()));
                }
                run(planner.onExchangeDone(x.partition(), x.owner(), ok, viewAtExchangeEnd == null ? view : viewAtExchangeEnd), view);
            } else if (e instanceof HandOffEffect.Drop d) {
                Map<String, Long> held = store.get(d.partition());
                d.delivered().forEach((k, digest) -> held.remove(k, digest));
                if (held.isEmpty()) {
                    store.remove(d.partition());
                }
            }
        }
    }
}
