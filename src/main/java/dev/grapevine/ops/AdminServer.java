package dev.grapevine.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.grapevine.kv.KvRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves the admin API with the JDK's HTTP server: routes answer with a {@link CompletionStage}, so
 * a request waiting on the node (a quorum write, say) holds no thread; a streamed answer (the
 * monitor) gets a thread of its own while the client reads. Requests in flight and open streams are
 * bounded, and past either bound a client gets a 503 saying which; requests waiting for a thread
 * are bounded too ({@link #READERS_MAX}).
 */
final class AdminServer {
    static {
        // The JDK server writes headers and body in separate writes; with Nagle's algorithm on, each
        // answer then waits out the client's delayed ACK (about 40 ms). Read once, when the first
        // server starts; an operator's own -D setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // Bounds on what a client may hold, same rule: the operator's -D wins.
        defaultProperty("sun.net.httpserver.maxConnections", AdminServer.CONNECTIONS_MAX);
        defaultProperty("sun.net.httpserver.maxIdleConnections", 64);
        defaultProperty("sun.net.httpserver.idleInterval", 30); // s an idle keep-alive connection stays open
        // A request's headers and body must arrive within this; a slow client's connection is then
        // closed, so that a trickle of bytes cannot hold a reading thread for long.
        defaultProperty("sun.net.httpserver.maxReqTime", AdminServer.REQUEST_SECONDS_MAX);
        defaultProperty("sun.net.httpserver.maxReqHeaders", 100);
        defaultProperty("sun.net.httpserver.maxReqHeaderSize", 64 * 1024); // bytes; JDKs that know it
        // No maxRspTime: the monitor and the dashboard's events are answers that last.
    }

    private static void defaultProperty(String name, int value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, Integer.toString(value));
        }
    }

    /** Connections open at once; past it the JDK's server closes a new one at once. */
    static final int CONNECTIONS_MAX = 512;
    /** Seconds a request's headers and body may take to arrive (sun.net.httpserver.maxReqTime). */
    static final int REQUEST_SECONDS_MAX = 15;
    /** Requests whose bodies are being read at once, each on a thread of its own, off the readers. */
    static final int BODIES_MAX = 64;

    /** Requests being answered at once (each is an ask of the node, which times out on its own). */
    static final int IN_FLIGHT_MAX = 1024;
    /** Streams open at once; each holds a thread while its client reads. */
    static final int STREAMS_MAX = 64;
    /** The largest body a route takes: a key-value store value. */
    static final int BODY_BYTES_MAX = KvRecord.VALUE_BYTES_MAX;
    /** Threads writing answers, and reading threads kept when idle; none waits on the node. */
    private static final int THREADS = 4;
    /**
     * Threads reading requests at most. The JDK's server reads a request's line and headers on one of
     * them, blocking, so a client that trickles its headers holds one until {@link #REQUEST_SECONDS_MAX}
     * closes it: with a few fixed threads, four such clients froze the whole API. Threads past
     * {@link #THREADS} are started as needed and end after 30 s idle. Past this bound the JDK's server
     * closes the new request's connection (it does so when its executor refuses), and the refusal is
     * logged.
     */
    static final int READERS_MAX = 256;
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    /** A set of routes: the answer to a call, or null if none matches its path. */
    interface Routes {
        CompletionStage<HttpReply> route(HttpCall call) throws IOException;
    }

    /** A streamed answer: written until the client goes away or the stream ends, on a thread of its own. */
    interface Stream {
        void writeTo(OutputStream out) throws IOException, InterruptedException;

        /** The answer's headers, its {@code Content-Type} among them. */
        default Map<String, String> headers() {
            return Map.of("Content-Type", "application/json");
        }
    }

    private final HttpServer server;
    private final AtomicLong refused = new AtomicLong();
    private final ExecutorService threads = new ThreadPoolExecutor(THREADS, READERS_MAX, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), daemon("grapevine-admin-http"), this::refuse);
    /** Its queue holds at most one answer per request in flight ({@link #IN_FLIGHT_MAX}), so it never refuses one. */
    private final ExecutorService replies = Executors.newFixedThreadPool(THREADS, daemon("grapevine-admin-reply"));
    private final ExecutorService streamThreads = Executors.newCachedThreadPool(daemon("grapevine-admin-stream"));
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT_MAX);
    private final Semaphore streams = new Semaphore(STREAMS_MAX);
    /**
     * Bodies are read here, not on the few reading threads: a client trickling its body holds one of
     * these until {@link #REQUEST_SECONDS_MAX}, and the rest of the API keeps answering.
     */
    private final ExecutorService bodyThreads = new ThreadPoolExecutor(0, BODIES_MAX, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), daemon("grapevine-admin-body"));
    private final Routes routes;
    private final AdminAuth auth;
    private final BrowserGuard browsers;
    private final AdminRefusals refusals = new AdminRefusals();

    private AdminServer(HttpServer server, Routes routes, AdminSecurity security, String boundHost) {
        this.server = server;
        this.routes = routes;
        this.auth = new AdminAuth(security);
        this.browsers = new BrowserGuard(security.token() == null, boundHost);
    }

    /** Binds {@code at} and starts serving, open (see {@link AdminSecurity#open}). */
    static AdminServer start(InetSocketAddress at, Routes routes) throws IOException {
        return start(at, routes, AdminSecurity.open());
    }

    /** Binds {@code at} and starts serving. @throws IOException if the address cannot be bound */
    static AdminServer start(InetSocketAddress at, Routes routes, AdminSecurity security) throws IOException {
        HttpServer server;
        if (security.tls() != null) {
            HttpsServer https = HttpsServer.create(at, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(security.tls()));
            server = https;
        } else {
            server = HttpServer.create(at, 64);
        }
        AdminServer admin = new AdminServer(server, routes, security, at.getHostString());
        server.setExecutor(admin.threads);
        server.createContext("/", admin::handle);
        server.start();
        return admin;
    }

    /** Where it listens (the port chosen when it was asked to bind port 0). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops listening, ends open streams and closes open exchanges. */
    void stop() {
        server.stop(0);
        streamThreads.shutdownNow(); // interrupts each stream's wait for its next line
        threads.shutdown();
        replies.shutdown();
        bodyThreads.shutdownNow();
    }

    /** Requests refused so far: without the token, with a body that came too slowly, or past a bound. */
    AdminRefusals refusals() {
        return refusals;
    }

    private void handle(HttpExchange exchange) {
        if (!inFlight.tryAcquire()) {
            send(exchange, HttpReply.error(503, IN_FLIGHT_MAX + " requests are in flight on this node's admin API; "
                    + "try again when fewer are"));
            return;
        }
        HttpCall call;
        try {
            call = HttpCall.of(exchange);
        } catch (IllegalArgumentException e) {
            answer(exchange, CompletableFuture.completedFuture(HttpReply.error(400, e.getMessage())));
            return;
        }
        HttpReply refused = refusal(exchange, call);
        if (!call.hasBody()) {
            answer(exchange, refused != null ? CompletableFuture.completedFuture(refused) : route(exchange, call));
            return;
        }
        // A refused request's body is read too, on the body threads: answering first would leave the
        // server's own thread draining a trickling body, and four such clients would freeze the API.
        try {
            bodyThreads.execute(() -> {
                try {
                    call.readBody(BODY_BYTES_MAX);
                } catch (IOException slowOrGone) {
                    refusals.bodyTimedOut(exchange, REQUEST_SECONDS_MAX);
                    inFlight.release();
                    exchange.close();
                    return;
                }
                answer(exchange, refused != null ? CompletableFuture.completedFuture(refused) : route(exchange, call));
            });
        } catch (RejectedExecutionException full) {
            refusals.bodiesFull(BODIES_MAX);
            answer(exchange, CompletableFuture.completedFuture(HttpReply.error(503, BODIES_MAX
                    + " request bodies are being read on this node's admin API; try again when fewer are")));
        }
    }

    /** The answer for a request that may not reach the routes (a cross-site one, one without the token), else null. */
    private HttpReply refusal(HttpExchange exchange, HttpCall call) {
        String crossSite = browsers.refusal(exchange, call);
        if (crossSite != null) {
            refusals.crossSite(exchange, crossSite);
            return HttpReply.error(403, crossSite);
        }
        HttpReply denied;
        try {
            denied = auth.check(exchange, call);
        } catch (RuntimeException e) {
            // Whatever a request carries, its in-flight permit goes back with its answer.
            denied = HttpReply.error(400, "the request's credentials could not be read");
        }
        if (denied != null) {
            refusals.unauthorized(exchange);
        }
        return denied;
    }

    private CompletionStage<HttpReply> route(HttpExchange exchange, HttpCall call) {
        CompletionStage<HttpReply> reply;
        try {
            reply = call.is("ui", "login") ? CompletableFuture.completedFuture(auth.login(call)) : routes.route(call);
            if (reply == null) {
                reply = CompletableFuture.completedFuture(HttpReply.error(404, "no such resource: "
                        + exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()));
            }
        } catch (IllegalArgumentException e) {
            reply = CompletableFuture.completedFuture(HttpReply.error(400, e.getMessage()));
        } catch (IOException | RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply;
    }

    private void answer(HttpExchange exchange, CompletionStage<HttpReply> reply) {
        reply.whenCompleteAsync((r, error) -> {
            inFlight.release();
            send(exchange, r != null ? r : failed(error));
        }, replies);
    }

    private static HttpReply failed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        log.warn("admin API request failed", cause);
        // The log has the detail; the client gets no exception text (it may name classes or paths).
        return HttpReply.error(500, "the request failed on this node (" + cause.getClass().getSimpleName() + "); see its log");
    }

    private void send(HttpExchange exchange, HttpReply reply) {
        if (reply.body() instanceof Stream stream) {
            stream(exchange, stream);
            return;
        }
        if (reply.body() instanceof HttpBytes raw) {
            sendBytes(exchange, reply.status(), raw);
            return;
        }
        try (exchange) {
            byte[] bytes = Json.MAPPER.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException clientGone) {
            log.debug("admin API client went away before its answer: {}", clientGone.toString());
        }
    }

    /** A HEAD request gets the headers, the length among them, and no body. */
    private static void sendBytes(HttpExchange exchange, int status, HttpBytes raw) {
        try (exchange) {
            raw.headers().forEach(exchange.getResponseHeaders()::set);
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(raw.bytes().length));
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, raw.bytes().length);
                exchange.getResponseBody().write(raw.bytes());
            }
        } catch (IOException clientGone) {
            log.debug("admin API client went away before its answer: {}", clientGone.toString());
        }
    }

    private void stream(HttpExchange exchange, Stream stream) {
        if (!streams.tryAcquire()) {
            send(exchange, HttpReply.error(503, STREAMS_MAX + " streams are open on this node's admin API; "
                    + "the limit is " + STREAMS_MAX));
            return;
        }
        try {
            streamThreads.execute(() -> {
                try (exchange; OutputStream out = exchange.getResponseBody()) {
                    stream.headers().forEach(exchange.getResponseHeaders()::set);
                    exchange.sendResponseHeaders(200, 0); // chunked: the length is unknown
                    stream.writeTo(out);
                } catch (IOException clientGone) {
                    log.debug("admin API stream ended: {}", clientGone.toString());
                } catch (InterruptedException nodeStops) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    log.warn("admin API stream failed", e); // the node stopping under it, say
                } finally {
                    streams.release();
                }
            });
        } catch (RejectedExecutionException stopping) {
            streams.release();
            exchange.close();
        }
    }

    private void refuse(Runnable request, ThreadPoolExecutor executor) {
        long n = refused.incrementAndGet();
        if (Long.bitCount(n) == 1) { // the 1st, 2nd, 4th, 8th... refusal: seen, without a line per request in a flood
            log.warn("admin API: {} requests are already being read; a new one's connection is closed ({} so far)",
                    READERS_MAX, n);
        }
        throw new RejectedExecutionException("admin API request queue full");
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true); // never what keeps the JVM alive: the node's actor system is
            return t;
        };
    }
}
