package dev.grapevine.examples;

import com.typesafe.config.ConfigFactory;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.MembershipEvent;
import dev.grapevine.api.NodeBootstrap;
import dev.grapevine.api.UserEvent;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A domain actor on a Grapevine node, using nothing but {@code dev.grapevine.api}: it logs who joins,
 * fails and leaves, and when a {@code deploy} user event arrives it publishes the version it now
 * runs as its {@code version} tag, so every node can see the rollout's progress.
 *
 * <pre>
 *   java -cp "target/grapevine.jar:target/lib/*" dev.grapevine.examples.VersionReporter 127.0.0.1:7960 127.0.0.1:7946
 *   bin/grapevine event deploy v43        # then: bin/grapevine members  (version=v43 on that node)
 * </pre>
 */
public final class VersionReporter {
    /** A logger of its own name: the actor context's logger would be named after a Pekko class. */
    private static final Logger LOG = LoggerFactory.getLogger(VersionReporter.class);

    private VersionReporter() {
    }

    public static Behavior<Object> create() {
        return Behaviors.setup(ctx -> {
            Grapevine grapevine = Grapevine.get(ctx.getSystem());
            grapevine.subscribe(ctx.getSelf().narrow());
            grapevine.subscribeUserEvents(ctx.getSelf().narrow());
            return Behaviors.receive(Object.class)
                    .onMessage(MembershipEvent.class, e -> {
                        LOG.info("{} {} ({})", e.member().name(), e.kind(), e.member().address());
                        return Behaviors.same();
                    })
                    .onMessage(UserEvent.class, e -> e.name().equals("deploy"), e -> {
                        String version = new String(e.payload(), StandardCharsets.UTF_8);
                        LOG.info("deploying {} (asked by {})", version, e.origin());
                        grapevine.setTags(Map.of("version", version));
                        return Behaviors.same();
                    })
                    .onAnyMessage(other -> Behaviors.same())
                    .build();
        });
    }

    /**
     * {@code VersionReporter [--system NAME] HOST:PORT [SEED...]}: a node with this actor as its guardian,
     * in an actor system named NAME (default {@code grapevine}). A seed is {@code [SYSTEM@]HOST:PORT}.
     * SIGTERM runs the system's CoordinatedShutdown, which leaves the cluster before the JVM exits.
     */
    public static void main(String[] args) {
        String systemName = "grapevine";
        int first = 0;
        if (args.length >= 2 && args[0].equals("--system")) {
            systemName = args[1];
            first = 2;
        }
        if (args.length - first < 1) {
            System.err.println("usage: VersionReporter [--system NAME] HOST:PORT [[SYSTEM@]SEED_HOST:PORT...]");
            System.exit(2);
        }
        String[] bind = args[first].split(":");
        StringBuilder seeds = new StringBuilder();
        for (int i = first + 1; i < args.length; i++) {
            seeds.append(i > first + 1 ? "," : "").append('"').append(args[i]).append('"');
        }
        ActorSystem.create(create(), systemName, ConfigFactory.parseString("grapevine.seeds = [" + seeds + "]")
                .withFallback(NodeBootstrap.remoting(bind[0], Integer.parseInt(bind[1])))
                .withFallback(ConfigFactory.load()));
    }
}
