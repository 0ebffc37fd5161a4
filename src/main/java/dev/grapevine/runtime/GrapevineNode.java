package dev.grapevine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.core.member.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;

/**
 * Starts the Grapevine node of an actor system: reads and validates {@code grapevine.*} from the
 * system's config and spawns the {@link NodeGuardian} at {@code /system/grapevine}, where peers find
 * its role actors. The system must run {@code pekko.actor.provider = remote}.
 */
final class GrapevineNode {
    private GrapevineNode() {
    }

    /** A started node: its guardian, and the metrics its actors publish. */
    public record Started(String name, ActorRef<NodeGuardian.Command> guardian, NodeMetrics metrics,
                          java.util.Map<String, dev.grapevine.spi.Recoverable> domains,
                          java.util.Optional<java.nio.file.Path> dataDir, java.util.List<Address> joinTargets,
                          java.time.Duration decommissionTimeout, UnavailableDomains unavailable) {
    }

    public static Started start(ActorSystem<?> system) {
        NodeSettings settings = settings(system);
        long now = System.currentTimeMillis();
        if (settings.dataDir().isEmpty()) {
            // The start time is the epoch: larger than any earlier life of this name as long as the
            // clock does not run backwards across restarts. A data dir removes that assumption.
            return spawn(system, settings, now, null);
        }
        DataDir dataDir = new DataDir(settings.dataDir().get()); // fails here, clearly, on a damaged epoch file
        long epoch = dataDir.nextEpoch(now);
        return spawn(system, settings, epoch, dataDir);
    }

    /**
     * The settings read before the system started ({@link NodeHandle.ReadSettings} in its setup),
     * so they are read once; else, or if they were read for another endpoint than the one the system
     * bound (its name may be that endpoint), from its config.
     */
    private static NodeSettings settings(ActorSystem<?> system) {
        Address endpoint = endpoint(system);
        return system.settings().classicSettings().setup().get(NodeHandle.ReadSettings.class)
                .map(read -> read.settings)
                .filter(read -> endpoint.equals(read.address()))
                .orElseGet(() -> NodeSettings.from(system.settings().config(), endpoint));
    }

    private static Started spawn(ActorSystem<?> system, NodeSettings settings, long epoch, DataDir dataDir) {
        String systemProblem = dev.grapevine.core.node.SystemNameTag.problem(system.name());
        if (systemProblem != null) {
            throw new IllegalArgumentException("Grapevine cannot run in actor system '" + system.name() + "': its name " + systemProblem);
        }
        NodeMetrics metrics = new NodeMetrics();
        TlsPeers.get(system).nodeName(settings.name());
        FrontedRemoteProvider.front(system).ifPresent(front -> {
            front.nodeName(settings.name());
            metrics.attach("front", front::figures);
        });
        if (dataDir != null) {
            metrics.attach("data-dir", () -> java.util.Map.of("data_dir_write_failures", dataDir.writeFailures()));
        }
        NodeContext node = new NodeContext(settings, epoch, System.nanoTime(), dataDir, metrics, system.name());
        ActorRef<NodeGuardian.Command> guardian = system.systemActorOf(NodeGuardian.create(node), "grapevine", Props.empty());
        ShutdownLeave.register(system, guardian, settings.name(), settings.shutdown(), settings.recovery().decommissionTimeout());
        return new Started(settings.name(), guardian, metrics, node.domains(), settings.dataDir(),
                node.joinTargets(), settings.recovery().decommissionTimeout(), node.unavailableDomains());
    }

    /**
     * The {@code pekko.actor.provider} of a node: Pekko's remote provider with the gossip port's front
     * door ({@link FrontedRemoteProvider}, {@code grapevine.front}).
     */
    public static final String PROVIDER = FrontedRemoteProvider.class.getName();

    /**
     * What a Grapevine node needs of Pekko: remoting ({@link #PROVIDER}, Pekko's remote provider behind
     * the gossip port's front door, without Pekko's advice to use its Cluster instead) on Artery at
     * {@code host:port} (port 0: any free port).
     */
    public static Config remoting(String host, int port) {
        return ConfigFactory.parseString("pekko.actor.provider = \"" + PROVIDER + "\"\n"
                + "pekko.remote.warn-about-direct-use = off\n"
                + "pekko.remote.artery.canonical { hostname = \"" + host + "\", port = " + port + " }\n")
                .withFallback(PEKKO_TUNING);
    }

    /**
     * Pekko settings for a node that only talks protocol messages to its peers, below the user's own.
     * <ul>
     *   <li>Artery re-sends a handshake on every association each second (inject-handshake-interval),
     *       so that a restarted peer behind a UDP transport is found; over TCP, Artery's default and
     *       Grapevine's, a restarted peer drops the connection and the reconnect handshakes anyway.
     *       At 1 s it was over 40% of an idle node's bytes on the wire (1,007 B/s per node in a
     *       5-node bench, 596 at 10 s). At 60 s it was still about a sixth of them at 20 nodes: each
     *       node has 19 associations, and each request and its reply travel alone. 10 minutes keeps
     *       it as a rare check.</li>
     *   <li>No compression of manifests: a Grapevine frame's manifest is 2 bytes, and Artery
     *       advertises the table to every peer each minute, in a frame of about 160 bytes.</li>
     *   <li>The {@link DeadlineScheduler} sleeps until the next timer is due, where Pekko's wheel wakes
     *       every 10 ms.</li>
     *   <li>A failed outbound TCP connection is retried after 100 ms (outbound-restart-backoff), not
     *       1 s, growing to 500 ms, not 5 s. While a member is dead its peers' sends to it fail and
     *       back off, so when it restarts on the same address some peers reached it only 1.75 to 2.96 s
     *       after it joined. Meanwhile their probes failed and the new life was suspected by every
     *       member, then refuted: 84 extra rumor sends in one kill and restart at 5 nodes. With
     *       100 ms every peer reached it within 0.05 s. Retries still happen only when something is
     *       sent.</li>
     *   <li>Artery never terminates the node because an outbound stream keeps failing
     *       (outbound-max-restarts, 5 in 5 s by default). Grapevine keeps sending to dead members (gossip
     *       to the dead, reconnects, hinted writes), and a refused connection fails the stream: with
     *       the shorter backoff, three of four survivors of a killed node terminated within seconds
     *       under the key-value store's writes. Reaching a dead member is membership's business; the
     *       failures are logged at debug level only.</li>
     *   <li>No Java Flight Recorder events from Artery: it builds one for every frame it sends or
     *       receives, recorded or not, and its event classes are about 100 loaded in every node.
     *       An operator profiling Artery can turn them back on (pekko.java-flight-recorder.enabled).</li>
     *   <li>{@link WireTrafficInstrument} counts messages and bytes by type for the metrics. It adds
     *       nothing to a frame; a config that sets its own instruments replaces it, and the message
     *       metrics then stay at 0.</li>
     *   <li>CoordinatedShutdown's phase cluster-leave may take 30 s, not Pekko's 5: a stopping node
     *       first hands its data off (grapevine.recovery.decommission-timeout, 20 s) and then
     *       gossips its leave (grapevine.shutdown.leave-timeout, 4 s), both within the phase.</li>
     * </ul>
     */
    public static final Config PEKKO_TUNING = ConfigFactory.parseString(
            "pekko.remote.artery.advanced.inject-handshake-interval = 10 minutes\n"
                    + "pekko.remote.artery.advanced.compression.manifests.max = off\n"
                    + "pekko.remote.artery.advanced.outbound-restart-backoff = 100ms\n"
                    + "pekko.remote.artery.advanced.outbound-max-restarts = 1000000\n"
                    + "pekko.remote.artery.untrusted-mode = on\n"
                    + "pekko.remote.artery.trusted-selection-paths = []\n"
                    + "pekko.java-flight-recorder.enabled = off\n"
                    + "pekko.remote.artery.advanced.instruments = [\"" + WireTrafficInstrument.class.getName() + "\"]\n"
                    + "pekko.scheduler.implementation = " + DeadlineScheduler.class.getName() + "\n"
                    + "pekko.coordinated-shutdown.phases.cluster-leave.timeout = 30s\n");

    /** The Artery endpoint this system bound (with port 0 in the config, the port it was given). */
    public static Address endpoint(ActorSystem<?> system) {
        org.apache.pekko.actor.Address a = system.address();
        if (a.getHost().isEmpty() || a.getPort().isEmpty()) {
            throw new IllegalStateException("Grapevine needs pekko.actor.provider = remote; " + system.name()
                    + " has no remote address (" + a + ")");
        }
        return new Address(a.getHost().get(), a.getPort().get());
    }
}
