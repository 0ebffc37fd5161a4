package dev.grapevine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvBulkCommandsTest {
    private final FakeKvAgent agent = new FakeKvAgent();

    @TempDir
    Path dir;

    KvBulkCommandsTest() throws IOException {
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    private CliRun kv(String... args) {
        return agent.kv(args);
    }

    private static void assertCounts(JsonNode json, String... nameValue) {
        for (int i = 0; i < nameValue.length; i += 2) {
            assertEquals(Integer.parseInt(nameValue[i + 1]), json.get(nameValue[i]).asInt(), nameValue[i] + " in " + json);
        }
    }

    @Test
    void loadThenVerifyAgree() {
        CliRun load = kv("load", "--count", "200", "--concurrency", "4", "--json");
        assertEquals(0, load.code(), load.toString());
        JsonNode s = load.json();
        assertCounts(s, "count", "200", "acked", "200", "failed", "0");
        assertTrue(s.get("seconds").isNumber() && s.get("rate_per_s").asDouble() > 0, s.toString());
        assertEquals(200, agent.values.size());
        assertTrue(agent.values.containsKey("key-000") && agent.values.containsKey("key-199"), agent.values.keySet().toString());
        assertEquals(32, agent.values.get("key-042").length());
        assertTrue(agent.maxInFlight.get() <= 4, "in flight at most 4, but saw " + agent.maxInFlight.get());

        CliRun verify = kv("verify", "--count", "200", "--concurrency", "4", "--json");
        assertEquals(0, verify.code(), verify.toString());
        assertCounts(verify.json(), "checked", "200", "ok", "200", "missing", "0", "wrong", "0", "errors", "0");
        assertEquals("", verify.err());
    }

    @Test
    void theHumanSummaryIsOneLine() {
        CliRun load = kv("load", "--count", "10", "--prefix", "p/ ", "--value-bytes", "5");
        assertEquals(0, load.code(), load.toString());
        assertTrue(load.out().matches("loaded 10 keys: 10 acked, 0 failed in [0-9.]+ s \\([0-9.]+ acked writes/s\\)\n"), load.out());
        assertEquals(5, agent.values.get("p/ 9").length());
        CliRun verify = kv("verify", "--count", "10", "--prefix", "p/ ", "--value-bytes", "5");
        assertEquals(0, verify.code(), verify.toString());
        assertTrue(verify.out().startsWith("verified 10 keys: 10 ok, 0 missing, 0 wrong, 0 errors in "), verify.out());
    }

    @Test
    void failedWritesAreCountedNotFatalAndOnlyTheFirstFivePrinted() {
        agent.unavailable = key -> key.endsWith("7");
        CliRun load = kv("load", "--count", "100", "--json");
        assertEquals(1, load.code(), load.toString());
        assertCounts(load.json(), "count", "100", "acked", "90", "failed", "10");
        List<String> lines = load.err().lines().toList();
        assertEquals(6, lines.size(), load.err());
        assertTrue(lines.subList(0, 5).stream().allMatch(l -> l.matches(
                "grapevine: key-\\d7: HTTP 503: only 1 of 2 required replicas answered within 2000 ms")), load.err());
        assertEquals("grapevine: 10 of 100 writes failed (the first 5 shown)", lines.get(5));
        assertEquals(90, agent.values.size());
    }

    @Test
    void anAckedFileLimitsVerifyToTheAckedKeys() throws IOException {
        Path acked = dir.resolve("acked.txt");
        agent.unavailable = key -> key.endsWith("7");
        assertEquals(1, kv("load", "--count", "100", "--acked-file", acked.toString()).code());
        List<String> lines = Files.readAllLines(acked);
        assertEquals("# {\"prefix\":\"key-\",\"count\":100,\"value_bytes\":32,\"seed\":0}", lines.get(0));
        assertEquals(IntStream.range(0, 100).filter(i -> i % 10 != 7).mapToObj(Integer::toString).toList(),
                lines.subList(1, lines.size()));
        agent.unavailable = key -> false;

        CliRun all = kv("verify", "--count", "100", "--json");
        assertEquals(1, all.code(), all.toString());
        assertCounts(all.json(), "checked", "100", "ok", "90", "missing", "10", "wrong", "0", "errors", "0");

        CliRun onlyAcked = kv("verify", "--count", "100", "--acked-file", acked.toString(), "--json");
        assertEquals(0, onlyAcked.code(), onlyAcked.toString());
        assertCounts(onlyAcked.json(), "checked", "90", "ok", "90", "missing", "0");
    }

    @Test
    void verifyFindsAWrongAndAMissingValueAndNamesThem() {
        assertEquals(0, kv("load", "--count", "50").code());
        agent.values.put("key-07", "not what load wrote");
        agent.values.remove("key-13");
        CliRun verify = kv("verify", "--count", "50", "--json");
        assertEquals(1, verify.code(), verify.toString());
        assertCounts(verify.json(), "checked", "50", "ok", "48", "missing", "1", "wrong", "1", "errors", "0");
        assertTrue(verify.err().contains("grapevine: key-07: wrong value 'not what load wrote', expected '"), verify.err());
        assertTrue(verify.err().contains("grapevine: key-13: missing"), verify.err());
    }

    @Test
    void verifyCountsUnavailableKeysAsErrorsAndListsAtMostTen() {
        assertEquals(0, kv("load", "--count", "100").code());
        agent.unavailable = key -> key.endsWith("1") || key.endsWith("2");
        CliRun verify = kv("verify", "--count", "100", "--json");
        assertEquals(1, verify.code(), verify.toString());
        assertCounts(verify.json(), "checked", "100", "ok", "80", "errors", "20");
        List<String> lines = verify.err().lines().toList();
        assertEquals(11, lines.size(), verify.err());
        assertEquals("grapevine: 20 bad keys (the first 10 shown)", lines.get(10));
    }

    @Test
    void anotherSeedIsAnotherRun() {
        assertEquals(0, kv("load", "--count", "20", "--seed", "1").code());
        CliRun verify = kv("verify", "--count", "20", "--seed", "2", "--json");
        assertEquals(1, verify.code());
        assertCounts(verify.json(), "ok", "0", "wrong", "20");
    }

    @Test
    void anAckedFileFromAnotherRunIsRefused() throws IOException {
        Path acked = dir.resolve("acked.txt");
        assertEquals(0, kv("load", "--count", "20", "--acked-file", acked.toString()).code());
        CliRun verify = kv("verify", "--count", "20", "--prefix", "other-", "--acked-file", acked.toString());
        assertEquals(2, verify.code(), verify.toString());
        assertTrue(verify.err().contains("was written with --prefix key-, but verify has other-"), verify.err());
        Files.writeString(acked, "3\n\n# hand-written\n25\n");
        CliRun outside = kv("verify", "--count", "20", "--acked-file", acked.toString());
        assertEquals(2, outside.code(), outside.toString());
        assertTrue(outside.err().contains(":4: index 25 is outside 0..19"), outside.err());
    }

    @Test
    void anUnreachableAgentFailsEveryWriteWithoutAborting() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CliRun load = CliRun.of("kv", "load", "--count", "20", "--json", "--http", "127.0.0.1:" + closed);
        assertEquals(1, load.code(), load.toString());
        assertCounts(load.json(), "acked", "0", "failed", "20");
        assertTrue(load.err().contains("cannot reach the agent at 127.0.0.1:" + closed), load.err());
    }

    @Test
    void badOptionsAreRefused() {
        assertEquals(2, kv("load", "--count", "0").code());
        assertEquals(2, kv("load", "--count", "10", "--concurrency", "0").code());
        assertEquals(2, kv("load", "--count", "10", "--value-bytes", "0").code());
        CliRun run = kv("verify", "--count", "10", "--acked-file", dir.resolve("absent").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("grapevine: no such acked file: "), run.err());
        CliRun unwritable = kv("load", "--count", "10", "--acked-file", dir.resolve("no/such/dir/acked").toString());
        assertEquals(2, unwritable.code(), unwritable.toString());
        assertTrue(unwritable.err().startsWith("grapevine: cannot write the acked file "), unwritable.err());
        assertEquals(0, agent.values.size());
    }

    @Test
    void keysArePaddedToTheWidthOfTheLastIndex() {
        assertEquals("key-0", new KvWorkload("key-", 1, 32, 0).key(0));
        assertEquals("key-9", new KvWorkload("key-", 10, 32, 0).key(9));
        assertEquals("key-000000", new KvWorkload("key-", 1_000_000, 32, 0).key(0));
        assertEquals("key-0999999", new KvWorkload("key-", 1_000_001, 32, 0).key(999_999));
    }

    @Test
    void valuesAreDeterministicAndTellKeysAndSeedsApart() {
        KvWorkload w = new KvWorkload("key-", 1000, 8, 0);
        assertEquals(w.value(5), new KvWorkload("key-", 1000, 8, 0).value(5));
        assertTrue(w.value(5).matches("[0-9a-z]{8}"), w.value(5));
        Set<String> distinct = new HashSet<>();
        IntStream.range(0, 1000).forEach(i -> distinct.add(w.value(i)));
        assertEquals(1000, distinct.size());
        assertNotEquals(w.value(5), new KvWorkload("key-", 1000, 8, 1).value(5));
        // Pinned: verify must recompute what an older load wrote.
        assertEquals("zmaji3ux", w.value(5));
        assertEquals(1, new KvWorkload("k", 1, 1, 0).value(0).length());
    }
}
