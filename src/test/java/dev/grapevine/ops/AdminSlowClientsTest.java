package dev.grapevine.ops;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Clients that trickle their bodies, more of them than the server has reading threads: the rest of
 * the API keeps answering, and each trickler's connection is closed once its request outlives the bound.
 */
class AdminSlowClientsTest {
    /** More than the server's reading threads (4). */
    private static final int TRICKLERS = 8;
    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
    private final List<Socket> sockets = new ArrayList<>();
    private AdminServer server;

    @AfterEach
    void stop() throws IOException {
        clock.shutdownNow();
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    /** A client that declares 60,000 bytes and sends one a second; true once the server closed its connection. */
    private AtomicBoolean trickle(int port, String host) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        sockets.add(socket);
        return Trickler.start(socket, ("POST /v1/event/slow HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 60000\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII), new byte[0], clock);
    }

    @Test
    void tricklingBodiesNeitherFreezeTheApiNorHoldOnForever() throws Exception {
        tricklersAreBounded("127.0.0.1");
    }

    /** Refused requests (here: a Host a tokenless API does not answer to) have their bodies read the same bounded way. */
    @Test
    @org.junit.jupiter.api.Tag("slow") // the accepted case above covers the same threads; this one runs in -Pslow
    void refusedTricklingBodiesDoNotFreezeTheApiEither() throws Exception {
        tricklersAreBounded("attacker.example");
    }

    private void tricklersAreBounded(String tricklersHost) throws Exception {
        AdminServer.Routes echo = AdminSecurityTest.echo();
        java.util.concurrent.SynchronousQueue<String> never = new java.util.concurrent.SynchronousQueue<>();
        AdminServer.Stream heartbeats = out -> {
            while (never.poll(500, TimeUnit.MILLISECONDS) == null) { // a line every half second
                out.write("{}\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        };
        server = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), call -> call.is("v1", "monitor")
                ? java.util.concurrent.CompletableFuture.completedFuture(HttpReply.ok(heartbeats)) : echo.route(call));
        int port = server.address().getPort();
        // A stream that outlives the request bound: the bound is on receiving requests, not on answers.
        java.util.concurrent.atomic.AtomicInteger lines = new java.util.concurrent.atomic.AtomicInteger();
        AtomicBoolean streamEnded = new AtomicBoolean();
        HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/monitor")).build(),
                HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> {
                    r.body().forEach(l -> lines.incrementAndGet());
                    streamEnded.set(true);
                }).exceptionally(e -> {
                    streamEnded.set(true);
                    return null;
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.get() > 0);
        List<AtomicBoolean> tricklers = new ArrayList<>();
        for (int i = 0; i < TRICKLERS; i++) {
            tricklers.add(trickle(port, tricklersHost));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest members = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/members"))
                .timeout(Duration.ofSeconds(3)).build();
        // Every trickler is connected and sending before the normal client asks.
        await().atMost(Duration.ofSeconds(10)).until(() -> server.refusals().bodyTimedOut() == 0 && sockets.size() == TRICKLERS);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertEquals(200, http.send(members, HttpResponse.BodyHandlers.ofString()).statusCode()));
        await().atMost(Duration.ofSeconds(AdminServer.REQUEST_SECONDS_MAX + 15)).pollInterval(Duration.ofMillis(250))
                .until(() -> tricklers.stream().allMatch(AtomicBoolean::get));
        await().atMost(Duration.ofSeconds(5)).until(() -> server.refusals().bodyTimedOut() == TRICKLERS);
        assertEquals(200, http.send(members, HttpResponse.BodyHandlers.ofString()).statusCode());
        int seen = lines.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.get() >= seen + 2);
        assertEquals(false, streamEnded.get(), "the stream, open for longer than " + AdminServer.REQUEST_SECONDS_MAX + " s, goes on");
    }
}
