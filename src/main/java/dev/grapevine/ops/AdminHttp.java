package dev.grapevine.ops;

import dev.grapevine.api.Grapevine;
import dev.grapevine.kv.KvService;
import org.apache.pekko.actor.typed.ActorSystem;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A node's admin API, JSON over HTTP, for the {@code grapevine} CLI and for operators:
 * <pre>
 *   GET  /v1/members               {"members":[{"name","address","status","incarnation","epoch","tags"}, ...]}
 *   GET  /v1/info                  this node, its settings
 *   POST /v1/join                  body: {"addresses":["host:port", ...]}; waits up to 5 s for them to answer:
 *                                  200 {"joined":[...],"failed":[...]}, 504 if none answered, 409 if this node left,
 *                                  400 if no address's host name resolves (see JoinTargets)
 *   POST /v1/leave                 hands the node's data off, then leaves; answers once the leave went out
 *   POST /v1/event/{name}          body: the payload; 400 with the reason if it is too large
 *   GET  /v1/monitor               one JSON object per line for every membership change and user event,
 *                                  each with "at_ms": when this node delivered it (Unix epoch, ms)
 *   GET  /v1/recovery              {"epoch","members","complete","partitions_pending","nodes":[...],"local":{...},"unavailable":{domain:reason}}
 *   POST /v1/recovery/repair       starts a round of anti-entropy on this node now
 *   POST /v1/force-leave/{name}    removes a dead or suspect member ({@link ForceLeaveHttp})
 *   GET  /v1/status                every member's status, share of partitions, load, pending recovery ({@link StatusHttp})
 *   POST /v1/tags                  body: {"set":{...},"delete":[...]}: changes this node's tags ({@link TagsHttp})
 * </pre>
 * the key-value store's routes ({@link KvHttp}) when the node runs it, {@code GET /metrics}
 * ({@link MetricsHttp}) and {@code GET /health/live|ready} ({@link HealthHttp}). Errors are
 * {@code {"error": "..."}}: 400 for bad input, 404 for an unknown path, 405 for the wrong method.
 */
final class AdminHttp implements AdminServer.Routes {
    private final ActorSystem<?> system;
    private final Grapevine grapevine;
    private final Map<String, Object> info;
    private final KvService kv;
    private final KvHttp kvHttp;
    private final UiHttp ui;
    private final MetricsHttp metricsHttp;
    private final HealthHttp healthHttp;
    /** When this agent's admin API was created, as the node started: for the uptime {@code /v1/info} shows. */
    private final java.time.Instant startedAt = java.time.Instant.now();

    /** @param kv the node's key-value store, or null if it runs none */
    AdminHttp(ActorSystem<?> system, Grapevine grapevine, Map<String, Object> info, KvService kv) {
        this.system = system;
        this.grapevine = grapevine;
        this.info = info;
        this.kv = kv;
        this.kvHttp = kv == null ? null : new KvHttp(kv);
        this.ui = new UiHttp(system, grapevine);
        this.metricsHttp = new MetricsHttp(grapevine, kv);
        this.healthHttp = new HealthHttp(system, grapevine, kv);
    }

    /** Serves the API on {@code http} (port 0: any free one) until the node's actor system terminates. */
    AdminServer bind(InetSocketAddress http) throws IOException {
        return bind(http, AdminSecurity.open());
    }

    /** As {@link #bind(InetSocketAddress)}, guarded by {@code security}'s token and TLS. */
    AdminServer bind(InetSocketAddress http, AdminSecurity security) throws IOException {
        AdminServer server = AdminServer.start(http, this, security);
        system.getWhenTerminated().thenRun(server::stop).thenRun(metricsHttp::close);
        return server;
    }

    @Override
    public CompletionStage<HttpReply> route(HttpCall call) throws IOException {
        List<String> path = call.segments();
        if (kvHttp != null && !path.isEmpty() && path.get(0).equals("kv")) {
            return kvHttp.route(call);
        }
        if (UiHttp.owns(call)) {
            return ui.route(call);
        }
        for (AdminServer.Routes operability : List.of(metricsHttp, healthHttp)) {
            CompletionStage<HttpReply> reply = operability.route(call);
            if (reply != null) {
                return reply;
            }
        }
        if (call.is("v1", "members")) {
            return only(call, "GET", () -> grapevine.members().thenApply(ms -> HttpReply.ok(Json.members(ms))));
        }
        if (call.is("v1", "info")) {
            return only(call, "GET", () -> grapevine.members().thenApply(ms -> HttpReply.ok(info(ms))));
        }
        if (call.is("v1", "recovery")) {
            return only(call, "GET", () -> grapevine.recoveryStatus().thenApply(s -> HttpReply.ok(Json.recovery(s, grapevine.unavailableDomains()))));
        }
        if (call.is("v1", "recovery", "repair")) {
            return only(call, "POST", () -> RepairHttp.repair(grapevine));
        }
        if (call.is("v1", "join")) {
            return only(call, "POST", () -> join(call));
        }
        if (call.is("v1", "leave")) {
            return only(call, "POST", () -> grapevine.leave().thenApply(ok -> HttpReply.ok(Map.of("left", true))));
        }
        if (call.is("v1", "status")) {
            return only(call, "GET", () -> StatusHttp.status(grapevine));
        }
        if (call.is("v1", "tags")) {
            return only(call, "POST", () -> TagsHttp.update(grapevine, call));
        }
        if (path.size() >= 2 && path.get(0).equals("v1") && path.get(1).equals("event")) {
            // Any name, even an empty one or one with a '/' (an unencoded one splits the path), gets
            // an answer about the name, not a 404.
            String name = String.join("/", path.subList(2, path.size()));
            return only(call, "POST", () -> event(call, name));
        }
        if (path.size() >= 2 && path.get(1).equals("force-leave")) {
            return new ForceLeaveHttp(grapevine).route(call);
        }
        if (call.is("v1", "monitor")) {
            return only(call, "GET", () -> done(HttpReply.ok(new MonitorStream(system, grapevine))));
        }
        return null;
    }

    /** The route's answer if the call uses {@code method}, else 405. */
    static CompletionStage<HttpReply> only(HttpCall call, String method, Supplier<CompletionStage<HttpReply>> route) {
        return call.method().equals(method) ? route.get()
                : done(HttpReply.error(405, call.method() + " is not allowed here; use " + method));
    }

    static CompletionStage<HttpReply> done(HttpReply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    /** Reads a body of at most {@link AdminServer#BODY_BYTES_MAX}; null (and a 400 is due) if it is larger. */
    static byte[] body(HttpCall call) {
        try {
            return call.body(AdminServer.BODY_BYTES_MAX);
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    /** A 400 for a body over {@link AdminServer#BODY_BYTES_MAX}. */
    static HttpReply tooLarge(HttpCall call) {
        return HttpReply.error(400, "the body takes " + call.tooLargeSize(AdminServer.BODY_BYTES_MAX)
                + " bytes; this API reads at most " + AdminServer.BODY_BYTES_MAX);
    }

    /** The agent's fixed facts, with this node's tags as they are now (run-time changes included). */
    private Map<String, Object> info(List<dev.grapevine.api.Member> members) {
        Map<String, Object> body = new LinkedHashMap<>();
        info.forEach((k, v) -> {
            body.put(k, v);
            if (k.equals("http")) {
                running(body); // beside where the node is, before its settings
            }
        });
        running(body); // (again, in place, if there was no "http")
        members.stream().filter(m -> m.name().equals(grapevine.name())).findFirst()
                .ifPresent(self -> body.put("tags", new TreeMap<>(self.tags())));
        Map<String, Long> metrics = new TreeMap<>(grapevine.metrics());
        if (kv != null) {
            metrics.putAll(kv.metrics());
        }
        body.put("metrics", metrics);
        return body;
    }

    /** The build this agent runs and how long it has been up. */
    private void running(Map<String, Object> body) {
        body.put("version", Version.current());
        body.put("started_at", startedAt.toString());
        body.put("uptime_seconds", java.time.Duration.between(startedAt, java.time.Instant.now()).toSeconds());
    }

    private CompletionStage<HttpReply> join(HttpCall call) {
        byte[] body = body(call);
        if (body == null) {
            return done(tooLarge(call));
        }
        List<String> addresses;
        try {
            addresses = JsonBodies.joinAddresses(body);
        } catch (JsonBodies.BadBody e) {
            return done(HttpReply.error(400, e.getMessage()));
        }
        List<String> unresolved = JoinTargets.unresolved(addresses); // on this body thread, within a budget
        if (!unresolved.isEmpty() && unresolved.size() == addresses.size()) {
            return done(JoinTargets.noneResolves(unresolved));
        }
        List<String> asked = addresses.stream().filter(a -> !unresolved.contains(a)).toList();
        try {
            return grapevine.join(asked).handle((r, error) -> joined(asked, r == null ? null : JoinTargets.including(r, unresolved),
                    error, grapevine.clusterName(), unresolved));
        } catch (IllegalArgumentException e) {
            return done(HttpReply.error(400, e.getMessage()));
        }
    }

    private static HttpReply joined(List<String> asked, dev.grapevine.api.JoinResult r, Throwable error, String cluster,
                                    List<String> unresolved) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof IllegalStateException) {
            return HttpReply.error(409, cause.getMessage());
        }
        if (cause != null) {
            return HttpReply.error(503, "the node did not answer (" + cause.getClass().getSimpleName() + ")");
        }
        if (r.joined().isEmpty() && !r.refused().isEmpty()) {
            return new HttpReply(409, ClusterRefusals.body(r, cluster));
        }
        if (r.joined().isEmpty()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "no node answered within " + Grapevine.JOIN_ANSWER_WAIT.toSeconds() + " s at "
                    + String.join(", ", asked) + " (nothing listening there, not a Grapevine node, or one that binds another"
                    + " name for itself: give its address as it binds it, 127.0.0.1 rather than localhost say)"
                    + (unresolved.isEmpty() ? "" : "; " + JoinTargets.reason(unresolved)));
            body.put("joined", r.joined());
            body.put("failed", r.failed());
            return new HttpReply(504, body);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("joined", r.joined());
        body.put("failed", r.failed());
        if (!r.refused().isEmpty()) {
            body.put("refused", r.refused());
            body.put("cluster", cluster);
        }
        return HttpReply.ok(body);
    }

    private CompletionStage<HttpReply> event(HttpCall call, String name) {
        byte[] payload = body(call);
        if (payload == null) {
            return done(tooLarge(call));
        }
        return grapevine.sendUserEvent(name, payload).handle((event, error) -> {
            if (error == null) {
                return HttpReply.ok(Map.of("name", event.name(), "lamport_time", event.lamportTime()));
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return HttpReply.error(400, cause.getMessage());
        });
    }
}
