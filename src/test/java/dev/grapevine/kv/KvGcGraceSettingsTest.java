package dev.grapevine.kv;

import com.typesafe.config.ConfigFactory;
import dev.grapevine.spi.InvalidConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code grapevine.kv.gc-grace}: its default, and a value that would let a hint outlive a purged tombstone refused. */
class KvGcGraceSettingsTest {

    private static KvSettings read(String hocon) {
        return KvSettings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    @Test
    void defaults_to_cassandras_ten_days() {
        assertEquals(Duration.ofDays(10), read("").gcGrace());
        assertEquals(Duration.ofDays(10).toMillis(), read("").tombstoneGc().gcGraceMillis());
    }

    @Test
    void must_outlast_the_hint_window_and_twice_the_clock_skew() {
        assertEquals(Duration.ofSeconds(3), read("grapevine.kv { gc-grace = 3s, hint-window = 1s, max-clock-ahead = 500ms }").gcGrace());
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> read("grapevine.kv { gc-grace = 2s, hint-window = 1s, max-clock-ahead = 500ms }"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals(true, e.problems().get(0).startsWith("grapevine.kv.gc-grace = 2s"), e.problems().get(0));
        assertEquals(true, e.problems().get(0).contains("must exceed hint-window + 2 x max-clock-ahead (2000 ms)"), e.problems().get(0));
        assertEquals(1, assertThrows(InvalidConfigException.class, () -> read("grapevine.kv.gc-grace = 0s")).problems().size());
        assertEquals(1, assertThrows(InvalidConfigException.class, () -> read("grapevine.kv.gc-grace = soon")).problems().size());
    }

    @Test
    void a_stale_replica_is_refused_unless_the_operator_says_otherwise() {
        assertEquals(KvSettings.StaleReplica.REFUSE, read("").staleReplica());
        assertEquals(KvSettings.StaleReplica.DROP, read("grapevine.kv.stale-replica = drop").staleReplica());
        assertEquals(KvSettings.StaleReplica.KEEP, read("grapevine.kv.stale-replica = KEEP").staleReplica());
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> read("grapevine.kv.stale-replica = wipe"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals(true, e.problems().get(0).contains("must be refuse, drop or keep"), e.problems().get(0));
    }
}
