package dev.grapevine.sim;

import dev.grapevine.core.config.Profile;
import dev.grapevine.core.config.Settings;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.node.ForceLeave;
import dev.grapevine.core.wire.Message;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An operator removes a crashed node from one node; the whole cluster forgets it and stops dialling it. */
class SimulationForceLeaveTest {
    private static final int NODES = 20;
    private static final Duration REAP_AFTER = Duration.ofMinutes(5);
    private final Settings settings = Profile.LAN.settings().toBuilder().reapLeftAfter(REAP_AFTER).build();

    @Test
    void aCrashedNodeForceLeftFromOneNodeIsLeftThenReapedEverywhereAndNeverDialledAgain() {
        long seed = 67;
        Simulation sim = new Simulation(NODES, settings, seed);
        int gone = 7;
        String name = sim.name(gone);
        // Per node: when it learnt the member left, and what it sent to the member afterwards.
        long[] leftAtMillis = new long[NODES];
        java.util.Arrays.fill(leftAtMillis, Long.MAX_VALUE);
        List<String> sentAfterLeft = new ArrayList<>();
        long[] reconnectsBefore = new long[1];
        sim.addObserver(new SimObserver() {
            @Override
            public void onMemberEvent(int node, MemberEvent event, long nowMillis) {
                if (event.kind() == MemberEvent.Kind.LEFT && event.member().name().equals(name)) {
                    leftAtMillis[node] = Math.min(leftAtMillis[node], nowMillis);
                }
            }

            @Override
            public void onSend(int from, int to, Message message, long nowMillis) {
                if (to != gone) {
                    return;
                }
                if (nowMillis >= leftAtMillis[from]) {
                    sentAfterLeft.add(sim.name(from) + " sent " + message.getClass().getSimpleName() + " at " + nowMillis);
                } else if (message instanceof Message.PushPull) {
                    reconnectsBefore[0]++;
                }
            }
        });
        sim.startConverged();
        sim.at(5_000, () -> sim.crash(gone));
        assertTrue(sim.runUntil(120_000, () -> sim.countViewing(gone, MemberStatus.DEAD) == NODES - 1, 100, null),
                "never declared dead everywhere (seed " + seed + ")");
        sim.runUntil(sim.nowMillis() + 60_000); // long enough for reconnect attempts to go to it
        assertTrue(reconnectsBefore[0] > 0, "a dead member is redialled (seed " + seed + ")");

        ForceLeave decision = sim.forceLeave(0, name);

        assertTrue(decision.accepted(), decision.reason());
        assertEquals(ForceLeave.Outcome.REMOVED, decision.outcome());
        assertTrue(sim.runUntil(sim.nowMillis() + 30_000, () -> sim.countViewing(gone, MemberStatus.LEFT) == NODES - 1, 50, null),
                "not every node has it left (seed " + seed + "): " + sim.countViewing(gone, MemberStatus.LEFT));
        long allLeftAt = sim.nowMillis();
        assertTrue(sim.runUntil(allLeftAt + REAP_AFTER.toMillis() + 60_000, () -> noneLists(sim, name), 1_000, null),
                "not reaped everywhere (seed " + seed + ")");
        sim.runUntil(sim.nowMillis() + 10 * 60_000); // and stale news must not bring it back

        assertTrue(noneLists(sim, name), "listed again (seed " + seed + ")");
        assertEquals(List.of(), sentAfterLeft, "seed " + seed);
        assertEquals(List.of(), sim.violations());
        assertTrue(sim.viewsConverged(), "seed " + seed);
    }

    @Test
    void aNodeForceLeftWhileOnlyPausedRefutesAndComesBack() {
        long seed = 71;
        Simulation sim = new Simulation(NODES, settings, seed);
        int paused = 5;
        String name = sim.name(paused);
        sim.startConverged();
        sim.at(5_000, () -> sim.pause(paused, 90_000));
        assertTrue(sim.runUntil(90_000, () -> sim.countViewing(paused, MemberStatus.DEAD) == NODES - 1, 100, null),
                "never declared dead everywhere (seed " + seed + ")");
        long incarnation = sim.core(0).member(name).incarnation();

        assertTrue(sim.forceLeave(0, name).accepted());
        assertTrue(sim.runUntil(95_000, () -> sim.countViewing(paused, MemberStatus.LEFT) == NODES - 1, 50, null),
                "seed " + seed);

        assertTrue(sim.runUntil(400_000, sim::viewsConverged, 500, null), "it never came back (seed " + seed + ")");
        assertEquals(MemberStatus.ALIVE, sim.core(0).member(name).status());
        assertTrue(sim.core(paused).self().incarnation() > incarnation, "it refuted its removal");
        assertEquals(List.of(), sim.violations());
    }

    @Test
    void aLiveNodeIsNotRemoved() {
        Simulation sim = new Simulation(5, settings, 73);
        sim.startConverged();
        sim.runUntil(5_000);

        ForceLeave decision = sim.forceLeave(0, sim.name(2));

        assertEquals(ForceLeave.Outcome.ALIVE, decision.outcome());
        sim.runUntil(20_000);
        assertEquals(0, sim.countViewing(2, MemberStatus.LEFT));
        assertTrue(sim.viewsConverged());
    }

    private static boolean noneLists(Simulation sim, String name) {
        for (int i = 0; i < sim.size(); i++) {
            if (sim.isUp(i) && sim.core(i).member(name) != null) {
                return false;
            }
        }
        return true;
    }
}
