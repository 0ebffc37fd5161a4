package dev.grapevine.ops;

import dev.grapevine.api.Grapevine;
import dev.grapevine.api.MemberStatus;
import dev.grapevine.api.MessageTraffic;
import dev.grapevine.api.RecoveryStatus;
import dev.grapevine.kv.KvOperation;
import dev.grapevine.kv.KvService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.ToDoubleFunction;

/**
 * One node's metrics as a Prometheus registry of its own (never Micrometer's global one: several
 * nodes in one JVM, or an application embedding one, keep theirs apart). Built only from the
 * {@link Grapevine} API: the figures its actors publish each second are read as they are
 * ({@link FunctionCounter}s and {@link Gauge}s over the last {@link #refresh()}), so no actor changes
 * for them. Every label takes its values from a fixed set: member statuses, message types, store
 * operations; never a key or a member's name.
 */
final class NodeMeters implements AutoCloseable {
    static final String PREFIX = "grapevine.";
    /** Buckets of the store's request latency: few and fixed, so each operation costs 15 series. */
    static final Duration[] KV_LATENCY_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10)};

    private final Grapevine grapevine;
    private final KvService kv;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** The node's figures by name (the store's included), as of the last refresh. */
    private volatile Map<String, Long> figures = Map.of();
    private volatile Map<String, MessageTraffic> traffic = Map.of();
    /** Message types that have their meters (Micrometer warns when a meter is registered twice). */
    private final java.util.Set<String> trafficTypes = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Map<MemberStatus, Integer> members = Map.of();
    private volatile RecoveryStatus recovery;

    /** @param kv the node's key-value store, or null if it runs none */
    NodeMeters(Grapevine grapevine, KvService kv) {
        this.grapevine = grapevine;
        this.kv = kv;
        for (MetricCatalog.Figure f : MetricCatalog.FIGURES) {
            if (f.kv() && kv == null) {
                continue;
            }
            ToDoubleFunction<NodeMeters> read = m -> m.figures.getOrDefault(f.key(), 0L);
            if (f.counter()) {
                FunctionCounter.builder(PREFIX + f.key(), this, read).description(f.help()).register(registry);
            } else {
                Gauge.builder(PREFIX + f.key(), this, read).description(f.help()).register(registry);
            }
        }
        for (MemberStatus s : MemberStatus.values()) {
            Gauge.builder(PREFIX + "members", this, m -> m.members.getOrDefault(s, 0))
                    .description("Members of this node's view in each status")
                    .tags("status", s.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        recoveryMeters();
        for (String type : grapevine.traffic().keySet()) {
            trafficMeters(type);
        }
        if (kv != null) {
            kvLatency(kv);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * Reads the node's figures, its members by status and its recovery status, for the next
     * {@link #scrape()}. An ask the node does not answer in time leaves those figures as they were.
     */
    CompletionStage<Void> refresh() {
        Map<String, Long> now = new java.util.HashMap<>(grapevine.metrics());
        if (kv != null) {
            now.putAll(kv.metrics());
        }
        figures = Map.copyOf(now);
        Map<String, MessageTraffic> t = grapevine.traffic();
        for (String type : t.keySet()) {
            trafficMeters(type); // new: a type seen for the first time (a domain's); the set is bounded
        }
        traffic = t;
        CompletableFuture<Void> byStatus = grapevine.membersByStatus()
                .thenAccept(m -> members = new EnumMap<>(m)).exceptionally(e -> null).toCompletableFuture();
        CompletableFuture<Void> status = grapevine.recoveryStatus()
                .thenAccept(s -> recovery = s).exceptionally(e -> null).toCompletableFuture();
        return CompletableFuture.allOf(byStatus, status);
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter, as of the last refresh. */
    String scrape() {
        return registry.scrape(MetricsHttp.CONTENT_TYPE);
    }

    private void recoveryMeters() {
        gauge("recovery.partitions.pending", "Repair tasks pending in the current epoch, over the members that report it",
                r -> r.partitionsPending());
        gauge("recovery.members", "Live members in the current epoch", r -> r.members());
        gauge("recovery.complete", "1 if every live member reports the current epoch's repairs done, else 0",
                r -> r.complete() ? 1 : 0);
        gauge("recovery.local.pending", "This node's repair tasks pending in the current epoch", r -> local(r, "pending"));
        gauge("recovery.local.failed", "This node's repair tasks of the current epoch that gave up", r -> local(r, "failed"));
        gauge("recovery.syncs.running", "Repair exchanges this node runs now", r -> local(r, "running"));
        gauge("recovery.routine.pending", "Anti-entropy exchanges queued or running on this node",
                r -> local(r, "routine_pending"));
        gauge("recovery.partitions.owned", "Partitions this node owns in the current epoch", r -> local(r, "partitions_owned"));
        counter("recovery.epochs.started", "Recovery epochs this node started: changes of the stable view",
                r -> local(r, "epochs_started"));
        counter("recovery.syncs.done", "Repair exchanges this node finished", r -> local(r, "syncs_done"));
        counter("recovery.syncs.failed", "Repair exchanges this node gave up", r -> local(r, "syncs_failed"));
    }

    private static double local(RecoveryStatus r, String key) {
        return r.local().getOrDefault(key, 0L);
    }

    private void gauge(String name, String help, ToDoubleFunction<RecoveryStatus> read) {
        Gauge.builder(PREFIX + name, this, m -> m.recovery == null ? 0 : read.applyAsDouble(m.recovery))
                .description(help).register(registry);
    }

    private void counter(String name, String help, ToDoubleFunction<RecoveryStatus> read) {
        FunctionCounter.builder(PREFIX + name, this, m -> m.recovery == null ? 0 : read.applyAsDouble(m.recovery))
                .description(help).register(registry);
    }

    private void trafficMeters(String type) {
        if (!trafficTypes.add(type)) {
            return;
        }
        Tags tags = Tags.of("type", type);
        FunctionCounter.builder(PREFIX + "messages.received", this, m -> traffic(m, type).messagesIn())
                .description("Messages received over Artery, by message type").tags(tags).register(registry);
        FunctionCounter.builder(PREFIX + "messages.sent", this, m -> traffic(m, type).messagesOut())
                .description("Messages sent over Artery, by message type").tags(tags).register(registry);
        FunctionCounter.builder(PREFIX + "message.bytes.received", this, m -> traffic(m, type).bytesIn())
                .description("Bytes of the Artery frames received, by message type").tags(tags).register(registry);
        FunctionCounter.builder(PREFIX + "message.bytes.sent", this, m -> traffic(m, type).bytesOut())
                .description("Bytes of the Artery frames sent, by message type").tags(tags).register(registry);
    }

    private static MessageTraffic traffic(NodeMeters m, String type) {
        MessageTraffic t = m.traffic.get(type);
        return t == null ? new MessageTraffic(0, 0, 0, 0) : t;
    }

    private void kvLatency(KvService kv) {
        Map<KvOperation, Timer> timers = new EnumMap<>(KvOperation.class);
        for (KvOperation op : KvOperation.values()) {
            timers.put(op, Timer.builder(PREFIX + "kv.request")
                    .description("Key-value requests on this node, from the call to the answer, by operation")
                    .tags("operation", op.label())
                    .serviceLevelObjectives(KV_LATENCY_BUCKETS)
                    .register(registry));
        }
        kv.observeLatency((op, nanos) -> timers.get(op).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS));
    }

    @Override
    public void close() {
        gc.close(); // stops listening to the JVM's GC notifications
        registry.close();
    }
}
