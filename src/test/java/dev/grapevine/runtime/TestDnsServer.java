package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server for tests: UDP on 127.0.0.1, an ephemeral port, answering from records the test sets
 * and changes as it goes (TTL 30 s, as CoreDNS gives; a client that caches across lookups would see
 * no change). A name with no records at all is NXDOMAIN; a
 * name with records of other types only is an empty answer (NODATA); a silent name gets no reply.
 */
final class TestDnsServer implements AutoCloseable {
    static final long TTL_SECONDS = 30;
    private final DatagramSocket socket;
    private final Thread loop;
    /** Records by owner name, then by type. */
    private final Map<Name, Map<Integer, List<Record>>> zone = new ConcurrentHashMap<>();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final AtomicInteger queries = new AtomicInteger();
    private volatile boolean additional = true;

    TestDnsServer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        loop = new Thread(this::serve, "test-dns-server");
        loop.setDaemon(true);
        loop.start();
    }

    /** host:port to give as grapevine.discovery.resolver. */
    Address address() {
        return new Address("127.0.0.1", socket.getLocalPort());
    }

    int queries() {
        return queries.get();
    }

    static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Adds an A record {@code name -> ip}. */
    TestDnsServer a(String name, String ip) {
        try {
            return add(new ARecord(name(name), DClass.IN, TTL_SECONDS, InetAddress.getByName(ip)));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Adds an SRV record {@code name -> target:port}. */
    TestDnsServer srv(String name, String target, int port) {
        return add(new SRVRecord(name(name), DClass.IN, TTL_SECONDS, 0, 10, port, name(target)));
    }

    TestDnsServer add(Record r) {
        zone.computeIfAbsent(r.getName(), n -> new ConcurrentHashMap<>())
                .computeIfAbsent(r.getType(), t -> new CopyOnWriteArrayList<>()).add(r);
        return this;
    }

    /** Removes every record of {@code name}: it becomes NXDOMAIN. */
    void remove(String name) {
        zone.remove(name(name));
    }

    /** SRV answers come without their targets' addresses, as from a server that does not add them. */
    TestDnsServer withoutAdditionalRecords() {
        additional = false;
        return this;
    }

    /** Queries for {@code name} get no reply at all, as from a server that is down. */
    void silence(String name) {
        silent.add(name(name));
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                queries.incrementAndGet();
                Record question = query.getQuestion();
                if (question == null || silent.contains(question.getName())) {
                    continue;
                }
                byte[] reply = answer(query, question).toWire(512);
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    System.err.println("test DNS server: " + e);
                }
            }
        }
    }

    private Message answer(Message query, Record question) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.addRecord(question, Section.QUESTION);
        Map<Integer, List<Record>> byType = zone.get(question.getName());
        if (byType == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            return response;
        }
        for (Record r : byType.getOrDefault(question.getType(), List.of())) {
            response.addRecord(r, Section.ANSWER);
        }
        if (question.getType() == Type.SRV && additional) {
            // As a Kubernetes DNS server does, the targets' addresses come along.
            for (Record r : byType.getOrDefault(Type.SRV, List.of())) {
                Map<Integer, List<Record>> target = zone.get(((SRVRecord) r).getTarget());
                if (target != null) {
                    target.getOrDefault(Type.A, List.of()).forEach(a -> response.addRecord(a, Section.ADDITIONAL));
                }
            }
        }
        return response;
    }

    @Override
    public void close() {
        socket.close();
    }
}
