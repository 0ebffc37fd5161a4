package dev.grapevine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.pubsub.DistributedPubSub;
import org.apache.pekko.cluster.pubsub.DistributedPubSubMediator;
import org.apache.pekko.cluster.typed.Cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * The bench's view into a Pekko Cluster node, shaped like a Grapevine agent's admin API so that
 * the harness reads all systems the same way:
 * <pre>
 *   GET  /members       {"self":N,"members":[{"name","address","status","member_status","reachable"}]}
 *   POST /event/{name}  publishes name to the DistributedPubSub topic "events"; {"published","sent_ms"}
 *   GET  /log?from=K    {"next":K2,"entries":[{"seq","kind","name","ms"}],"dropped":D}: the node's record from
 *                       position K; kind is "event" or a verdict (up, unreachable, reachable, down, removed);
 *                       ms from currentTimeMillis when the node's actor saw it
 * </pre>
 * {@code status} folds reachability into Pekko's member status, the way SWIM's statuses do: "removed"
 * (seen removed, no longer a member), else "unreachable" when this node's failure detector (or one it
 * heard of by gossip) flags it, else the member status in lower case ("up", "joining", "down"...).
 * Served by the JDK's HTTP server, as a Grapevine agent's admin API is, so neither JVM carries an HTTP stack the other lacks.
 */
final class BenchAdminHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ActorSystem<?> system;
    private final NodeRecord record;
    private final String self;
    private HttpServer server;

    BenchAdminHttp(ActorSystem<?> system, NodeRecord record, String self) {
        this.system = system;
        this.record = record;
        this.self = self;
    }

    void start(InetSocketAddress at) throws IOException {
        server = HttpServer.create(new InetSocketAddress(at.getHostString(), at.getPort()), 16);
        server.setExecutor(Executors.newFixedThreadPool(2));   // polled by one script: two threads are plenty
        server.createContext("/members", ex -> answer(ex, "GET", () -> members()));
        server.createContext("/log", ex -> answer(ex, "GET", () -> log(ex.getRequestURI().getQuery())));
        server.createContext("/event/", ex -> answer(ex, "POST", () -> publish(ex.getRequestURI().getPath().substring("/event/".length()))));
        server.start();
    }

    void stop() {
        if (server != null) server.stop(0);
    }

    private Map<String, Object> members() {
        CurrentClusterState state = Cluster.get(system).state();
        Set<Member> unreachable = state.getUnreachable();
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> current = new HashSet<>();
        for (Member m : state.getMembers()) {
            String name = PekkoClusterNode.nameOf(m);
            current.add(name);
            boolean reachable = !unreachable.contains(m);
            String memberStatus = statusName(m);
            out.add(member(name, m.address().toString(), reachable ? memberStatus : "unreachable", memberStatus, reachable));
        }
        record.removed().forEach((name, atMs) -> {
            if (!current.contains(name)) out.add(member(name, null, "removed", "removed", false));
        });
        return Map.of("self", self, "members", out);
    }

    private static Map<String, Object> member(String name, String address, String status, String memberStatus, boolean reachable) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("address", address);
        m.put("status", status);
        m.put("member_status", memberStatus);
        m.put("reachable", reachable);
        return m;
    }

    /** "WeaklyUp" → "weakly-up", "Up" → "up". */
    private static String statusName(Member m) {
        return m.status().toString().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
    }

    private Map<String, Object> log(String query) {
        long from = 0;
        if (query != null && query.startsWith("from=")) from = Long.parseLong(query.substring("from=".length()));
        List<NodeRecord.Entry> since = record.since(from);
        // From what was returned, not a separate read: an entry added in between must not come twice.
        long next = since.isEmpty() ? from : since.get(since.size() - 1).seq() + 1;
        List<Map<String, Object>> entries = since.stream().map(e -> Map.<String, Object>of(
                "seq", e.seq(), "kind", e.kind(), "name", e.name(), "ms", e.ms())).toList();
        return Map.of("next", next, "entries", entries, "dropped", record.dropped());
    }

    private Map<String, Object> publish(String name) {
        if (name.isEmpty()) throw new IllegalArgumentException("POST /event/{name}: the name is missing");
        long now = System.currentTimeMillis();
        DistributedPubSub.get(Adapter.toClassic(system)).mediator().tell(
                new DistributedPubSubMediator.Publish(PekkoClusterNode.EVENTS_TOPIC, name),
                org.apache.pekko.actor.ActorRef.noSender());
        return Map.of("published", name, "sent_ms", now);
    }

    private interface Body { Object get(); }

    private static void answer(HttpExchange ex, String method, Body body) throws IOException {
        int code = 200;
        byte[] bytes;
        try {
            if (!ex.getRequestMethod().equals(method)) {
                code = 405;
                bytes = JSON.writeValueAsBytes(Map.of("error", "use " + method));
            } else {
                bytes = JSON.writeValueAsBytes(body.get());
            }
        } catch (RuntimeException e) {
            code = e instanceof IllegalArgumentException ? 400 : 500;
            bytes = ("{\"error\":" + JSON.writeValueAsString(String.valueOf(e.getMessage())) + "}").getBytes(StandardCharsets.UTF_8);
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }
}
