package dev.grapevine.ops;

import dev.grapevine.api.Grapevine;
import dev.grapevine.api.MembershipEvent;
import dev.grapevine.api.UserEvent;
import dev.grapevine.core.member.Address;
import dev.grapevine.kv.KvService;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's admin API, JSON over HTTP, for the {@code grapevine} CLI and for operators:
 * <pre>
 *   GET  /v1/members               {"members":[{"name","address","status","incarnation","tags"}, ...]}
 *   GET  /v1/info                  this node, its settings
 *   POST /v1/join                  body: {"addresses":["host:port", ...]}
 *   POST /v1/leave                 leaves gracefully, answers once the leave went out
 *   POST /v1/event/{name}          body: the payload; 400 with the reason if it is too large
 *   GET  /v1/monitor               one JSON object per line for every membership change and user event,
 *                                  each with "at_ms": when this node delivered it (Unix epoch, ms)
 *   GET  /v1/recovery              {"epoch","members","complete","partitions_pending","nodes":[...],"local":{...}}
 *   POST /v1/recovery/repair       starts a round of anti-entropy on this node now
 * </pre>
 * and the key-value store's routes ({@link KvHttp}) when the node runs it.
 */
final class AdminHttp extends AllDirectives {
    /** Lines a slow monitor client may fall behind by; beyond it lines are dropped and the drop is reported. */
    static final int MONITOR_BUFFER_LINES = 1024;
    /** Below pekko-http's 60 s idle timeout. */
    static final java.time.Duration MONITOR_HEARTBEAT = java.time.Duration.ofSeconds(20);

    private final ActorSystem<?> system;
    private final Grapevine grapevine;
    private final Map<String, Object> info;
    private final KvService kv;

    /** @param kv the node's key-value store, or null if it runs none */
    AdminHttp(ActorSystem<?> system, Grapevine grapevine, Map<String, Object> info, KvService kv) {
        this.system = system;
        this.grapevine = grapevine;
        this.info = info;
        this.kv = kv;
    }

    CompletionStage<ServerBinding> bind(Address http) {
        return Http.get(system).newServerAt(http.host(), http.port()).bind(routes());
    }

    Route routes() {
        Route admin = v1();
        return kv == null ? admin : concat(admin, new KvHttp(kv).routes());
    }

    private Route v1() {
        return pathPrefix("v1", () -> concat(
                path("members", () -> get(() -> completeWithFuture(grapevine.members()
                        .thenApply(ms -> json(Json.members(ms)))))),
                path("info", () -> get(() -> {
                    Map<String, Object> body = new LinkedHashMap<>(info);
                    Map<String, Long> metrics = new java.util.TreeMap<>(grapevine.metrics());
                    if (kv != null) {
                        metrics.putAll(kv.metrics());
                    }
                    body.put("metrics", metrics);
                    return complete(json(body));
                })),
                pathPrefix("recovery", () -> concat(
                        pathEnd(() -> get(() -> completeWithFuture(grapevine.recoveryStatus()
                                .thenApply(s -> json(Json.recovery(s)))))),
                        path("repair", () -> post(() -> {
                            grapevine.repairNow();
                            return complete(json(Map.of("repair", "started")));
                        })))),
                path("join", () -> post(() -> entity(org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller.entityToString(),
                        body -> join(body)))),
                path("leave", () -> post(() -> completeWithFuture(grapevine.leave()
                        .thenApply(done -> json(Map.of("left", true)))))),
                pathPrefix("event", () -> path(name -> post(() -> extractDataBytes(bytes -> completeWithFuture(
                        bytes.runFold(ByteString.emptyByteString(), ByteString::concat, system)
                                .thenCompose(payload -> grapevine.sendUserEvent(name, payload.toArray()))
                                .handle((event, error) -> error == null
                                        ? json(Map.of("name", event.name(), "lamport_time", event.lamportTime()))
                                        : badRequest(error.getCause() != null ? error.getCause() : error))))))),
                path("monitor", () -> get(() -> complete(org.apache.pekko.http.javadsl.model.HttpResponse.create()
                        .withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, monitor())))))));
    }

    private Route join(String body) {
        try {
            @SuppressWarnings("unchecked")
            List<String> addresses = (List<String>) Json.MAPPER.readValue(body, Map.class).get("addresses");
            if (addresses == null || addresses.isEmpty()) {
                return complete(badRequest(new IllegalArgumentException("expected {\"addresses\":[\"host:port\", ...]}")));
            }
            grapevine.join(addresses);
            return complete(json(Map.of("joining", addresses)));
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException | ClassCastException e) {
            return complete(badRequest(e));
        }
    }

    /**
     * A stream of JSON lines: the current view first, then every change and user event. Two small
     * actors subscribe for the connection and are stopped when the client goes away.
     */
    private Source<ByteString, NotUsed> monitor() {
        AtomicLong dropped = new AtomicLong();
        return Source.<String>queue(MONITOR_BUFFER_LINES)
                .mapMaterializedValue(queue -> {
                    String id = UUID.randomUUID().toString();
                    ActorRef<MembershipEvent> members = system.systemActorOf(Behaviors.receive(MembershipEvent.class)
                            .onAnyMessage(e -> offer(queue, stamped(Json.event(e)), dropped)).build(), "monitor-m-" + id, Props.empty());
                    ActorRef<UserEvent> users = system.systemActorOf(Behaviors.receive(UserEvent.class)
                            .onAnyMessage(e -> offer(queue, stamped(Json.event(e)), dropped)).build(), "monitor-u-" + id, Props.empty());
                    grapevine.subscribe(members);
                    grapevine.subscribeUserEvents(users);
                    return new Subscription(members, users);
                })
                .watchTermination((subscription, done) -> {
                    done.whenComplete((ok, error) -> {
                        grapevine.unsubscribe(subscription.members());
                        grapevine.unsubscribe(subscription.users());
                        stop(subscription.members());
                        stop(subscription.users());
                    });
                    return NotUsed.getInstance();
                })
                // A quiet cluster sends nothing; a heartbeat line keeps the connection under the idle timeout.
                .keepAlive(MONITOR_HEARTBEAT, () -> Json.write(Map.of("type", "heartbeat")))
                .map(line -> ByteString.fromString(line + "\n", StandardCharsets.UTF_8));
    }

    /**
     * A monitor line stamped with the wall-clock time this node delivered it, so a reader can time
     * dissemination across nodes of one host without the stream's own latency.
     */
    private static String stamped(Map<String, Object> event) {
        event.put("at_ms", System.currentTimeMillis());
        return Json.write(event);
    }

    private record Subscription(ActorRef<MembershipEvent> members, ActorRef<UserEvent> users) {
    }

    private void stop(ActorRef<?> ref) {
        org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(ref).tell(org.apache.pekko.actor.PoisonPill.getInstance(),
                org.apache.pekko.actor.ActorRef.noSender());
    }

    private static <T> org.apache.pekko.actor.typed.Behavior<T> offer(BoundedSourceQueue<String> queue, String line,
                                                                  AtomicLong dropped) {
        long lost = dropped.get();
        if (lost > 0 && queue.offer(Json.write(Map.of("type", "dropped", "lines", lost))) == QueueOfferResult.enqueued()) {
            dropped.addAndGet(-lost);
        }
        if (queue.offer(line) != QueueOfferResult.enqueued()) {
            dropped.incrementAndGet(); // the client reads too slowly; it is told how many it missed
        }
        return Behaviors.same();
    }

    static org.apache.pekko.http.javadsl.model.HttpResponse json(Object body) {
        return org.apache.pekko.http.javadsl.model.HttpResponse.create()
                .withEntity(ContentTypes.APPLICATION_JSON, Json.write(body));
    }

    private static org.apache.pekko.http.javadsl.model.HttpResponse badRequest(Throwable error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.getMessage());
        return json(body).withStatus(StatusCodes.BAD_REQUEST);
    }
}
