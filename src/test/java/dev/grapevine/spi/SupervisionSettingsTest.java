package dev.grapevine.spi;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SupervisionSettingsTest {
    @Test
    void theDefaultsStopANodeAfterTenQuickFailuresAndCrashNothingOnDemand() {
        SupervisionSettings s = SupervisionSettings.from(ConfigFactory.load());
        assertEquals(10, s.restartsMax());
        assertEquals(Duration.ofMinutes(1), s.restartsWithin());
        assertFalse(s.crashOnDemand());
    }

    @Test
    void everyBadValueIsNamedWithWhatItAccepts() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> SupervisionSettings.from(ConfigFactory.parseString(
                "grapevine.supervision { restarts-max = 0, restarts-within = 500ms, crash-on-demand = maybe }")
                .withFallback(ConfigFactory.load())));
        assertEquals(List.of(
                "grapevine.supervision.restarts-max = 0: must be in 1..1000",
                "grapevine.supervision.restarts-within = 500ms: must be in 1s..1h",
                "grapevine.supervision.crash-on-demand = maybe: must be true or false"), e.problems());
    }

    @Test
    void aValueThatIsNoDurationIsRefused() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> SupervisionSettings.from(ConfigFactory.parseString(
                "grapevine.supervision.restarts-within = soon").withFallback(ConfigFactory.load())));
        assertEquals(List.of("grapevine.supervision.restarts-within = soon: must be a duration such as 500ms or 2s"), e.problems());
    }
}
