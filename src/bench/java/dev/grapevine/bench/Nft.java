package dev.grapevine.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One nftables table on the loopback for the nodes' gossip ports (admin and RPC ports are left
 * alone): a counter of the packets and bytes to or from them, and optionally a random loss. A packet
 * is counted and dropped at most once, whether one or both of its ports are gossip ports. Counting at
 * the input hook sees each loopback packet once. Needs root; run inside the network namespace that
 * bin/bench creates, loss touches nothing else on the machine.
 */
final class Nft {
    /** Tables installed and not yet removed: the shutdown hook removes them, so no loss outlives the run. */
    private static final Set<Nft> INSTALLED = ConcurrentHashMap.newKeySet();

    private final String table;
    private final String ports;

    Nft(String table, List<Integer> gossipPorts) {
        this.table = table;
        this.ports = gossipPorts.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    static void removeAll() {
        List.copyOf(INSTALLED).forEach(Nft::remove);
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("nft", "list", "tables").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** (Re)creates the table with zeroed counters and the given loss, in percent (0: none). */
    void install(int lossPercent) {
        INSTALLED.add(this);
        String loss = lossPercent > 0 ? "    numgen random mod 1000 < " + lossPercent * 10 + " counter name \"dropped\" drop\n" : "";
        run(List.of("nft", "-f", "-"), "table inet " + table + "\ndelete table inet " + table + "\n"
                + "table inet " + table + " {\n"
                + "  counter gossip { }\n"
                + "  counter dropped { }\n"
                + "  set ports { type inet_service; elements = { " + ports + " } }\n"
                + "  chain gossip_packet {\n"
                + "    counter name \"gossip\"\n"
                + loss
                + "  }\n"
                + "  chain input {\n"
                + "    type filter hook input priority -150; policy accept;\n"
                + "    iif \"lo\" meta l4proto { tcp, udp } th dport @ports goto gossip_packet\n"
                + "    iif \"lo\" meta l4proto { tcp, udp } th sport @ports goto gossip_packet\n"
                + "  }\n"
                + "}\n");
    }

    record Count(long packets, long bytes) {}

    Count read(String counter) {
        String json = run(List.of("nft", "-j", "list", "counter", "inet", table, counter), "");
        try {
            for (JsonNode item : Http.JSON.readTree(json).path("nftables")) {
                JsonNode c = item.path("counter");
                if (!c.isMissingNode()) return new Count(c.path("packets").asLong(), c.path("bytes").asLong());
            }
        } catch (IOException e) {
            throw new BenchFailure("cannot parse nft's counter: " + e.getMessage());
        }
        throw new BenchFailure("nft listed no counter " + counter);
    }

    void remove() {
        INSTALLED.remove(this);
        try {
            run(List.of("nft", "delete", "table", "inet", table), "");
        } catch (BenchFailure ignored) {
            // not there: nothing to remove
        }
    }

    static String run(List<String> cmd, String stdin) {
        try {
            List<String> bounded = new java.util.ArrayList<>(List.of("timeout", "10"));   // readAllBytes below waits for the end
            bounded.addAll(cmd);
            Process p = new ProcessBuilder(bounded).redirectErrorStream(true).start();
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) throw new BenchFailure(String.join(" ", cmd) + ": " + out.trim());
            return out;
        } catch (IOException e) {
            throw new BenchFailure(String.join(" ", cmd) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }
}
