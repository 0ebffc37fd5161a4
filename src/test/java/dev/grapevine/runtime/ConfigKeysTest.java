package dev.grapevine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dev.grapevine.spi.ConfigProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The unknown-key check against the real reference.conf, one row per kind of key. */
class ConfigKeysTest {

    /** The problems of a config file named conf/node1.conf holding {@code hocon}, over the defaults. */
    private static List<String> problems(String hocon) {
        return problems(hocon, ConfigFactory.defaultReference());
    }

    private static List<String> problems(String hocon, Config reference) {
        Config config = ConfigFactory.parseString(hocon, ConfigParseOptions.defaults().setOriginDescription("conf/node1.conf"))
                .withFallback(reference).resolve();
        ConfigProblems problems = new ConfigProblems();
        ConfigKeys.check(config, reference, problems);
        return problems.all();
    }

    static Stream<Arguments> table() {
        return Stream.of(
                row("a misspelt protocol key", "grapevine.protocol.probe-intervall = 2s",
                        "unknown key grapevine.protocol.probe-intervall (conf/node1.conf: 1); did you mean grapevine.protocol.probe-interval?"),
                row("a misspelt kv key", "grapevine.kv.enable = false",
                        "unknown key grapevine.kv.enable (conf/node1.conf: 1); did you mean grapevine.kv.enabled?"),
                row("a top-level typo, reported once for its whole section", "grapevine.protocl { probe-interval = 1s, gossip-fanout = 4 }",
                        "unknown key grapevine.protocl (conf/node1.conf: 1); did you mean grapevine.protocol?"),
                row("two swapped letters", "grapevine.recovery.partitoins = 32",
                        "unknown key grapevine.recovery.partitoins (conf/node1.conf: 1); did you mean grapevine.recovery.partitions?"),
                row("a key in the wrong section", "grapevine.probe-interval = 2s",
                        "unknown key grapevine.probe-interval (conf/node1.conf: 1); did you mean grapevine.protocol.probe-interval?"),
                row("nothing near it", "grapevine.colour = blue", "unknown key grapevine.colour (conf/node1.conf: 1)"),
                row("the line it is on", "grapevine {\n  node.name = a\n  kv.read-quorun = 2\n}",
                        "unknown key grapevine.kv.read-quorun (conf/node1.conf: 3); did you mean grapevine.kv.read-quorum?"),
                row("a key whose default is null (set by the profile)", "grapevine.protocol.probe-interval = 2s", null),
                row("a null-default key set to null", "grapevine.protocol.gossip-fanout = null", null),
                row("tags are the user's own keys", "grapevine.node.tags { role = db, zone = eu-1 }", null),
                row("nested keys under a map-valued key", "grapevine.node.tags { rack { row = 3, seat = 4 } }", null),
                row("quoted tag keys with dots", "grapevine.node.tags { \"team.owner\" = ops }", null),
                row("keys outside grapevine are not ours", "pekko.loglevel = DEBUG\nmy-app.colour = blue", null),
                row("every key reference.conf declares", "grapevine { profile = wan, seeds = [], admin.http = \"127.0.0.1:1\","
                        + " recovery.partitions = 8, kv.enabled = false, node.data-dir = \"\" }", null));
    }

    private static Arguments row(String what, String hocon, String problem) {
        return Arguments.of(what, hocon, problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void unknownKeysAreNamedWithWhereTheyAreAndTheNearestKnownKey(String what, String hocon, String problem) {
        assertEquals(problem == null ? List.of() : List.of(problem), problems(hocon), what);
    }

    @Test
    void theKnownKeysAreReadFromTheReferenceConfig() {
        // A key another section adds to reference.conf is known at once, null default included;
        // an empty section there is a map of the user's own keys.
        Config reference = ConfigFactory.parseString("grapevine { discovery { mode = null, labels {} }, node { name = \"\" } }");
        assertEquals(List.of(), problems("grapevine.discovery { mode = dns, labels { app = web } }", reference));
        assertEquals(List.of("unknown key grapevine.discovery.mdoe (conf/node1.conf: 1); did you mean grapevine.discovery.mode?"),
                problems("grapevine.discovery.mdoe = dns", reference));
    }

    @Test
    void aSectionSetToAValueIsReportedAndPutBackForTheReaders() {
        Config config = ConfigFactory.parseString("grapevine.protocol = 5").withFallback(ConfigFactory.defaultReference()).resolve();
        ConfigProblems problems = new ConfigProblems();
        Config repaired = ConfigKeys.check(config, problems);
        assertEquals(List.of("grapevine.protocol = 5: must be a section of keys, as in reference.conf"), problems.all());
        assertEquals(true, repaired.getIsNull("grapevine.protocol.probe-interval"));
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "probe-interval, probe-interval, 0",
            "probe-intervall, probe-interval, 1",
            "protocl, protocol, 1",
            "partitoins, partitions, 1",
            "enable, enabled, 1",
            "kitten, sitting, 3",
            "'', abc, 3",
    })
    void editDistanceCountsInsertionsDeletionsSubstitutionsAndSwaps(String a, String b, int edits) {
        assertEquals(edits, EditDistance.between(a, b));
        assertEquals(edits, EditDistance.between(b, a));
    }
}
