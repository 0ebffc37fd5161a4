package dev.grapevine.api;

import com.typesafe.config.Config;
import dev.grapevine.core.member.Address;
import dev.grapevine.runtime.NodeHandle;
import dev.grapevine.spi.ConfigProblems;

/**
 * What an application sets up before it creates the actor system of a Grapevine node: Pekko's
 * remoting, the transport {@code grapevine.tls} asks for, and the node's settings read and checked
 * once, up front. Then {@link Grapevine#get} starts the node.
 *
 * <pre>{@code
 * Config config = NodeBootstrap.transport(ConfigFactory.parseString("grapevine.seeds = [\"10.0.0.1:7946\"]")
 *         .withFallback(NodeBootstrap.remoting("10.0.0.2", 7946))
 *         .withFallback(ConfigFactory.load()));
 * ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "grapevine", config);
 * Grapevine grapevine = Grapevine.get(system);
 * }</pre>
 */
public final class NodeBootstrap {
    private NodeBootstrap() {
    }

    /**
     * Pekko settings for a node that only talks protocol messages to its peers (handshakes, backoffs,
     * scheduler, traffic counting), to put below the user's own config.
     */
    public static final Config PEKKO_TUNING = NodeHandle.pekkoTuning();

    /**
     * The {@code pekko.actor.provider} a node runs: Pekko's remote provider, with the gossip port's
     * front door (see {@code grapevine.front}) in front of Artery. {@link #remoting} sets it.
     */
    public static final String PROVIDER = NodeHandle.provider();

    /**
     * What a Grapevine node needs of Pekko: remoting ({@code provider = remote}, without Pekko's
     * advice to use its Cluster instead) on Artery at {@code host:port} (port 0: any free port), over
     * {@link #PEKKO_TUNING}.
     */
    public static Config remoting(String host, int port) {
        return NodeHandle.remoting(host, port);
    }

    /**
     * {@code config} with the transport {@code grapevine.tls} asks for in front of it: with
     * {@code grapevine.tls.enabled = on}, Artery over mutually authenticated TLS. The TLS files are
     * read here, so a missing or mismatched one fails with an {@link IllegalArgumentException}
     * naming it, before Pekko starts.
     */
    public static Config transport(Config config) {
        return NodeHandle.transport(config);
    }

    /**
     * Reads and checks {@code grapevine.*} of a resolved config for the node that will listen at
     * {@code endpoint}, adding every problem to {@code problems} (with those of other sections);
     * null if there was any. Create the actor system with {@link NodeConfig#systemSetup} and the node
     * starts from these settings without reading them again.
     */
    public static NodeConfig read(Config config, Address endpoint, ConfigProblems problems) {
        NodeHandle.ReadSettings read = NodeHandle.readSettings(config, endpoint, problems);
        return read == null ? null : new NodeConfig(read);
    }
}
