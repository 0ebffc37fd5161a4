package dev.grapevine.ops;

import dev.grapevine.api.Grapevine;
import dev.grapevine.api.MembershipEvent;
import dev.grapevine.api.UserEvent;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /v1/monitor}: JSON lines, the current view first, then every membership change and
 * user event, each stamped {@code at_ms} when this node delivered it. Two small actors subscribe for
 * the client and put lines in a bounded buffer; the stream's thread writes them out. A client that
 * reads too slowly loses lines and is told how many; a quiet cluster still sends a heartbeat line,
 * so a client that went away is noticed. The same stream feeds the dashboard as server-sent events
 * ({@link MonitorFormat}).
 */
final class MonitorStream implements AdminServer.Stream {
    /** Lines a slow client may fall behind by; beyond it lines are dropped and the drop is reported. */
    static final int BUFFER_LINES = 1024;
    /** Longest silence on the stream. */
    static final Duration HEARTBEAT = Duration.ofSeconds(20);

    private final ActorSystem<?> system;
    private final Grapevine grapevine;
    private final MonitorFormat format;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(BUFFER_LINES);
    private final AtomicLong dropped = new AtomicLong();

    MonitorStream(ActorSystem<?> system, Grapevine grapevine) {
        this(system, grapevine, MonitorFormat.JSON_LINES);
    }

    MonitorStream(ActorSystem<?> system, Grapevine grapevine, MonitorFormat format) {
        this.system = system;
        this.grapevine = grapevine;
        this.format = format;
    }

    @Override
    public Map<String, String> headers() {
        return format.headers();
    }

    @Override
    public void writeTo(OutputStream out) throws IOException, InterruptedException {
        String id = UUID.randomUUID().toString();
        ActorRef<MembershipEvent> members = system.systemActorOf(Behaviors.receive(MembershipEvent.class)
                .onAnyMessage(e -> offer(System.currentTimeMillis(), Json.event(e))).build(), "monitor-m-" + id, Props.empty());
        ActorRef<UserEvent> users = system.systemActorOf(Behaviors.receive(UserEvent.class)
                .onAnyMessage(e -> offer(System.currentTimeMillis(), Json.event(e))).build(), "monitor-u-" + id, Props.empty());
        grapevine.subscribe(members);
        grapevine.subscribeUserEvents(users);
        try {
            if (!format.preamble().isEmpty()) {
                write(out, format.preamble());
                out.flush();
            }
            while (true) {
                String line = lines.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    write(out, format.frame(Json.write(Map.of("type", "dropped", "lines", lost))));
                }
                write(out, line != null ? format.frame(line) : format.heartbeat());
                if (lines.isEmpty()) {
                    out.flush(); // lines that came together leave together
                }
            }
        } finally {
            grapevine.unsubscribe(members);
            grapevine.unsubscribe(users);
            stop(members);
            stop(users);
        }
    }

    /** Stamps first: the time is when this node delivered the event, not when it was formatted. */
    private <T> Behavior<T> offer(long atMs, Map<String, Object> event) {
        event.put("at_ms", atMs);
        if (!lines.offer(Json.write(event))) {
            dropped.incrementAndGet(); // the client reads too slowly; its next line says how many it missed
        }
        return Behaviors.same();
    }

    private static void write(OutputStream out, String framed) throws IOException {
        out.write(framed.getBytes(StandardCharsets.UTF_8));
    }

    private static void stop(ActorRef<?> ref) {
        org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(ref).tell(org.apache.pekko.actor.PoisonPill.getInstance(),
                org.apache.pekko.actor.ActorRef.noSender());
    }
}
