package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataDirTest {

    @Test
    void aLaterLifeIsRecordedSoTheNextProcessStartsAboveIt(@TempDir Path dir) {
        DataDir d = new DataDir(dir);
        assertEquals(1_000, d.nextEpoch(1_000));
        d.recordEpoch(1_002); // membership restarted twice in that process
        assertEquals(1_003, new DataDir(dir).nextEpoch(500));
    }

    @Test
    void epochsOnlyGrowEvenWhenTheClockGoesBack(@TempDir Path dir) {
        DataDir d = new DataDir(dir);
        assertEquals(1_000, d.nextEpoch(1_000));
        assertEquals(1_001, d.nextEpoch(500), "a clock that went back must not reuse an epoch");
        assertEquals(5_000, d.nextEpoch(5_000));
        assertEquals(5_001, new DataDir(dir).nextEpoch(0), "the record survives the process");
    }

    @Test
    void peersRoundTripAndAreBounded(@TempDir Path dir) {
        DataDir d = new DataDir(dir);
        assertEquals(List.of(), d.peers());
        List<Address> many = new java.util.ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            many.add(new Address("10.0.0." + i, 7946));
        }
        d.savePeers(many);
        assertEquals(many.subList(0, DataDir.PEERS_MAX), d.peers());
    }

    @Test
    void aDamagedEpochFileStopsTheStartAndABadPeerLineIsSkipped(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("epoch"), "yesterday");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DataDir(dir).nextEpoch(1));
        assertTrue(e.getMessage().contains("holds 'yesterday'"), e.getMessage());
        Files.writeString(dir.resolve("peers"), "10.0.0.1:7946\nnot-an-address\n");
        assertEquals(List.of(new Address("10.0.0.1", 7946)), new DataDir(dir).peers(), "the bad line is skipped, the rest kept");
    }
}
