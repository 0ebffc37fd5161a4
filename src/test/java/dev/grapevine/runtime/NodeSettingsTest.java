package dev.grapevine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.core.config.Profile;
import dev.grapevine.core.member.Address;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeSettingsTest {
    private static final Address ENDPOINT = new Address("10.1.2.3", 7946);

    private static NodeSettings read(String hocon) {
        Config config = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
        return NodeSettings.from(config, ENDPOINT);
    }

    @Test
    void defaultsAreTheLanProfileAndTheEndpointNamesTheNode() {
        NodeSettings s = read("");
        assertAll(
                () -> assertEquals(Profile.LAN, s.profile()),
                () -> assertEquals(Profile.LAN.settings().toBuilder().gossipCopiesMax(1).retransmitMult(2).build(), s.protocol(),
                        "but for one copy of a broadcast per member and a retransmit multiplier of 2, as over Artery"),
                () -> assertEquals("10.1.2.3:7946", s.name()),
                () -> assertEquals(List.of(), s.seeds()),
                () -> assertTrue(s.dataDir().isEmpty()));
    }

    @Test
    void aProfileSetsEveryKeyLeftNullAndExplicitKeysWin() {
        NodeSettings s = read("grapevine.profile = wan\ngrapevine.protocol.probe-timeout = 2s\n"
                + "grapevine.protocol.gossip-max-bytes = 32KiB");
        assertEquals(Duration.ofSeconds(5), s.protocol().probeInterval(), "from the wan profile");
        assertEquals(Duration.ofSeconds(2), s.protocol().probeTimeout(), "explicit");
        assertEquals(32 * 1024, s.protocol().gossipBytesMax());
    }

    @Test
    void overArteryTheRetransmitMultiplierIsAtMostTwoUnlessSet() {
        assertAll(
                () -> assertEquals(2, read("grapevine.profile = wan").protocol().retransmitMult(), "wan's 3, capped"),
                () -> assertEquals(Profile.LOCAL.settings().retransmitMult(),
                        read("grapevine.profile = local").protocol().retransmitMult(), "local's own, already at most 2"),
                () -> assertEquals(3, read("grapevine.protocol.retransmit-mult = 3").protocol().retransmitMult(), "explicit"));
    }

    @Test
    void nodeIdentitySeedsAndTagsAreRead() {
        NodeSettings s = read("grapevine.node { name = db-1, data-dir = /var/lib/grapevine, tags { role = db, zone = a } }\n"
                + "grapevine.seeds = [\"10.0.0.1:7946\", \"[::1]:7947\"]");
        assertEquals("db-1", s.name());
        assertEquals(List.of(new Address("10.0.0.1", 7946), new Address("::1", 7947)), s.seeds());
        assertEquals(Map.of("role", "db", "zone", "a"), s.tags());
        assertEquals("/var/lib/grapevine", s.dataDir().orElseThrow().toString().replace('\\', '/'));
    }

    @Test
    void everyBadValueIsNamedInOneMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(
                "grapevine.profile = lab\n"
                        + "grapevine.seeds = [\"nohost\"]\n"
                        + "grapevine.protocol.probe-interval = banana\n"
                        + "grapevine.protocol.gossip-fanout = 0\n"));
        String m = e.getMessage();
        assertAll(
                () -> assertTrue(m.contains("grapevine.profile") && m.contains("lan, wan, local"), m),
                () -> assertTrue(m.contains("grapevine.seeds") && m.contains("HOST:PORT"), m),
                () -> assertTrue(m.contains("grapevine.protocol.probe-interval"), m),
                () -> assertTrue(m.contains("grapevine.protocol.gossip-fanout = 0: must be in 1..16"), m));
    }

    @Test
    void inconsistentTimingsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("grapevine.protocol { probe-interval = 500ms, probe-timeout = 800ms }"));
        assertTrue(e.getMessage().contains("grapevine.protocol.probe-timeout = 800ms: must be shorter than probe-interval (500 ms)"), e.getMessage());
    }

    @Test
    void referenceConfDocumentsExactlyTheKeysTheReaderKnows() throws IOException {
        Config protocol = ConfigFactory.defaultReference().getConfig("grapevine.protocol");
        Set<String> inConf = new TreeSet<>(protocol.root().keySet());
        assertEquals(new TreeSet<>(NodeSettings.PROTOCOL_KEYS), inConf);
        String text;
        try (InputStream in = getClass().getResourceAsStream("/reference.conf")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String key : NodeSettings.PROTOCOL_KEYS) {
            int at = text.indexOf("    " + key + " = null");
            assertTrue(at > 0, key + " is not in reference.conf");
            String before = text.substring(text.lastIndexOf("\n\n", at) + 1, at);
            assertTrue(before.contains("#") && (before.contains("Duration") || before.contains("Count") || before.contains("Bytes")),
                    key + " lacks a comment stating its unit: " + before);
        }
    }

    @Test
    void settleMaxDefaultsToTenSecondsAndMayNotBeShorterThanStableAfter() {
        assertEquals(10_000, read("").recovery().core().settleMaxMillis());
        assertEquals(30_000, read("grapevine.recovery { stable-after = 30s, settle-max = 30s }").recovery().core().settleMaxMillis());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("grapevine.recovery.stable-after = 30s"));
        assertEquals("grapevine configuration: grapevine.recovery.settle-max = 10s: must be at least stable-after (30s); raise it with stable-after",
                e.getMessage());
    }

    @Test
    void unknownKeysAndBadValuesOfEverySectionComeInOneMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(
                "grapevine.node.name = \"db 1\"\n"
                        + "grapevine.protocol.probe-intervall = 2s\n"
                        + "grapevine.protocol.probe-interval = -1s\n"
                        + "grapevine.recovery.replication-factor = 0\n"
                        + "grapevine.recovery.chunk-bytes = 1MiB\n"
                        + "grapevine.recovery.request-timeout = banana\n"));
        assertEquals("grapevine configuration has 6 problems:\n"
                + "  unknown key grapevine.protocol.probe-intervall (String: 2); did you mean grapevine.protocol.probe-interval?\n"
                + "  grapevine.node.name = db 1: must not contain spaces or control characters\n"
                + "  grapevine.protocol.probe-interval = -1s: must be at least 1 ms\n"
                + "  grapevine.recovery.replication-factor = 0: must be in 1..16\n"
                + "  grapevine.recovery.request-timeout = banana: must be a duration such as 500ms or 2s\n"
                + "  grapevine.recovery.chunk-bytes = 1MiB: must be in 1KiB..128KiB", e.getMessage());
        assertEquals(6, ((dev.grapevine.spi.InvalidConfigException) e).problems().size());
    }

    @Test
    void aValueOfTheWrongTypeIsNamedWithWhatItMustBe() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(
                "grapevine.protocol { gossip-fanout = many, gossip-max-bytes = lots }\ngrapevine.node.tags = 5"));
        assertEquals("grapevine configuration has 3 problems:\n"
                + "  grapevine.node.tags = 5: must be a section of keys, as in reference.conf\n"
                + "  grapevine.protocol.gossip-fanout = many: must be a whole number\n"
                + "  grapevine.protocol.gossip-max-bytes = lots: must be a size such as 16384 or 16KiB", e.getMessage());
    }

    @Test
    void oneProblemIsOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read("grapevine.kv.enable = false"));
        assertEquals("grapevine configuration: unknown key grapevine.kv.enable (String: 1); did you mean grapevine.kv.enabled?",
                e.getMessage());
    }

    @Test
    void aValueTheProfileSetIsShownAsTheProfiles() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("grapevine.protocol.probe-timeout = 1500ms"));
        assertEquals("grapevine configuration: grapevine.protocol.probe-timeout = 1500ms: must be shorter than probe-interval "
                + "(1000 ms): the indirect probe needs the rest of the period", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read("grapevine.protocol.probe-interval = 300ms"));
        assertTrue(e.getMessage().contains("grapevine.protocol.probe-timeout = 500 ms (lan profile): must be shorter than "
                + "probe-interval (300 ms)"), e.getMessage());
    }

    @Test
    void tagsOverTheMemberLimitAreRefusedAtStartWithTheLimit() {
        String big = "x".repeat(dev.grapevine.api.Grapevine.USER_TAGS_BYTES_MAX);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("grapevine.node.tags { role = db, blob = \"" + big + "\" }"));
        assertTrue(e.getMessage().startsWith("grapevine configuration: grapevine.node.tags = {"), e.getMessage());
        assertTrue(e.getMessage().endsWith(": take 826 bytes (keys and values, UTF-8); the limit is 816 "
                + "(the member limit of 1024 less 208 for the node's own)"), e.getMessage());
        assertEquals(Map.of("blob", big.substring(4)), read("grapevine.node.tags { blob = \"" + big.substring(4) + "\" }").tags(),
                "exactly at the limit");
    }

    @Test
    void tagsCannotTakeTheNodesReservedPrefixOrHoldLists() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("grapevine.node.tags { grapevine.epoch = 1, \"grapevine.x\" = 2, roles = [a, b] }"));
        assertEquals("grapevine configuration has 3 problems:\n"
                + "  grapevine.node.tags \"roles\" = [\"a\",\"b\"]: a tag's value must be a string\n"
                + "  grapevine.node.tags \"grapevine.epoch\": tag keys starting with 'grapevine.' are reserved for the node's own\n"
                + "  grapevine.node.tags \"grapevine.x\": tag keys starting with 'grapevine.' are reserved for the node's own",
                e.getMessage());
        assertEquals(Map.of("rack.row", "3"), read("grapevine.node.tags { rack { row = 3 } }").tags(), "nested keys join with dots");
    }

    @Test
    void tagKeysFollowTheRuleTheTagsCommandChecks() {
        // A key `grapevine tags set` would refuse must not slip in through the config or --tag.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("grapevine.node.tags { \"a=b\" = 1, \" role\" = db, " + "k".repeat(129) + " = 2 }"));
        String rule = ": a tag key is 1..128 characters without '=', control characters or surrounding spaces";
        assertEquals("grapevine configuration has 3 problems:\n"
                + "  grapevine.node.tags \" role\"" + rule + "\n"
                + "  grapevine.node.tags \"a=b\"" + rule + "\n"
                + "  grapevine.node.tags \"" + "k".repeat(129) + "\"" + rule, e.getMessage());
        assertEquals(Map.of("k".repeat(128), "2"), read("grapevine.node.tags { " + "k".repeat(128) + " = 2 }").tags());
    }

    @Test
    void theNodeNameIsBoundedInBytes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("grapevine.node.name = " + "é".repeat(65)));
        assertTrue(e.getMessage().endsWith(": takes 130 bytes (UTF-8); the limit is 128"), e.getMessage());
        assertEquals("é".repeat(64), read("grapevine.node.name = " + "é".repeat(64)).name());
    }

    @Test
    void anEmbeddedNodeRefusesAnUnknownKeyToo() {
        org.apache.pekko.actor.typed.ActorSystem<Void> system = org.apache.pekko.actor.typed.ActorSystem.create(
                org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), "grapevine",
                ConfigFactory.parseString("grapevine.protocol.probe-intervall = 2s")
                        .withFallback(GrapevineNode.remoting("127.0.0.1", 0)).withFallback(ConfigFactory.load()));
        try {
            Throwable e = assertThrows(RuntimeException.class, () -> dev.grapevine.api.Grapevine.get(system));
            while (!(e instanceof dev.grapevine.spi.InvalidConfigException) && e.getCause() != null) {
                e = e.getCause();
            }
            assertTrue(e.getMessage().contains("unknown key grapevine.protocol.probe-intervall"), e.toString());
        } finally {
            system.terminate();
        }
    }

    @Test
    void aSeedMayNameItsActorSystem() {
        NodeSettings s = read("grapevine.seeds = [\"shop@10.0.0.1:7946\", \"10.0.0.2:7946\", \"inventory-2@[::1]:7946\"]");
        assertEquals(List.of(new Address("10.0.0.1", 7946), new Address("10.0.0.2", 7946), new Address("::1", 7946)), s.seeds());
        assertEquals(Map.of(new Address("10.0.0.1", 7946), "shop", new Address("::1", 7946), "inventory-2"), s.seedSystems());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("grapevine.seeds = [\"shop/eu@10.0.0.1:7946\"]"));
        assertTrue(e.getMessage().contains("seed \"shop/eu@10.0.0.1:7946\": the actor system name before '@' may hold only letters"),
                e.getMessage());
    }

    @Test
    void theShutdownLeavesWithinItsTimeoutUnlessTurnedOff() {
        assertEquals(ShutdownLeave.Settings.DEFAULT, read("").shutdown());
        assertEquals(new ShutdownLeave.Settings(false, java.time.Duration.ofSeconds(2)),
                read("grapevine.shutdown { leave = off, leave-timeout = 2s }").shutdown());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("grapevine.shutdown.leave-timeout = 0s"));
        assertTrue(e.getMessage().contains("grapevine.shutdown.leave-timeout = 0s: must be positive"), e.getMessage());
    }
}
