package dev.grapevine.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The agent's kv and recovery admin API, in memory, on a loopback port: the contract the CLI is written
 * against, with a switch to answer 503 (too few replicas) for chosen keys.
 */
final class FakeKvAgent implements AutoCloseable {
    static {
        // The JDK server writes a response's headers and body separately; with Nagle on, each request then
        // waits out the client's delayed ACK (~40 ms), and load/verify tests take seconds instead of
        // milliseconds. Read once, when the JVM's first HttpServer starts: if another test started one
        // earlier this is merely slower, never wrong.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    final Map<String, String> values = new ConcurrentHashMap<>();
    final Queue<String> rawPaths = new ConcurrentLinkedQueue<>();
    volatile Predicate<String> unavailable = key -> false;
    volatile String recovery = "{}";
    private final Map<String, String> versions = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final HttpServer server;

    FakeKvAgent() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/kv/", this::kv);
        server.createContext("/v1/recovery", exchange -> reply(exchange, 200, recovery));
        server.start();
    }

    String http() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void kv(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            String raw = exchange.getRequestURI().getRawPath();
            rawPaths.add(raw);
            String rest = raw.substring("/kv/".length());
            boolean replicas = rest.endsWith("/replicas");
            if (replicas) {
                rest = rest.substring(0, rest.length() - "/replicas".length());
            }
            if (rest.isEmpty() || rest.contains("/")) {
                answer(exchange, 400, Json.write(Map.of("error", "expected /kv/{key}, but got " + raw)));
                return;
            }
            String key = URLDecoder.decode(rest.replace("+", "%2B"), StandardCharsets.UTF_8);
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            if (replicas && method.equals("GET")) {
                replicas(exchange, key);
            } else if (unavailable.test(key)) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("key", key);
                r.put("acks", 1);
                r.put("error", "only 1 of 2 required replicas answered within 2000 ms");
                answer(exchange, 503, Json.write(r));
            } else if (method.equals("PUT") && body.length == 0) {
                answer(exchange, 400, Json.write(Map.of("error", "the value must not be empty")));
            } else if (method.equals("PUT")) {
                values.put(key, new String(body, StandardCharsets.UTF_8));
                versions.put(key, Long.toString(clock.incrementAndGet()));
                answer(exchange, 200, Json.write(Map.of("key", key, "acks", 3)));
            } else if (method.equals("DELETE")) {
                values.remove(key);
                answer(exchange, 200, Json.write(Map.of("key", key, "acks", 3)));
            } else if (method.equals("GET") && values.containsKey(key)) {
                answer(exchange, 200, Json.write(Map.of("key", key, "value", values.get(key),
                        "version", versions.getOrDefault(key, "0"))));
            } else if (method.equals("GET")) {
                answer(exchange, 404, Json.write(Map.of("key", key, "error", "not found")));
            } else {
                answer(exchange, 405, Json.write(Map.of("error", "method not allowed")));
            }
        } finally {
            if (exchange.getResponseCode() < 0) {
                inFlight.decrementAndGet(); // failed before it answered
            }
        }
    }

    /**
     * Replies to a KV request, counting it out of flight first: the client may send its next request
     * the moment the reply reaches it, before this thread would return.
     */
    private void answer(HttpExchange exchange, int status, String json) throws IOException {
        inFlight.decrementAndGet();
        reply(exchange, status, json);
    }

    private void replicas(HttpExchange exchange, String key) throws IOException {
        List<Map<String, Object>> replicas = new ArrayList<>();
        for (String node : List.of("n1", "n2", "n3")) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("node", node);
            r.put("status", node.equals("n3") ? "dead" : "alive");
            boolean holds = !node.equals("n3") && values.containsKey(key);
            r.put("version", holds ? versions.get(key) : null);
            r.put("value", holds ? values.get(key) : null);
            replicas.add(r);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("partition", 12);
        body.put("replicas", replicas);
        answer(exchange, 200, Json.write(body));
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    /** Runs {@code grapevine kv ARGS --http <this agent>} in-process. */
    CliRun kv(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "kv";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--http";
        all[args.length + 2] = http();
        return CliRun.of(all);
    }
}
