package dev.grapevine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Type;

import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DnsDiscovery} against a real DNS server on the loopback, whose records each test sets. */
class DnsDiscoveryTest {
    private static final Address SELF = new Address("10.0.0.1", 7946);
    private TestDnsServer server;

    @BeforeEach
    void startServer() throws SocketException {
        server = new TestDnsServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private DnsDiscovery discovery(String name, String extra) {
        Config config = ConfigFactory.parseString("grapevine.discovery { dns-name = \"" + name + "\"\n"
                        + "resolver = \"" + server.address() + "\"\nlookup-timeout = 1s\n" + extra + "}\n")
                .withFallback(ConfigFactory.load());
        return new DnsDiscovery(NodeSettings.from(config, SELF).discovery(), SELF);
    }

    private static List<Address> addresses(String... endpoints) {
        return java.util.Arrays.stream(endpoints).map(Address::parse).toList();
    }

    @Test
    void aRecordsGiveEachAddressWithTheConfiguredPort() throws Exception {
        server.a("peers.grapevine.test", "10.0.0.2").a("peers.grapevine.test", "10.0.0.3");
        DnsDiscovery.Answer answer = discovery("peers.grapevine.test.", "port = 7000\n").lookup();
        assertEquals(addresses("10.0.0.2:7000", "10.0.0.3:7000"), answer.addresses());
        assertEquals(0, answer.dropped());
    }

    @Test
    void aRecordsWithoutAPortTakeThisNodesOwnAndSkipThisNode() throws Exception {
        server.a("peers.grapevine.test", "10.0.0.1").a("peers.grapevine.test", "10.0.0.2");
        DnsDiscovery.Answer answer = discovery("peers.grapevine.test.", "").lookup();
        assertEquals(addresses("10.0.0.2:7946"), answer.addresses(), "10.0.0.1:7946 is this node");
    }

    @Test
    void srvRecordsGiveTheirTargetsAddressesWithTheRecordsPorts() throws Exception {
        server.srv("_gossip._tcp.grapevine.test", "a.grapevine.test", 7001)
                .srv("_gossip._tcp.grapevine.test", "b.grapevine.test", 7002)
                .srv("_gossip._tcp.grapevine.test", "self.grapevine.test", 7946)
                .a("a.grapevine.test", "127.0.0.1").a("b.grapevine.test", "127.0.0.1").a("self.grapevine.test", "10.0.0.1");
        DnsDiscovery.Answer answer = discovery("_gossip._tcp.grapevine.test.", "port = 9999\n").lookup();
        assertEquals(addresses("127.0.0.1:7001", "127.0.0.1:7002"), answer.addresses());
        assertEquals(List.of(), answer.unresolvedTargets());
        // The server sent the targets' A records along with the SRV records: no query per target.
        assertEquals(1, server.queries(), "queries for one SRV round");
    }

    @Test
    void srvTargetsAreLookedUpWhenTheServerSendsNoAddressesAlong() throws Exception {
        server.withoutAdditionalRecords()
                .srv("_gossip._tcp.grapevine.test", "a.grapevine.test", 7001)
                .srv("_gossip._tcp.grapevine.test", "b.grapevine.test", 7002)
                .a("a.grapevine.test", "127.0.0.1").a("b.grapevine.test", "127.0.0.1");
        DnsDiscovery.Answer answer = discovery("_gossip._tcp.grapevine.test.", "").lookup();
        assertEquals(addresses("127.0.0.1:7001", "127.0.0.1:7002"), answer.addresses());
        assertEquals(3, server.queries(), "one SRV query, then one A query per target");
    }

    @Test
    void anSrvTargetThatDoesNotResolveIsReportedAndTheOthersStillCount() throws Exception {
        server.srv("_gossip._tcp.grapevine.test", "gone.grapevine.test", 7001)
                .srv("_gossip._tcp.grapevine.test", "b.grapevine.test", 7002)
                .a("b.grapevine.test", "127.0.0.1");
        DnsDiscovery.Answer answer = discovery("_gossip._tcp.grapevine.test.", "").lookup();
        assertEquals(addresses("127.0.0.1:7002"), answer.addresses());
        assertEquals(1, answer.unresolvedTargets().size());
        assertTrue(answer.unresolvedTargets().get(0).contains("gone.grapevine.test"), answer.unresolvedTargets().toString());
    }

    @Test
    void srvTargetsNoneOfWhichResolvesFailTheRound() {
        server.srv("_gossip._tcp.grapevine.test", "gone.grapevine.test", 7001);
        DnsDiscovery.LookupFailedException e = assertThrows(DnsDiscovery.LookupFailedException.class,
                () -> discovery("_gossip._tcp.grapevine.test.", "").lookup());
        assertTrue(e.getMessage().contains("gone.grapevine.test") && e.getMessage().contains("NXDOMAIN"), e.getMessage());
    }

    @Test
    void recordsTheServerChangesAreSeenByTheNextRound() throws Exception {
        server.a("peers.grapevine.test", "10.0.0.2");
        DnsDiscovery dns = discovery("peers.grapevine.test.", "");
        assertEquals(addresses("10.0.0.2:7946"), dns.lookup().addresses());
        server.a("peers.grapevine.test", "10.0.0.3");
        assertEquals(addresses("10.0.0.2:7946", "10.0.0.3:7946"), dns.lookup().addresses());
    }

    @Test
    void aRelativeNameIsLookedUpInTheSearchDomainsAsInAPod() throws Exception {
        // deploy/kubernetes gives the relative name; a pod's resolv.conf lists these search domains.
        String pod = "grapevine-0.grapevine-headless.ns1.svc.cluster.test";
        server.srv("_gossip._tcp.grapevine-headless.ns1.svc.cluster.test", pod, 7946).a(pod, "10.0.0.2");
        Lookup.setDefaultSearchPath("ns1.svc.cluster.test", "svc.cluster.test", "cluster.test");
        try {
            DnsDiscovery.Answer answer = discovery("_gossip._tcp.grapevine-headless", "").lookup();
            assertEquals(addresses("10.0.0.2:7946"), answer.addresses());
        } finally {
            Lookup.refreshDefault(); // the search path of this machine again, for the tests after this one
        }
    }

    @Test
    void noSuchNameFailsWithTheNameAndNxdomain() {
        DnsDiscovery.LookupFailedException e = assertThrows(DnsDiscovery.LookupFailedException.class,
                () -> discovery("missing.grapevine.test.", "").lookup());
        assertTrue(e.getMessage().contains("missing.grapevine.test") && e.getMessage().contains("NXDOMAIN"), e.getMessage());
    }

    @Test
    void aNameWithoutAddressRecordsIsAnEmptyAnswerNotAFailure() throws Exception {
        server.srv("only-srv.grapevine.test", "a.grapevine.test", 7001);
        assertEquals(List.of(), discovery("only-srv.grapevine.test.", "").lookup().addresses());
    }

    @Test
    void aServerThatDoesNotAnswerFailsWithTheLookupTimeout() {
        server.a("slow.grapevine.test", "10.0.0.2").silence("slow.grapevine.test");
        DnsDiscovery dns = discovery("slow.grapevine.test.", "lookup-timeout = 300ms\n");
        DnsDiscovery.LookupFailedException e = assertThrows(DnsDiscovery.LookupFailedException.class, dns::lookup);
        assertEquals("slow.grapevine.test. A: no answer within the lookup timeout of 300 ms (resolver " + server.address() + ")",
                e.getMessage());
        assertTrue(server.queries() >= 1, "the server was never asked");
    }

    @Test
    void addressesBeyondTheBoundAreDroppedAndCounted() throws Exception {
        for (int i = 2; i <= 6; i++) {
            server.a("many.grapevine.test", "10.0.0." + i);
        }
        DnsDiscovery.Answer answer = discovery("many.grapevine.test.", "addresses-max = 3\n").lookup();
        assertEquals(addresses("10.0.0.2:7946", "10.0.0.3:7946", "10.0.0.4:7946"), answer.addresses());
        assertEquals(2, answer.dropped());
    }

    @Test
    void theAddressFamilyFollowsThisNodesOwnAddress() {
        assertArrayEquals(new int[] {Type.A}, DnsDiscovery.addressTypes("10.1.2.3"));
        assertArrayEquals(new int[] {Type.AAAA}, DnsDiscovery.addressTypes("fd00::1"));
        assertArrayEquals(new int[] {Type.A, Type.AAAA}, DnsDiscovery.addressTypes("grapevine-0.grapevine-headless"));
    }

    @Test
    void ipv6AddressesAreWrittenAsKubernetesWritesAPodIp() throws Exception {
        for (String text : List.of("fd00:10:244::5", "::1", "::", "fd00::", "2001:db8:0:1:1:1:1:1", "2001:db8::1:0:0:1",
                "1:0:0:2::3", "fe80::a:b:c:d")) {
            assertEquals(text, DnsDiscovery.ipv6Text(java.net.InetAddress.getByName(text).getAddress()), text);
        }
    }

    @Test
    void aaaaRecordsGiveTheAddressesAsPeersAdvertiseThem() throws Exception {
        server.add(new org.xbill.DNS.AAAARecord(TestDnsServer.name("peers6.grapevine.test"), org.xbill.DNS.DClass.IN, 30,
                java.net.InetAddress.getByName("fd00:10:244:0:0:0:0:5")));
        Address self6 = new Address("fd00:10:244::9", 7946);
        Config config = ConfigFactory.parseString("grapevine.discovery { dns-name = \"peers6.grapevine.test.\"\n"
                + "resolver = \"" + server.address() + "\" }").withFallback(ConfigFactory.load());
        DnsDiscovery.Answer answer = new DnsDiscovery(NodeSettings.from(config, self6).discovery(), self6).lookup();
        assertEquals(List.of(new Address("fd00:10:244::5", 7946)), answer.addresses());
    }

    @Test
    void onlyAddressesThatAreNeitherThisNodeNorALiveMemberAreJoined() {
        List<Member> view = List.of(
                Member.alive("self", SELF, 1, 0, Map.of()),
                Member.alive("b", Address.parse("10.0.0.2:7946"), 1, 0, Map.of()),
                Member.alive("c", Address.parse("10.0.0.3:7946"), 1, 0, Map.of())
                        .withStatus(dev.grapevine.core.member.MemberStatus.DEAD));
        assertEquals(addresses("10.0.0.3:7946", "10.0.0.4:7946"), DnsDiscoveryActor.toJoin(
                addresses("10.0.0.1:7946", "10.0.0.2:7946", "10.0.0.3:7946", "10.0.0.4:7946"), view, SELF));
    }

    @Test
    void settingsAreOffByDefaultAndBadValuesAreNamed() {
        NodeSettings defaults = NodeSettings.from(ConfigFactory.load(), SELF);
        assertFalse(defaults.discovery().enabled());
        assertEquals(Duration.ofSeconds(10), defaults.discovery().interval());
        assertEquals(OptionalInt.empty(), defaults.discovery().port());
        assertEquals(64, defaults.discovery().addressesMax());
        assertFalse(NodeSettings.from(ConfigFactory.parseString("grapevine.discovery.dns-name = \"\"")
                .withFallback(ConfigFactory.load()), SELF).discovery().enabled(), "an empty name is off");

        String longLabel = "a".repeat(64); // DNS labels are at most 63 bytes
        Config bad = ConfigFactory.parseString("grapevine.discovery { dns-name = \"" + longLabel + ".test\", interval = 10ms, port = 70000, "
                + "resolver = \"nope\", lookup-timeout = 2m, addresses-max = 0 }").withFallback(ConfigFactory.load());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeSettings.from(bad, SELF));
        for (String key : List.of("grapevine.discovery.dns-name", "grapevine.discovery.interval", "grapevine.discovery.port", "grapevine.discovery.resolver",
                "grapevine.discovery.lookup-timeout", "grapevine.discovery.addresses-max")) {
            assertTrue(e.getMessage().contains(key), key + " not named in: " + e.getMessage());
        }
    }

    @Test
    void warningsAreLoggedFirstThenAtMostOncePerPeriod() {
        WarnLimiter limiter = new WarnLimiter(Duration.ofMinutes(1));
        long minute = Duration.ofMinutes(1).toNanos();
        assertEquals(0, limiter.occurrence(0));
        assertEquals(-1, limiter.occurrence(minute / 2));
        assertEquals(-1, limiter.occurrence(minute - 1));
        assertEquals(2, limiter.occurrence(minute), "the two in between are reported as not logged");
        limiter.reset();
        assertEquals(0, limiter.occurrence(minute + 1), "after a reset the next one is news");
    }
}
