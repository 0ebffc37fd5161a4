package dev.grapevine.bench;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fault on what one node receives: an nftables table of its own (beside {@link Nft}'s counting
 * table, and hooked before it) that drops a share of the loopback packets whose destination port is
 * that node's gossip port, TCP and UDP. Nothing else is touched: the admin and RPC ports the harness
 * reads stay open, and so do the node's own outbound TCP connections (their packets to it carry its
 * ephemeral port, not its gossip port).
 *
 * <p>What that cuts per transport: Artery over TCP (Grapevine, Pekko) sends each direction over the
 * connection the sender dialled, so every message to the node travels to its gossip port and is
 * dropped, while the acknowledgements of its own outbound connections still arrive: it can send and
 * receives nothing. Serf (memberlist) sends UDP from and to its one port, so all its UDP is cut, the
 * replies to its own pings included; its TCP streams to the port (push-pull, TCP fallback pings from
 * peers) are cut, but the replies on streams it dials itself (its own push-pull every 30 s, its TCP
 * fallback pings) arrive, since a port rule cannot tell its ephemeral ports from anyone else's.
 */
final class InboundCut {
    private static final Set<InboundCut> INSTALLED = ConcurrentHashMap.newKeySet();

    private final String table;
    private final int port;

    InboundCut(String table, int port) {
        this.table = table;
        this.port = port;
    }

    static void removeAll() {
        List.copyOf(INSTALLED).forEach(InboundCut::remove);
    }

    /** (Re)creates the table dropping this share of the packets to the port, in percent (100: all); zeroes its counter. */
    void drop(int percent) {
        if (percent < 1 || percent > 100) throw new BenchFailure("inbound drop: need 1 to 100 percent, got " + percent);
        INSTALLED.add(this);
        String share = percent < 100 ? "numgen random mod 1000 < " + percent * 10 + " " : "";
        Nft.run(List.of("nft", "-f", "-"), "table inet " + table + "\ndelete table inet " + table + "\n"
                + "table inet " + table + " {\n"
                + "  counter dropped { }\n"
                + "  chain input {\n"
                + "    type filter hook input priority -200; policy accept;\n"
                + "    iif \"lo\" meta l4proto { tcp, udp } th dport " + port + " " + share + "counter name \"dropped\" drop\n"
                + "  }\n"
                + "}\n");
    }

    /** Packets dropped since the last {@link #drop}, or -1 when the table is not there. */
    long dropped() {
        String json;
        try {
            json = Nft.run(List.of("nft", "-j", "list", "counter", "inet", table, "dropped"), "");
        } catch (BenchFailure e) {
            return -1;
        }
        try {
            for (var item : Http.JSON.readTree(json).path("nftables")) {
                var c = item.path("counter");
                if (!c.isMissingNode()) return c.path("packets").asLong();
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }

    /** Lets every packet through again. */
    void remove() {
        INSTALLED.remove(this);
        try {
            Nft.run(List.of("nft", "delete", "table", "inet", table), "");
        } catch (BenchFailure ignored) {
            // not there: nothing to remove
        }
    }
}
