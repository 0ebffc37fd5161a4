package dev.grapevine.runtime;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.spi.InvalidConfigException;
import dev.grapevine.core.member.Address;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Coverage-guided fuzzing of the node's configuration checks: any {@code grapevine { ... }} text that
 * parses as HOCON is read into settings or refused with an {@link InvalidConfigException} listing
 * its problems, never another exception (a stack trace at start instead of a clear line). Without
 * {@code JAZZER_FUZZ} it replays the kept inputs under {@code NodeSettingsFuzzTestInputs/}.
 */
class NodeSettingsFuzzTest {
    private static final Config DEFAULTS = ConfigFactory.load();
    private static final Address ENDPOINT = new Address("127.0.0.1", 7946);

    @FuzzTest(maxDuration = "3m")
    void nodeConfigs(FuzzedDataProvider data) {
        Config given;
        try {
            given = ConfigFactory.parseString(data.consumeRemainingAsString()).resolve();
        } catch (ConfigException notHocon) {
            return; // the operator's file does not parse: Typesafe Config's own error, before any check of ours
        }
        try {
            assertNotNull(NodeSettings.from(given.withFallback(DEFAULTS), ENDPOINT));
        } catch (InvalidConfigException refused) {
            assertFalse(refused.getMessage().isBlank(), "a refusal says why");
        }
    }
}
