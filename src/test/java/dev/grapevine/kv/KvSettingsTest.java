package dev.grapevine.kv;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.spi.InvalidConfigException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code grapevine.kv.partition-mode}: its default, its two values, and a clear line for anything else. */
class KvSettingsTest {

    private static Config with(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void theDefaultIsAvailable() {
        assertEquals(PartitionMode.AVAILABLE, KvSettings.from(with("")).partitionMode());
    }

    @ParameterizedTest
    @CsvSource({"available, AVAILABLE", "majority, MAJORITY"})
    void bothModesRead(String written, PartitionMode mode) {
        assertEquals(mode, KvSettings.from(with("grapevine.kv.partition-mode = " + written)).partitionMode());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "quorum      | quorum",
            "MAJORITY    | MAJORITY",  // values are written in lower case, like the profiles
            "\"\"        | ''",
            "[majority]  | [\"majority\"]",
    })
    void anythingElseIsOneLineNamingTheKeyAndTheChoices(String written, String shown) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> KvSettings.from(with("grapevine.kv.partition-mode = " + written)));
        String expected = "grapevine.kv.partition-mode = " + (shown.equals("''") ? "" : shown) + ": must be one of available, majority";
        assertEquals(List.of(expected), e.problems(), e.getMessage());
    }
}
