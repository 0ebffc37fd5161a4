package dev.grapevine.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.core.config.Profile;
import dev.grapevine.core.member.Address;
import dev.grapevine.spi.ConfigProblems;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an application does before its node starts, with nothing but the api. */
class NodeBootstrapTest {
    private final List<ActorSystem<Void>> systems = new ArrayList<>();

    @AfterEach
    void stop() {
        systems.forEach(ActorSystem::terminate);
        systems.forEach(s -> s.getWhenTerminated().toCompletableFuture().join());
    }

    private static Config config(String grapevine, int port) {
        return ConfigFactory.parseString("pekko.loglevel = WARNING\n" + grapevine)
                .withFallback(NodeBootstrap.remoting("127.0.0.1", port)).withFallback(ConfigFactory.load()).resolve();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void readsTheSettingsAnAgentShows() {
        Config config = config("grapevine { profile = local, node.name = checked, seeds = [\"127.0.0.1:7001\"],"
                + " node.tags { role = web } }", 7000);
        ConfigProblems problems = new ConfigProblems();

        NodeConfig read = NodeBootstrap.read(config, new Address("127.0.0.1", 7000), problems);

        assertTrue(problems.isEmpty(), problems.all().toString());
        assertEquals("checked", read.name());
        assertEquals(new Address("127.0.0.1", 7000), read.address());
        assertEquals(Profile.LOCAL, read.profile());
        assertEquals(List.of(new Address("127.0.0.1", 7001)), read.seeds());
        assertEquals(Map.of("role", "web"), read.tags());
        assertEquals(Optional.empty(), read.dataDir());
        assertEquals(Optional.empty(), read.joinDns());
    }

    @Test
    void readNamesEveryProblemAndReturnsNothing() {
        Config config = config("grapevine { profile = fast, seeds = [\"no-port\"] }", 7000);
        ConfigProblems problems = new ConfigProblems();

        assertNull(NodeBootstrap.read(config, new Address("127.0.0.1", 7000), problems));

        assertEquals(2, problems.all().size(), problems.all().toString());
        assertTrue(problems.all().get(0).startsWith("grapevine.profile = "), problems.all().toString());
        assertTrue(problems.all().get(1).startsWith("grapevine.seeds"), problems.all().toString());
    }

    @Test
    void aNodeStartsFromTheSettingsReadBeforeItsSystemWithoutReadingThemAgain() throws IOException {
        int port = freePort();
        ConfigProblems problems = new ConfigProblems();
        NodeConfig read = NodeBootstrap.read(config("grapevine { profile = local, node.name = checked }", port),
                new Address("127.0.0.1", port), problems);
        assertNotNull(read, problems.all().toString());
        // The system's own config names the node otherwise: only a node that took the settings read
        // up front, and did not read its config again, is called "checked".
        Config systemConfig = config("grapevine { profile = local, node.name = unread }", port);

        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "grapevine", read.systemSetup(systemConfig));
        systems.add(system);

        assertEquals("checked", Grapevine.get(system).name());
        assertEquals("127.0.0.1:" + port, Grapevine.get(system).address());
    }

    @Test
    void settingsReadForAnotherEndpointAreReadAgainForTheOneTheSystemBound() {
        Config config = config("grapevine { profile = local }", 0);
        ConfigProblems problems = new ConfigProblems();
        NodeConfig read = NodeBootstrap.read(config, new Address("127.0.0.1", 1), problems);
        assertEquals("127.0.0.1:1", read.name());

        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "grapevine", read.systemSetup(config));
        systems.add(system);

        Grapevine grapevine = Grapevine.get(system);
        assertNotEquals("127.0.0.1:1", grapevine.name());
        assertEquals(grapevine.address(), grapevine.name(), "an unnamed node is called by the endpoint it bound");
    }

    @Test
    void theTransportIsPlainTcpUnlessTlsIsOnAndTlsNamesAMissingDirectory() {
        Config plain = config("", 0);
        assertEquals(plain, NodeBootstrap.transport(plain));

        Config tls = config("grapevine.tls { enabled = on, dir = \"\" }", 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeBootstrap.transport(tls));
        assertTrue(e.getMessage().startsWith("grapevine.tls.dir: empty"), e.getMessage());
    }

    @Test
    void remotingAsksForArteryAtTheGivenEndpointOverTheTuning() {
        Config remoting = NodeBootstrap.remoting("10.0.0.7", 7946);

        assertEquals(NodeBootstrap.PROVIDER, remoting.getString("pekko.actor.provider"), "remote, behind the front door");
        assertEquals("10.0.0.7", remoting.getString("pekko.remote.artery.canonical.hostname"));
        assertEquals(7946, remoting.getInt("pekko.remote.artery.canonical.port"));
        assertEquals(NodeBootstrap.PEKKO_TUNING.getString("pekko.scheduler.implementation"),
                remoting.getString("pekko.scheduler.implementation"));
    }
}
