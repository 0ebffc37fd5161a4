package dev.grapevine.core.repair;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two stores diverge at random; an exchange driven through a network that loses, duplicates, delays
 * and reorders messages leaves them identical, and moves exactly the entries that differ: a key on
 * one side only once, a key with two versions both ways.
 */
class ExchangeProperties {

    @Property(tries = 150)
    void anExchangeOverALossyNetworkLeavesBothSidesIdenticalMovingOnlyWhatDiffers(
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3000) int keys,
            @ForAll @IntRange(min = 0, max = 100) int divergencePercent,
            @ForAll @DoubleRange(min = 0, max = 0.3) double lossRate,
            @ForAll @DoubleRange(min = 0, max = 0.3) double duplicateRate,
            @ForAll @IntRange(min = 1, max = 64) int keysPerPage,
            @ForAll @IntRange(min = 1, max = 400) int chunkBytes,
            @ForAll @IntRange(min = 1, max = 64) int nodesPerRequest) {
        Random random = new Random(seed);
        VersionStore a = new VersionStore(random.nextInt(20));
        VersionStore b = new VersionStore(random.nextInt(20));
        int onlyOneSide = 0;
        int bothDiffer = 0;
        for (int i = 0; i < keys; i++) {
            String key = "k" + Integer.toString(random.nextInt(1 << 20), 36) + "-" + i;
            long version = 1 + random.nextInt(3);
            if (random.nextInt(100) >= divergencePercent) {
                a.versions.put(key, version);
                b.versions.put(key, version);
                continue;
            }
            switch (random.nextInt(3)) {
                case 0 -> { a.versions.put(key, version); onlyOneSide++; }
                case 1 -> { b.versions.put(key, version); onlyOneSide++; }
                default -> { a.versions.put(key, version); b.versions.put(key, version + 1 + random.nextInt(2)); bothDiffer++; }
            }
        }
        if (random.nextInt(10) == 0) {
            (random.nextBoolean() ? a : b).versions.clear(); // one side empty: the shortcut
            onlyOneSide = new HashSet<>(a.versions.keySet()).size() + b.versions.size();
            bothDiffer = 0;
        }
        Set<String> allKeys = new HashSet<>(a.versions.keySet());
        allKeys.addAll(b.versions.keySet());
        // Long enough resends that the loss rate cannot exhaust them; latencies beyond the timeout make late replies.
        ExchangeLimits limits = new ExchangeLimits(nodesPerRequest, keysPerPage, chunkBytes, 16, 100, 30, 32, 100_000);
        ExchangeInitiator initiator = new ExchangeInitiator(ExchangeInitiator.exchangeIdFrom(seed), "d", 0, a, limits);
        ExchangeLoop loop = new ExchangeLoop(seed, lossRate, duplicateRate, 150);
        ExchangeEffect.Done done = loop.run(initiator, new ExchangeResponder("b", limits), b);

        assertTrue(done.ok(), done.reason());
        assertEquals(a.versions, b.versions);
        assertEquals(allKeys, a.versions.keySet());
        ExchangeStats s = initiator.stats();
        assertEquals(onlyOneSide + 2L * bothDiffer, s.entriesSent() + s.entriesReceived(), s.toString());
        assertEquals(1, loop.maxOutstandingRequests);
    }
}
