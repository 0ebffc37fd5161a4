package dev.grapevine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.grapevine.core.front.ArteryStreamCheck;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ActorSystemImpl;
import org.apache.pekko.actor.DynamicAccess;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.event.EventStream;
import org.apache.pekko.remote.RemoteActorRefProvider;
import org.apache.pekko.remote.artery.ArteryTransport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pekko's remote provider with Grapevine's {@link ArteryFront} on the gossip port
 * ({@code pekko.actor.provider} of a node, see {@link GrapevineNode#remoting}). Before Artery starts it
 * binds the front at the Artery address the config gives, and has Artery keep that address as its
 * canonical one (the address peers use) while it listens on {@value #LOOPBACK} at a port of its own;
 * once Artery listens, the front forwards to it. With {@code grapevine.front.enabled = off}, or
 * another transport than TCP, it is Pekko's remote provider unchanged.
 */
public final class FrontedRemoteProvider extends RemoteActorRefProvider {
    static final String LOOPBACK = "127.0.0.1";
    private static final String ARTERY = "pekko.remote.artery.";

    private final ArteryFront front;

    /** What Pekko calls, by reflection. */
    public FrontedRemoteProvider(String systemName, ActorSystem.Settings settings, EventStream eventStream,
                                 DynamicAccess dynamicAccess) {
        this(systemName, eventStream, dynamicAccess, Plan.of(settings, dynamicAccess));
    }

    private FrontedRemoteProvider(String systemName, EventStream eventStream, DynamicAccess dynamicAccess, Plan plan) {
        super(systemName, plan.settings, eventStream, dynamicAccess);
        this.front = plan.front;
    }

    /** The front of {@code system}'s gossip port, if it runs one. */
    static Optional<ArteryFront> front(org.apache.pekko.actor.typed.ActorSystem<?> system) {
        ExtendedActorSystem classic = (ExtendedActorSystem) org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system);
        if (classic.provider() instanceof FrontedRemoteProvider p) {
            return Optional.ofNullable(p.front);
        }
        return Optional.empty();
    }

    @Override
    public void init(ActorSystemImpl system) {
        try {
            super.init(system);
        } catch (RuntimeException e) {
            if (front != null) {
                front.close();
            }
            throw e;
        }
        if (front != null) {
            int pekkoPort = ((ArteryTransport) transport()).bindAddress().address().getPort().get();
            // A node whose gossip port is gone would go on probing others while none reach it: stop it,
            // so that its supervisor (systemd, Kubernetes) starts it again.
            front.start(new InetSocketAddress(LOOPBACK, pekkoPort), system::terminate);
            system.registerOnTermination(front::close);
        }
    }

    /**
     * Pekko's advice to use its Cluster for remote watch and deploy, which a node never uses (it runs
     * Artery in untrusted mode; liveness is the failure detector's). Logged under this class's name,
     * it would escape the quieting of Pekko's own provider logger.
     */
    @Override
    public void warnIfUseUnsafeWithoutCluster() {
    }

    /** Pekko's advice to use Cluster rather than remoting directly: Grapevine is the layer on top. */
    @Override
    public void warnIfDirectUse() {
    }

    /** The settings Artery gets, and the front bound for it (null: none). */
    private record Plan(ActorSystem.Settings settings, ArteryFront front) {
        static Plan of(ActorSystem.Settings settings, DynamicAccess dynamicAccess) {
            Config config = settings.config();
            FrontLimits limits = FrontLimits.from(config);
            String transport = config.getString(ARTERY + "transport");
            boolean tls = transport.equals("tls-tcp");
            if (!limits.enabled() || !(tls || transport.equals("tcp")) || !config.getBoolean(ARTERY + "enabled")) {
                return new Plan(settings, null);
            }
            String bindHost = config.getString(ARTERY + "bind.hostname");
            String canonicalHost = config.getString(ARTERY + "canonical.hostname");
            int canonicalPort = config.getInt(ARTERY + "canonical.port");
            String bindPortText = config.getString(ARTERY + "bind.port");
            int port = bindPortText.isEmpty() ? canonicalPort : Integer.parseInt(bindPortText);
            String host = bindHost.isEmpty() ? canonicalHost : bindHost;
            ArteryFront front;
            try {
                front = ArteryFront.bind(new InetSocketAddress(host, port), limits, rules(config, tls));
            } catch (IOException e) {
                BindException failure = new BindException("Failed to bind the gossip port " + host + ":" + port
                        + ": " + e.getMessage());
                failure.initCause(e);
                throw new UncheckedIOException(failure);
            }
            int publicPort = canonicalPort != 0 ? canonicalPort : front.address().getPort();
            Config artery = ConfigFactory.empty()
                    .withValue(ARTERY + "canonical.port", ConfigValueFactory.fromAnyRef(publicPort))
                    .withValue(ARTERY + "bind.hostname", ConfigValueFactory.fromAnyRef(LOOPBACK))
                    .withValue(ARTERY + "bind.port", ConfigValueFactory.fromAnyRef("0"));
            return new Plan(new ActorSystem.Settings(dynamicAccess.classLoader(), artery.withFallback(config),
                    settings.name(), settings.setup()), front);
        }

        private static ArteryStreamCheck.Rules rules(Config config, boolean tls) {
            List<byte[]> magics = new ArrayList<>();
            String magicKey = ARTERY + "advanced.tcp-magic";
            for (String m : config.hasPath(magicKey) ? config.getStringList(magicKey) : List.of("AKKA")) {
                byte[] bytes = m.getBytes(StandardCharsets.UTF_8);
                if (bytes.length >= ArteryStreamCheck.Rules.MAGIC_BYTES) {
                    magics.add(java.util.Arrays.copyOf(bytes, ArteryStreamCheck.Rules.MAGIC_BYTES));
                }
            }
            return new ArteryStreamCheck.Rules(tls, magics,
                    (int) Math.min(Integer.MAX_VALUE, config.getBytes(ARTERY + "advanced.maximum-frame-size")),
                    (int) Math.min(Integer.MAX_VALUE, config.getBytes(ARTERY + "advanced.maximum-large-frame-size")));
        }
    }
}
