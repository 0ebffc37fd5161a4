package dev.grapevine.runtime;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.log.RepeatedWarningsFilter;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Raw bytes on a node's Artery port from a stranger: bad frames, garbage, and sockets left idle. */
class ArteryGarbageTest {
    private static final String DECODER = "org.apache.pekko.remote.artery.Decoder";
    private static final Pattern HELD = Pattern.compile("\\((\\d+) more like this");

    /**
     * One 1 KiB frame with a negative or overflowing length prefix makes Pekko 1.7.0's TCP framing
     * re-read the same bytes over and over (its reader moves backwards), each an empty frame the decoder
     * drops with a warning. With the agent's filter the log gets a line per kind and window, not one
     * per frame: here fewer than one line per 1,000 frames dropped.
     */
    @Test
    void aBogusFrameLengthWritesAFewLinesNotAStorm() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        RepeatedWarningsFilter filter = new RepeatedWarningsFilter();
        filter.setContext(context);
        filter.setWindowSeconds(1);
        filter.start();
        context.addTurboFilter(filter);
        Logger decoder = context.getLogger(DECODER);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.setContext(context);
        lines.start();
        decoder.addAppender(lines);
        try (LocalCluster cluster = new LocalCluster()) {
            // Without the front door, which would close such a connection before Pekko sees the frame.
            LocalCluster.Node a = cluster.start("a", List.of(), "grapevine.front.enabled = off");
            for (int length : new int[]{-5, Integer.MAX_VALUE - 8}) {
                sendBogusFrame(a, length);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> held(lines) > 100_000);
            filter.flush();
            long written = snapshot(lines).size();
            long held = held(lines);
            assertTrue(written * 1000 < held, written + " lines written for " + held + " frames dropped");
        } finally {
            decoder.detachAppender(lines);
            context.getTurboFilterList().remove(filter);
            filter.stop();
        }
    }

    /** After 50 connections of garbage or silence on one node's port, the three nodes still see each other alive. */
    @Test
    void fiftyGarbageAndIdleConnectionsLeaveEveryNodeAliveToEveryOther() throws Exception {
        try (LocalCluster cluster = new LocalCluster()) {
            List<LocalCluster.Node> nodes = HostileInputTest.threeNodes(cluster);
            Map<String, Long> epochs = Map.of("a", HostileInputTest.epochOf(nodes.get(0), "a"),
                    "b", HostileInputTest.epochOf(nodes.get(0), "b"), "c", HostileInputTest.epochOf(nodes.get(0), "c"));
            List<Socket> sockets = new ArrayList<>();
            try {
                LocalCluster.Node target = nodes.get(1);
                for (int i = 0; i < 50; i++) {
                    Socket s = new Socket(target.address().host(), target.address().port());
                    sockets.add(s);
                    OutputStream out = s.getOutputStream();
                    switch (i % 3) {
                        case 0 -> { } // idle: connects and says nothing
                        case 1 -> out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        default -> out.write(new byte[]{'P', 'E', 'K', 'K', 1}); // a header, then silence
                    }
                    out.flush();
                }
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> allAlive(nodes, epochs));
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> allAlive(nodes, epochs));
        }
    }

    private static boolean allAlive(List<LocalCluster.Node> nodes, Map<String, Long> epochs) {
        return nodes.stream().allMatch(n -> epochs.entrySet().stream()
                .allMatch(e -> HostileInputTest.alive(n, e.getKey(), e.getValue())));
    }

    /** Artery's TCP connection header (magic, ordinary stream), then a frame whose length prefix lies. */
    private static void sendBogusFrame(LocalCluster.Node node, int length) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        frame.put(new byte[]{'P', 'E', 'K', 'K', 1}).putInt(length);
        try (Socket s = new Socket(node.address().host(), node.address().port())) {
            s.getOutputStream().write(frame.array());
            s.getOutputStream().flush();
        }
    }

    private static List<ILoggingEvent> snapshot(ListAppender<ILoggingEvent> lines) {
        synchronized (lines) { // AppenderBase appends under the appender's lock
            return new ArrayList<>(lines.list);
        }
    }

    /** Frames dropped without a line of their own, as the filter's summaries count them. */
    private static long held(ListAppender<ILoggingEvent> lines) {
        long held = 0;
        for (ILoggingEvent e : snapshot(lines)) {
            Matcher m = HELD.matcher(e.getFormattedMessage());
            if (m.find()) {
                held += Long.parseLong(m.group(1));
            }
        }
        return held;
    }
}
