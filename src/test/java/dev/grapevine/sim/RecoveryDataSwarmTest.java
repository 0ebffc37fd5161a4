package dev.grapevine.sim;

import dev.grapevine.core.config.Profile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A swarm of recovery runs with data on random seeds and random faults (mvn -B verify -Pslow): each
 * must settle and lose no acknowledged write. A failure names its seed: {@code reproduce with --seed N}
 * and the rest of the command line replays it exactly. Set {@code -Dswarm.runs=N} for more runs, and
 * {@code -Dswarm.seed=S} for another swarm.
 */
@Tag("slow")
class RecoveryDataSwarmTest {

    @Test
    void randomSeedsAndFaultsLoseNoAcknowledgedWrite() {
        int runs = Integer.getInteger("swarm.runs", 24);
        SplittableRandom random = new SplittableRandom(Long.getLong("swarm.seed", System.nanoTime()));
        List<String> failures = new ArrayList<>();
        for (int k = 0; k < runs; k++) {
            long seed = random.nextLong(1, Long.MAX_VALUE);
            DataSpec data = new DataSpec(20 + random.nextInt(80), random.nextBoolean(), random.nextBoolean(),
                    random.nextBoolean() ? PartitionMode.MAJORITY : PartitionMode.AVAILABLE);
            ScenarioSpec spec = ScenarioSpec.of("recovery", 10 + random.nextInt(30), seed, Profile.LAN)
                    .withDuration(Duration.ofSeconds(60 + random.nextInt(180))).withData(data);
            if (random.nextBoolean()) {
                spec = spec.withLoss(random.nextInt(8));
            }
            SimulationReport r = ScenarioRunner.run(spec, null);
            if (!r.passed()) {
                failures.add("reproduce with --seed " + seed + ": " + spec.reproduceCommand() + "\n  " + r.figures());
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " of " + runs + " runs failed:\n" + String.join("\n", failures));
    }
}
