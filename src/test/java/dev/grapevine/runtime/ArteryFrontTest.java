package dev.grapevine.runtime;

import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.ops.DevCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gossip port's front door: a cluster gossips through it, and what Pekko's inbound TCP does not
 * bound (idle floods, silent connections, lying frame lengths, plaintext on a TLS port) is closed and
 * counted there.
 */
class ArteryFrontTest {
    private static final Duration FORMED = Duration.ofSeconds(30);

    private static void awaitAllAlive(List<LocalCluster.Node> nodes) {
        for (LocalCluster.Node viewer : nodes) {
            for (LocalCluster.Node n : nodes) {
                LocalCluster.awaitStatus(viewer, name(n), MemberStatus.ALIVE, FORMED);
            }
        }
    }

    private static String name(LocalCluster.Node node) {
        return LocalCluster.members(node).stream().filter(m -> m.address().equals(node.address()))
                .findFirst().orElseThrow().name();
    }

    /** Reads until the other side closes; an exception here (reset) counts as closed too. */
    private static boolean closedByPeer(Socket s) throws IOException {
        s.setSoTimeout((int) FORMED.toMillis());
        InputStream in = s.getInputStream();
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return true;
                }
            }
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void threeNodesFormAClusterThroughTheirFrontDoors() {
        try (LocalCluster cluster = new LocalCluster()) {
            List<LocalCluster.Node> nodes = HostileInputTest.threeNodes(cluster);
            for (LocalCluster.Node n : nodes) {
                ArteryFront front = FrontedRemoteProvider.front(n.system()).orElseThrow();
                assertEquals(n.address().port(), front.address().getPort(), "peers reach the node at its front door");
                await().atMost(FORMED).until(() -> n.metric("front_connections_open") >= 2);
            }
            LocalCluster.Node d = cluster.start("d", List.of(nodes.get(2).address()), "");
            List<LocalCluster.Node> all = new ArrayList<>(nodes);
            all.add(d);
            awaitAllAlive(all);
            for (LocalCluster.Node n : all) {
                for (FrontRefusal r : FrontRefusal.values()) {
                    assertEquals(0, n.metric(r.counter), n.address() + " " + r.counter);
                }
            }
        }
    }

    @Test
    void anIdleFloodBeyondThePerAddressLimitIsRefusedAndCountedWhileTheClusterStaysHealthy() throws IOException {
        String limits = "grapevine.front.connections-per-ip-max = 12\ngrapevine.front.first-bytes-timeout = 5m\n";
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), limits);
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), limits);
            LocalCluster.Node c = cluster.start("c", List.of(a.address()), limits);
            List<LocalCluster.Node> nodes = List.of(a, b, c);
            awaitAllAlive(nodes);
            Map<String, Long> epochs = Map.of("a", HostileInputTest.epochOf(a, "a"), "b", HostileInputTest.epochOf(a, "b"),
                    "c", HostileInputTest.epochOf(a, "c"));
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    flood.add(new Socket(a.address().host(), a.address().port()));
                }
                await().atMost(FORMED).until(() -> a.metric("front_connections_open") == 12);
                long refused = a.metric("front_refused_ip_limit");
                assertTrue(refused >= 40 - 12 && refused <= 40, refused + " refused");
                await().during(Duration.ofSeconds(3)).atMost(FORMED).pollInterval(Duration.ofMillis(200))
                        .until(() -> nodes.stream().allMatch(n -> epochs.entrySet().stream()
                                .allMatch(e -> HostileInputTest.alive(n, e.getKey(), e.getValue()))));
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
            await().atMost(FORMED).until(() -> a.metric("front_connections_open") < 12);
        }
    }

    @Test
    void aConnectionThatSaysNothingIsClosedAfterTheFirstBytesDeadline() throws IOException {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "grapevine.front.first-bytes-timeout = 300ms\n");
            try (Socket silent = new Socket(a.address().host(), a.address().port())) {
                assertTrue(closedByPeer(silent));
            }
            await().atMost(FORMED).until(() -> a.metric("front_closed_first_bytes_timeout") == 1);
            await().atMost(FORMED).until(() -> a.metric("front_connections_open") == 0);
        }
    }

    @Test
    void aConnectionThatFallsSilentAfterItsHeaderIsClosedWhenIdle() throws IOException {
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "grapevine.front.idle-timeout = 300ms\n");
            try (Socket s = new Socket(a.address().host(), a.address().port())) {
                s.getOutputStream().write(new byte[]{'P', 'E', 'K', 'K', 2});
                assertTrue(closedByPeer(s));
            }
            await().atMost(FORMED).until(() -> a.metric("front_closed_idle") == 1);
            assertEquals(0, a.metric("front_closed_first_bytes_timeout"));
        }
    }

    /**
     * Without the front door such a frame leaves Pekko's framing re-reading the same bytes, a core busy
     * and its decoder warning of each empty frame (ArteryGarbageTest); here the decoder hears nothing.
     */
    @Test
    void aLyingFrameLengthClosesTheConnectionBeforePekkoSeesItAndARealPeerStillJoins() throws IOException {
        ch.qos.logback.classic.Logger decoder = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger("org.apache.pekko.remote.artery.Decoder");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> decoderLines =
                new ch.qos.logback.core.read.ListAppender<>();
        decoderLines.start();
        decoder.addAppender(decoderLines);
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), "");
            int[] lengths = {0x7fffffff, -5, 0};
            for (int length : lengths) {
                ByteBuffer frame = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
                frame.put(new byte[]{'P', 'E', 'K', 'K', 2}).putInt(length);
                try (Socket s = new Socket(a.address().host(), a.address().port())) {
                    s.getOutputStream().write(frame.array());
                    assertTrue(closedByPeer(s), "length " + length);
                }
            }
            try (Socket s = new Socket(a.address().host(), a.address().port())) {
                s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertTrue(closedByPeer(s));
            }
            await().atMost(FORMED).until(() -> a.metric("front_refused_bad_frame") == lengths.length
                    && a.metric("front_refused_bad_magic") == 1);
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), "");
            awaitAllAlive(List.of(a, b));
            synchronized (decoderLines) {
                assertEquals(List.of(), decoderLines.list, "Pekko's decoder saw a frame of the liars");
            }
        } finally {
            decoder.detachAppender(decoderLines);
        }
    }

    @Test
    void aPlaintextPeerOfATlsNodeIsCountedAsPlaintext(@TempDir Path dir) throws IOException {
        DevCertificates.writeCa(dir.resolve("ca"), "test CA", false);
        for (String n : List.of("a", "b")) {
            DevCertificates.writeNode(dir.resolve("ca"), n, List.of("127.0.0.1"), dir.resolve(n), false);
        }
        try (LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), tls(dir, "a"));
            LocalCluster.Node b = cluster.start("b", List.of(a.address()), tls(dir, "b"));
            awaitAllAlive(List.of(a, b));
            cluster.start("plain", List.of(a.address()), "");
            await().atMost(FORMED).until(() -> a.metric("front_refused_plaintext") > 0);
            try (Socket s = new Socket(a.address().host(), a.address().port())) {
                s.getOutputStream().write(new byte[]{'P', 'E', 'K', 'K', 2, 1, 0, 0, 0, 0});
                assertTrue(closedByPeer(s));
            }
            long counted = a.metric("front_refused_plaintext");
            await().during(Duration.ofSeconds(2)).atMost(FORMED).until(() ->
                    LocalCluster.members(a).stream().noneMatch(m -> m.name().equals("plain"))
                            && HostileInputTest.alive(a, "b", HostileInputTest.epochOf(a, "b")));
            assertTrue(counted >= 2, counted + " counted");
        }
    }

    private static String tls(Path dir, String node) {
        return "grapevine.tls.enabled = on\n"
                + "grapevine.tls.dir = \"" + dir.resolve(node) + "\"\n";
    }
}
