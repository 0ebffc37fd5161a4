package dev.grapevine.runtime;

import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.log.CapturedLines;
import dev.grapevine.log.GrapevineLogs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes with no seeds at all, only {@code grapevine.discovery.dns-name}, pointed at a DNS server the
 * test runs and changes: they find each other from its SRV records (all on 127.0.0.1, so the records
 * carry each node's port), and they join a node that appears in the answers later.
 */
class DnsDiscoveryClusterTest {
    private static final Duration FORMED = Duration.ofSeconds(20);
    private static final String SRV = "_gossip._tcp.grapevine.test";

    private static String discovery(TestDnsServer dns) {
        return "grapevine.discovery { dns-name = \"" + SRV + ".\", resolver = \"" + dns.address() + "\", "
                + "interval = 200ms, lookup-timeout = 1s }";
    }

    /** Publishes a node as a pod of a headless Service would be: an SRV record to its own name, and that name's A record. */
    private static void publish(TestDnsServer dns, String name, LocalCluster.Node node) {
        dns.a(name + ".grapevine.test", "127.0.0.1").srv(SRV, name + ".grapevine.test", node.address().port());
    }

    private static void awaitAlive(LocalCluster.Node viewer, List<String> names) {
        for (String name : names) {
            LocalCluster.awaitStatus(viewer, name, MemberStatus.ALIVE, FORMED);
        }
    }

    @Test
    void nodesWithoutSeedsFormOneClusterFromSrvRecordsAndJoinANodeAddedLater() throws Exception {
        try (TestDnsServer dns = new TestDnsServer(); LocalCluster cluster = new LocalCluster()) {
            // Before any record exists the name is NXDOMAIN: the nodes log it and keep looking.
            LocalCluster.Node a = cluster.start("a", List.of(), discovery(dns));
            LocalCluster.Node b = cluster.start("b", List.of(), discovery(dns));
            LocalCluster.Node c = cluster.start("c", List.of(), discovery(dns));
            publish(dns, "a", a);
            publish(dns, "b", b);
            publish(dns, "c", c);
            for (LocalCluster.Node viewer : List.of(a, b, c)) {
                awaitAlive(viewer, List.of("a", "b", "c"));
            }
            assertTrue(a.metric("discovery_lookups") > 0, "no lookups counted");
            assertTrue(a.metric("discovery_joins") + b.metric("discovery_joins") + c.metric("discovery_joins") > 0, "no joins counted");

            // d has no seeds and no discovery: only the others can bring it in, once DNS lists it.
            LocalCluster.Node d = cluster.start("d", List.of(), "");
            publish(dns, "d", d);
            awaitAlive(d, List.of("a", "b", "c", "d"));
            for (LocalCluster.Node viewer : List.of(a, b, c)) {
                awaitAlive(viewer, List.of("d"));
            }
        }
    }

    /** The discovery logger's lines as "LEVEL message" (only node a looks anything up here). */
    private static List<String> logged(CapturedLines lines) {
        synchronized (lines.list) {
            return lines.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
        }
    }

    @Test
    void aNameThatDoesNotResolveIsLoggedCountedAndRetriedAndTheNodeJoinsOnceItDoes() throws Exception {
        CapturedLines lines = CapturedLines.attachedTo(GrapevineLogs.DISCOVERY);
        try (TestDnsServer dns = new TestDnsServer(); LocalCluster cluster = new LocalCluster()) {
            LocalCluster.Node a = cluster.start("a", List.of(), discovery(dns));
            org.apache.pekko.actor.testkit.typed.javadsl.TestProbe.create(a.system())
                    .awaitAssert(FORMED, Duration.ofMillis(100), () -> {
                        assertTrue(a.metric("discovery_lookup_failures") >= 2,
                                "failures counted: " + a.metric("discovery_lookup_failures"));
                        return null;
                    });
            awaitAlive(a, List.of("a"));
            // One WARN with the name and the reason, not one per failed round (at most one a minute).
            List<String> warnings = logged(lines).stream().filter(l -> l.startsWith("WARN")).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("WARN DNS discovery of " + SRV + ". failed: " + SRV + ". SRV: no such name (NXDOMAIN)"),
                    warnings.get(0));

            // The name resolves later: the node says so, and joins what it finds.
            LocalCluster.Node b = cluster.start("b", List.of(), "");
            publish(dns, "b", b);
            awaitAlive(a, List.of("a", "b"));
            awaitAlive(b, List.of("a", "b"));
            org.apache.pekko.actor.testkit.typed.javadsl.TestProbe.create(a.system())
                    .awaitAssert(FORMED, Duration.ofMillis(100), () -> {
                        assertTrue(logged(lines).contains("INFO DNS discovery of " + SRV + ". resolves again"), logged(lines).toString());
                        return null;
                    });
        } finally {
            lines.detach();
        }
    }
}
