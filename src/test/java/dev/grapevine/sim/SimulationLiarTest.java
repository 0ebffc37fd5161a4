package dev.grapevine.sim;

import dev.grapevine.core.config.Profile;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.wire.Message;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A member that lies: it keeps telling everyone that a healthy member is dead, at a far-future epoch. */
class SimulationLiarTest {
    private static final int LIAR = 9;
    private static final int VICTIM = 3;

    @Test
    void aLyingMemberCannotKeepAHealthyMemberDead() {
        Simulation sim = new Simulation(10, Profile.LAN.settings(), 53);
        List<String> failed = new ArrayList<>();
        sim.addObserver(new SimObserver() {
            @Override
            public void onMemberEvent(int node, MemberEvent event, long nowMillis) {
                if (event.member().name().equals(sim.name(VICTIM)) && event.member().status() == MemberStatus.DEAD) {
                    failed.add(sim.name(node) + "@" + nowMillis);
                }
            }
        });
        sim.startConverged();
        Member victim = sim.core(VICTIM).self();
        Member farFuture = Member.alive(victim.name(), new Address("10.66.6.6", 7946), victim.epoch() + 10 * 3_600_000L, 0, Map.of())
                .withStatus(MemberStatus.DEAD);
        Member moved = Member.alive(victim.name(), new Address("10.66.6.6", 7946), victim.epoch(), victim.incarnation() + 1, Map.of())
                .withStatus(MemberStatus.DEAD);
        for (long t = 2_000; t < 30_000; t += 500) {
            sim.at(t, () -> {
                for (int to = 0; to < sim.size(); to++) {
                    if (to != LIAR) {
                        sim.inject(LIAR, to, new Message.Gossip(List.of(new Rumor.MemberRumor(farFuture, sim.name(LIAR)),
                                new Rumor.MemberRumor(moved, sim.name(LIAR)))));
                        sim.inject(LIAR, to, new Message.PushPull(false, false, 0, List.of(sim.core(LIAR).self(), farFuture)));
                    }
                }
            });
        }
        sim.runUntil(35_000);
        assertEquals(List.of(), failed, "seed 53");
        assertEquals(sim.size() - 1, sim.countViewing(VICTIM, MemberStatus.ALIVE), "seed 53");
        assertEquals(victim.epoch(), sim.core(0).member(victim.name()).epoch());
        assertTrue(sim.core(0).counters().claimsRefused() > 0);
        assertEquals(List.of(), sim.violations());
    }
}
