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
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Clients that trickle their request headers, a byte a second, more of them than the server has
 * reading threads: the rest of the API keeps answering, and each one's connection is closed once
 * its request outlives the bound.
 */
class AdminSlowHeadersTest {
    private static final int TRICKLERS = 24;
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

    /** A client that sends its request line and headers a byte a second; true once the server closed its connection. */
    private AtomicBoolean trickle(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        sockets.add(socket);
        return Trickler.start(socket, new byte[0],
                "GET /v1/members HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII), clock);
    }

    @Test
    void tricklingHeadersNeitherFreezeTheApiNorHoldOnForever() throws Exception {
        server = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), AdminSecurityTest.echo());
        int port = server.address().getPort();
        List<AtomicBoolean> tricklers = new ArrayList<>();
        for (int i = 0; i < TRICKLERS; i++) {
            tricklers.add(trickle(port));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest members = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/members"))
                .timeout(Duration.ofSeconds(3)).build();
        // Every trickler has sent a few bytes of its headers before the normal client asks.
        await().atMost(Duration.ofSeconds(10)).until(() -> sockets.size() == TRICKLERS);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertEquals(200, http.send(members, HttpResponse.BodyHandlers.ofString()).statusCode()));
        await().atMost(Duration.ofSeconds(AdminServer.REQUEST_SECONDS_MAX + 15)).pollInterval(Duration.ofMillis(250))
                .until(() -> tricklers.stream().allMatch(AtomicBoolean::get));
        assertEquals(200, http.send(members, HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
