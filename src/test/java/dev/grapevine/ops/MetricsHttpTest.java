package dev.grapevine.ops;

import dev.grapevine.api.MemberStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /metrics on a node of a two-node cluster in this JVM: names, types, labels, and values that move. */
class MetricsHttpTest {
    private static InProcessNode a;
    private static InProcessNode b;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        a = new InProcessNode("a", Files.createDirectories(dir.resolve("a")), List.of());
        b = new InProcessNode("b", Files.createDirectories(dir.resolve("b")), List.of(a.grapevine.address()));
        await().atMost(InProcessNode.DEADLINE).until(() ->
                Double.valueOf(2).equals(a.scrape().value("grapevine_members", "status", "alive")));
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    @Test
    void theAnswerIsPrometheusTextWithEveryFigureAsCounterOrGauge() throws Exception {
        HttpResponse<String> r = a.get("/metrics");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        Exposition e = Exposition.parse(r.body());
        for (MetricCatalog.Figure f : MetricCatalog.FIGURES) {
            String name = "grapevine_" + f.key();
            if (f.counter()) {
                assertEquals("counter", e.types().get(name + "_total"), name + "_total: " + e.types().keySet());
                assertNotNull(e.value(name + "_total"), name + "_total has no sample");
            } else {
                assertEquals("gauge", e.types().get(name), name);
                assertNotNull(e.value(name), name + " has no sample");
            }
        }
        assertEquals("gauge", e.types().get("grapevine_members"));
        assertEquals("counter", e.types().get("grapevine_messages_sent_total"));
        assertEquals("counter", e.types().get("grapevine_message_bytes_received_total"));
        assertEquals("counter", e.types().get("grapevine_recovery_epochs_started_total"));
        assertEquals("gauge", e.types().get("grapevine_recovery_partitions_pending"));
        assertEquals("histogram", e.types().get("grapevine_kv_request_seconds"));
        assertEquals("gauge", e.types().get("jvm_memory_used_bytes"));
        assertEquals("counter", e.types().get("jvm_gc_memory_allocated_bytes_total"));
        assertTrue(e.types().containsKey("jvm_threads_live_threads"), e.types().keySet().toString());
        assertTrue(e.types().containsKey("process_uptime_seconds"), e.types().keySet().toString());
        assertTrue(e.types().containsKey("jvm_classes_loaded_classes"), e.types().keySet().toString());
        assertTrue(e.types().containsKey("system_cpu_count"), e.types().keySet().toString());
    }

    @Test
    void everyFigureTheNodePublishesIsExported() {
        Set<String> published = new TreeSet<>(a.grapevine.metrics().keySet());
        published.addAll(a.kv.metrics().keySet());
        Set<String> listed = MetricCatalog.FIGURES.stream().map(MetricCatalog.Figure::key).collect(Collectors.toSet());
        published.removeAll(listed);
        assertEquals(Set.of(), published, "figures missing from MetricCatalog");
    }

    /**
     * docs/operations.md's metrics table is what a scrape of a node with the key-value store exports:
     * every grapevine_ family, with its type, labels and meaning (the HELP text, from MetricCatalog
     * and NodeMeters), and no other. On a mismatch the message has the table as it should read.
     */
    @Test
    void theOperationsGuideListsEveryExportedMetricAsExported() throws Exception {
        MetricsTable exported = MetricsTable.ofScrape(a.get(MetricsHttp.PATH).body());
        MetricsTable documented = MetricsTable.ofDocs(MetricsTable.OPERATIONS);
        assertTrue(exported.rows().containsKey("grapevine_messages_sent_total"), "no traffic yet: " + exported.rows().keySet());
        assertEquals(exported.markdown(), documented.markdown(),
                MetricsTable.OPERATIONS + "'s metrics table differs from a scrape; its rows should read:\n" + exported.markdown());
    }

    @Test
    void labelsComeFromFixedSets() throws Exception {
        Exposition e = a.scrape();
        Set<String> statuses = Arrays.stream(MemberStatus.values()).map(s -> s.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        assertEquals(statuses, e.labelValues("grapevine_members", "status"));
        Set<String> types = e.labelValues("grapevine_messages_sent_total", "type");
        assertTrue(types.containsAll(Set.of("ping", "ack", "nack", "ping_req", "gossip", "push_pull", "view_digest",
                "repair_tree_request", "repair_push", "other")), types.toString());
        assertTrue(types.size() <= 64, types.toString());
        assertTrue(types.stream().allMatch(t -> t.matches("[a-z_]+")), types.toString());
        assertEquals(Set.of("get", "put", "delete"), e.labelValues("grapevine_kv_request_seconds_count", "operation"));
        Set<String> everyLabelValue = new HashSet<>();
        e.samples().keySet().stream().filter(k -> k.startsWith("grapevine_") && k.contains("{"))
                .forEach(k -> everyLabelValue.add(k.substring(k.indexOf('{'))));
        assertTrue(everyLabelValue.stream().noneMatch(l -> l.contains("\"a\"") || l.contains("\"b\"")),
                "no member name is a label value: " + everyLabelValue);
    }

    @Test
    void valuesMoveWithWhatTheNodeDoes() throws Exception {
        Exposition before = a.scrape();
        double probes = before.value("grapevine_probes_total");
        double pingsSent = before.value("grapevine_messages_sent_total", "type", "ping");
        double ackBytes = before.value("grapevine_message_bytes_received_total", "type", "ack");
        a.kv.put("metrics-key", "v".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().join();
        a.kv.get("metrics-key").toCompletableFuture().join();
        await().atMost(InProcessNode.DEADLINE).untilAsserted(() -> {
            Exposition now = a.scrape();
            assertTrue(now.value("grapevine_probes_total") > probes, "probes do not increase");
            assertTrue(now.value("grapevine_acks_received_total") > 0, "no acks counted");
            assertTrue(now.value("grapevine_messages_sent_total", "type", "ping") > pingsSent, "pings sent do not increase");
            assertTrue(now.value("grapevine_message_bytes_received_total", "type", "ack") > ackBytes, "ack bytes do not increase");
            assertEquals(2.0, now.value("grapevine_members", "status", "alive"));
            assertEquals(0.0, now.value("grapevine_members", "status", "dead"));
            assertTrue(now.value("grapevine_recovery_epochs_started_total") >= 1, "no epoch counted");
            assertTrue(now.value("grapevine_kv_writes_total") >= 1, "no write counted");
            assertTrue(now.value("grapevine_kv_request_seconds_count", "operation", "put") >= 1, "no put timed");
            assertTrue(now.value("grapevine_kv_request_seconds_count", "operation", "get") >= 1, "no get timed");
            assertEquals(0.0, now.value("grapevine_kv_request_seconds_count", "operation", "delete"));
        });
    }

    @Test
    void onlyGetIsAllowed() throws Exception {
        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(a.base + "/metrics")).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
    }
}
