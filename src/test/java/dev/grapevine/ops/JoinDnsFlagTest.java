package dev.grapevine.ops;

import com.typesafe.config.Config;
import dev.grapevine.core.member.Address;
import dev.grapevine.runtime.NodeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code agent --join-dns NAME}: the flag is grapevine.discovery.dns-name, over the config file's. */
class JoinDnsFlagTest {
    private static final Address SELF = Address.parse("10.0.0.1:7946");

    private static NodeSettings settings(String... args) {
        AgentCommand agent = new AgentCommand();
        new CommandLine(agent).parseArgs(args);
        Config config = agent.configuration();
        return NodeSettings.from(config, SELF);
    }

    @Test
    void theFlagTurnsDiscoveryOnWithTheConfigsIntervalAndNoSeeds() {
        NodeSettings s = settings("--node", "a", "--bind", SELF.toString(), "--join-dns", "_gossip._tcp.grapevine-headless");
        assertTrue(s.discovery().enabled());
        assertEquals(Optional.of("_gossip._tcp.grapevine-headless"), s.discovery().dnsName());
        assertEquals(Duration.ofSeconds(10), s.discovery().interval(), "grapevine.discovery.interval's default");
        assertTrue(s.seeds().isEmpty(), "no seeds are needed");
        assertFalse(settings("--node", "a", "--bind", SELF.toString()).discovery().enabled(), "off without the flag");
    }

    @Test
    void theFlagWinsOverTheConfigFileWhoseOtherDiscoveryKeysStillCount(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("node.conf");
        Files.writeString(file, "grapevine.discovery { dns-name = \"old.example\", interval = 2s, port = 7980 }\n");
        NodeSettings s = settings("--node", "a", "--bind", SELF.toString(), "--config", file.toString(), "--join-dns", "peers.example.");
        assertEquals(Optional.of("peers.example."), s.discovery().dnsName());
        assertEquals(Duration.ofSeconds(2), s.discovery().interval());
        assertEquals(7980, s.discovery().port().orElseThrow());
    }

    @Test
    void aNameThatIsNoDnsNameIsRefusedWithTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings("--node", "a", "--bind", SELF.toString(), "--join-dns", "a..b"));
        assertTrue(e.getMessage().contains("grapevine.discovery.dns-name") && e.getMessage().contains("is not a DNS name"), e.getMessage());
    }
}
