package dev.grapevine.runtime;

import dev.grapevine.core.front.ArteryStreamCheck;
import dev.grapevine.log.CountedWarnings;
import dev.grapevine.log.GrapevineLogs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gossip port's front door: listens on the node's public Artery address and forwards each
 * connection's bytes both ways to Pekko, which listens on loopback only. On the way it bounds what
 * Pekko's inbound TCP does not: connections in all and per IP address, time to the connection header,
 * idle time, and buffered bytes (a side is not read while the other's buffer is full); and it checks
 * the header and every frame length ({@link ArteryStreamCheck}), so that garbage never reaches
 * Pekko's framing. Every refusal is counted and logged as a counted, rate-limited warning.
 *
 * <p>One daemon thread runs a selector for every connection: forwarding is a read into a buffer and
 * a write out of it, with no copy in between. Connections to Pekko are opened only once a header has
 * passed, so a flood of idle connections never reaches it.
 */
final class ArteryFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArteryFront.class);
    static final long WARN_WINDOW_MILLIS = 60_000;

    private final FrontLimits limits;
    private final ArteryStreamCheck.Rules rules;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final InetSocketAddress address;
    private final long tickNanos;
    private final long originNanos = System.nanoTime();
    private final Map<FrontRefusal, AtomicLong> refused = new EnumMap<>(FrontRefusal.class);
    private final AtomicInteger open = new AtomicInteger();
    /** Loop thread only. */
    private final Map<InetAddress, Integer> perIp = new HashMap<>();
    private final Set<Link> links = new HashSet<>();
    /**
     * Buffers of closed connections, for the next ones: direct buffers are freed only by a garbage
     * collection, and a flood of short connections would otherwise allocate faster than that. At most
     * two per connection open at once, so the pool never holds more than the peak.
     */
    private final java.util.ArrayDeque<ByteBuffer> freeBuffers = new java.util.ArrayDeque<>();
    private volatile CountedWarnings warnings;
    private volatile boolean closed;
    private InetSocketAddress backend;
    private Thread thread;
    /** Run if the front stops other than by {@link #close}: a node that cannot be reached must not go on. */
    private Runnable onFailure = () -> { };
    /** Accepting paused until the next tick, after the operating system refused a connection. */
    private SelectionKey acceptPaused;

    /** Both directions of one accepted connection. Loop thread only. */
    private final class Link {
        final SocketChannel client;
        final SelectionKey clientKey;
        final InetSocketAddress from;
        final ArteryStreamCheck check = new ArteryStreamCheck(rules);
        /** Client to Pekko, and Pekko to client; each in write mode (data in 0..position). */
        final ByteBuffer up = takeBuffer();
        ByteBuffer down;
        SocketChannel upstream;
        SelectionKey upstreamKey;
        boolean connected;
        boolean clientEof;
        boolean upstreamEof;
        boolean done;
        final long openedNanos;
        long lastNanos;

        Link(SocketChannel client, InetSocketAddress from, long now) throws IOException {
            this.client = client;
            this.from = from;
            this.openedNanos = now;
            this.lastNanos = now;
            this.clientKey = client.register(selector, SelectionKey.OP_READ, this);
        }
    }

    private ArteryFront(ServerSocketChannel server, FrontLimits limits, ArteryStreamCheck.Rules rules) throws IOException {
        this.server = server;
        this.limits = limits;
        this.rules = rules;
        this.selector = Selector.open();
        this.address = (InetSocketAddress) server.getLocalAddress();
        long tickMillis = Math.max(10, Math.min(1000, Math.min(limits.firstBytesTimeoutMillis(), limits.idleTimeoutMillis()) / 4));
        this.tickNanos = tickMillis * 1_000_000L;
        for (FrontRefusal r : FrontRefusal.values()) {
            refused.put(r, new AtomicLong());
        }
        nodeName("");
    }

    /** Listens at {@code at} (port 0: any free port); connections wait in the backlog until {@link #start}. */
    static ArteryFront bind(InetSocketAddress at, FrontLimits limits, ArteryStreamCheck.Rules rules) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(at, 1024);
            server.configureBlocking(false);
            return new ArteryFront(server, limits, rules);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The public address it listens at. */
    InetSocketAddress address() {
        return address;
    }

    /** Starts forwarding to Pekko's own listener at {@code pekko}. */
    synchronized void start(InetSocketAddress pekko) {
        start(pekko, () -> { });
    }

    /**
     * Starts forwarding to Pekko's own listener at {@code pekko}; {@code onFailure} runs on the front's
     * thread if it ever stops for another reason than {@link #close}.
     */
    synchronized void start(InetSocketAddress pekko, Runnable onFailure) {
        if (thread != null || closed) {
            return;
        }
        this.backend = pekko;
        this.onFailure = onFailure;
        thread = new Thread(this::run, "grapevine-front-" + address.getPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** The node's name, for the MDC of its warnings. */
    void nodeName(String name) {
        warnings = new CountedWarnings(LoggerFactory.getLogger(GrapevineLogs.NODE), name, WARN_WINDOW_MILLIS,
                () -> (System.nanoTime() - originNanos) / 1_000_000).routine(FrontRefusal.IDLE.kind);
    }

    /** Every counter by its metric key, and the gauge of open connections. */
    Map<String, Long> figures() {
        Map<String, Long> figures = new LinkedHashMap<>();
        refused.forEach((r, n) -> figures.put(r.counter, n.get()));
        figures.put("front_connections_open", (long) open.get());
        return figures;
    }

    long refused(FrontRefusal r) {
        return refused.get(r).get();
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t == null) {
            closeQuietly(server);
            closeQuietly(selector);
            return;
        }
        selector.wakeup();
        if (t != Thread.currentThread()) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            server.register(selector, SelectionKey.OP_ACCEPT);
            long lastScan = System.nanoTime();
            while (!closed) {
                selector.select(Math.max(1, tickNanos / 1_000_000));
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.attachment() instanceof Link link) {
                        serve(link, key);
                    } else {
                        acceptAll(key);
                    }
                }
                long now = System.nanoTime();
                if (now - lastScan >= tickNanos) {
                    lastScan = now;
                    if (acceptPaused != null && acceptPaused.isValid()) {
                        acceptPaused.interestOps(SelectionKey.OP_ACCEPT);
                        acceptPaused = null;
                    }
                    expire(now);
                    warnings.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("The gossip port's front door at {} stopped, and the node with it: {}", address, e.toString(), e);
        } finally {
            for (Link link : new ArrayList<>(links)) {
                end(link);
            }
            closeQuietly(server);
            closeQuietly(selector);
        }
        if (!closed) {
            onFailure.run();
        }
    }

    private void acceptAll(SelectionKey key) {
        SocketChannel client;
        while (true) {
            try {
                client = server.accept();
            } catch (IOException e) {
                // EMFILE and the like: the connection stays in the backlog, and a selector that fires
                // again at once would spin. Pause until the next tick.
                count(FrontRefusal.ACCEPT_FAILED, e.toString());
                key.interestOps(0);
                acceptPaused = key;
                return;
            }
            if (client == null) {
                return;
            }
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) client.getRemoteAddress();
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            if (links.size() >= limits.connectionsMax()) {
                count(FrontRefusal.LIMIT_TOTAL, from + " (" + limits.connectionsMax() + " open)");
                closeQuietly(client);
                continue;
            }
            int fromIp = perIp.getOrDefault(from.getAddress(), 0);
            if (fromIp >= limits.connectionsPerIpMax()) {
                count(FrontRefusal.LIMIT_PER_IP, from + " (" + fromIp + " open)");
                closeQuietly(client);
                continue;
            }
            try {
                client.configureBlocking(false);
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                links.add(new Link(client, from, System.nanoTime()));
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            perIp.merge(from.getAddress(), 1, Integer::sum);
            open.incrementAndGet();
        }
    }

    private void serve(Link link, SelectionKey key) {
        try {
            if (key.channel() == link.client) {
                if (key.isReadable()) {
                    readClient(link);
                }
                if (!link.done && link.down != null && link.down.position() > 0) {
                    writeClient(link);
                }
            } else {
                if (key.isConnectable() && link.upstream.finishConnect()) {
                    connected(link);
                }
                if (link.connected && key.isReadable()) {
                    readUpstream(link);
                }
                if (link.connected && link.up.position() > 0) {
                    writeUpstream(link);
                }
            }
        } catch (IOException e) {
            end(link); // a reset or a refused connection to Pekko: nothing to count
            return;
        }
        if (!link.done) {
            interest(link);
        }
    }

    private void readClient(Link link) throws IOException {
        int start = link.up.position();
        int n = link.client.read(link.up);
        if (n < 0) {
            link.clientEof = true;
            return;
        }
        if (n == 0) {
            return;
        }
        link.lastNanos = System.nanoTime();
        ArteryStreamCheck.Verdict verdict = link.check.feed(link.up, start, start + n);
        if (verdict != ArteryStreamCheck.Verdict.OK) {
            FrontRefusal why = FrontRefusal.of(verdict);
            count(why, link.from + (why == FrontRefusal.BAD_FRAME ? " (length " + link.check.badLength() + ")" : ""));
            end(link); // counted first, so that whoever sees the close also sees the count
            return;
        }
        if (link.upstream == null && link.check.headerDone()) {
            connect(link);
        }
        if (link.connected) {
            writeUpstream(link);
        }
    }

    private void connect(Link link) throws IOException {
        SocketChannel upstream = SocketChannel.open();
        link.upstream = upstream;
        upstream.configureBlocking(false);
        upstream.setOption(StandardSocketOptions.TCP_NODELAY, true);
        boolean now = upstream.connect(backend);
        link.upstreamKey = upstream.register(selector, now ? 0 : SelectionKey.OP_CONNECT, link);
        if (now) {
            connected(link);
        }
    }

    private void connected(Link link) {
        link.connected = true;
        link.down = takeBuffer();
    }

    private void writeUpstream(Link link) throws IOException {
        link.up.flip();
        int n = link.upstream.write(link.up);
        link.up.compact();
        if (n > 0) {
            link.lastNanos = System.nanoTime();
        }
    }

    private void readUpstream(Link link) throws IOException {
        int n = link.upstream.read(link.down);
        if (n < 0) {
            link.upstreamEof = true;
        } else if (n > 0) {
            link.lastNanos = System.nanoTime();
            writeClient(link);
        }
    }

    private void writeClient(Link link) throws IOException {
        link.down.flip();
        int n = link.client.write(link.down);
        link.down.compact();
        if (n > 0) {
            link.lastNanos = System.nanoTime();
        }
    }

    /** What each side waits for: a side is read only while the other's buffer has room. */
    private void interest(Link link) {
        boolean upEmpty = link.up.position() == 0;
        boolean downEmpty = link.down == null || link.down.position() == 0;
        if ((link.clientEof && (upEmpty || !link.check.headerDone())) || (link.upstreamEof && downEmpty)) {
            end(link); // one side finished and everything it sent has been passed on
            return;
        }
        int client = 0;
        if (!link.clientEof && link.up.hasRemaining()) {
            client |= SelectionKey.OP_READ;
        }
        if (!downEmpty) {
            client |= SelectionKey.OP_WRITE;
        }
        link.clientKey.interestOps(client);
        if (link.upstreamKey != null) {
            int upstream;
            if (!link.connected) {
                upstream = SelectionKey.OP_CONNECT;
            } else {
                upstream = 0;
                if (!link.upstreamEof && link.down.hasRemaining()) {
                    upstream |= SelectionKey.OP_READ;
                }
                if (!upEmpty) {
                    upstream |= SelectionKey.OP_WRITE;
                }
            }
            link.upstreamKey.interestOps(upstream);
        }
    }

    private void expire(long now) {
        for (Link link : new ArrayList<>(links)) {
            if (!link.check.headerDone()) {
                if (now - link.openedNanos >= limits.firstBytesTimeoutMillis() * 1_000_000L) {
                    count(FrontRefusal.FIRST_BYTES_TIMEOUT, link.from.toString());
                    end(link);
                }
            } else if (now - link.lastNanos >= limits.idleTimeoutMillis() * 1_000_000L) {
                count(FrontRefusal.IDLE, link.from.toString());
                end(link);
            }
        }
    }

    private void end(Link link) {
        if (link.done) {
            return;
        }
        link.done = true;
        closeQuietly(link.client);
        if (link.upstream != null) {
            closeQuietly(link.upstream);
        }
        links.remove(link);
        giveBuffer(link.up);
        if (link.down != null) {
            giveBuffer(link.down);
        }
        perIp.computeIfPresent(link.from.getAddress(), (ip, n) -> n > 1 ? n - 1 : null);
        open.decrementAndGet();
    }

    private ByteBuffer takeBuffer() {
        ByteBuffer b = freeBuffers.poll();
        return b != null ? b : ByteBuffer.allocateDirect(limits.bufferBytes());
    }

    private void giveBuffer(ByteBuffer b) {
        b.clear();
        freeBuffers.push(b);
    }

    private void count(FrontRefusal why, String detail) {
        refused.get(why).incrementAndGet();
        warnings.count(why.kind, 1, why.what, why.why, detail);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
    }
}
