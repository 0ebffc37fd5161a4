package dev.grapevine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.spi.InvalidConfigException;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.wire.ClusterName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** grapevine.cluster-name: its default, and the one-line error for a bad value. */
class ClusterNameSettingsTest {
    private static final Address ENDPOINT = new Address("127.0.0.1", 7946);

    private static NodeSettings read(String hocon) {
        Config config = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
        return NodeSettings.from(config, ENDPOINT);
    }

    @Test
    void theDefaultIsGrapevineWhateverTheActorSystemIsCalled() {
        assertEquals(ClusterName.DEFAULT, read("").cluster());
        assertEquals(ClusterName.of("prod-eu.1"), read("grapevine.cluster-name = prod-eu.1").cluster());
    }

    @Test
    void aBadNameStopsTheNodeWithTheKeyAndTheRule() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> read("grapevine.cluster-name = \"blue/green\""));
        assertTrue(e.getMessage().contains("grapevine.cluster-name"), e.getMessage());
        assertTrue(e.getMessage().contains("only letters A-Z a-z, digits"), e.getMessage());
        InvalidConfigException tooLong = assertThrows(InvalidConfigException.class,
                () -> read("grapevine.cluster-name = " + "x".repeat(65)));
        assertTrue(tooLong.getMessage().contains("takes 65 bytes; the limit is 64"), tooLong.getMessage());
    }
}
