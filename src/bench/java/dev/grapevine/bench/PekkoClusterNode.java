package dev.grapevine.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.pubsub.DistributedPubSub;
import org.apache.pekko.cluster.pubsub.DistributedPubSubMediator;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One Pekko Cluster node, the peer that bin/bench measures Grapevine against:
 * <pre>
 *   PekkoClusterNode --name N --bind HOST:PORT --http HOST:PORT [--seed HOST:PORT]...
 *                    [--acceptable-heartbeat-pause 2s] [--stable-after 3s]
 * </pre>
 * It joins the seeds (the first seed, started with itself as its first seed, forms the cluster, as
 * in Pekko's docs), runs the split-brain resolver with keep-majority, and serves {@link BenchAdminHttp}.
 * The node's name travels as the role {@code name:N}, since Pekko identifies members by address only.
 */
public final class PekkoClusterNode {
    static final String SYSTEM_NAME = "bench";
    static final String NAME_ROLE_PREFIX = "name:";
    static final String EVENTS_TOPIC = "events";

    /*
     * Timing, chosen to match Grapevine's LAN profile (probe interval 1 s, probe timeout 500 ms,
     * suspicion min 4 s: a silent member is suspected after about one probe round and declared dead
     * no earlier than 1 s + 4 s = 5 s after it fell silent).
     * - heartbeat-interval 1 s = Grapevine's probe interval (and Pekko's default), so both send one
     *   liveness message per monitored member per second.
     * - acceptable-heartbeat-pause 2 s (Pekko's default is 3 s): phi accrual (threshold 8) crosses
     *   its threshold about pause + interval + 0.5 s = 3.5 s after the last heartbeat, and the reaper
     *   marks the node unreachable on its next 1 s tick: 2.5-4.5 s after a crash. Unreachable is
     *   Pekko's reversible verdict, the counterpart of SWIM's "suspect".
     * - SBR stable-after 3 s (Pekko's default is 20 s): the irreversible verdict (down, then removed)
     *   comes only after the unreachable set has been stable this long, as "dead" comes only after
     *   the suspicion timeout. 2 s + 3 s = 5 s of tolerated silence, the same budget as Grapevine's
     *   1 s + 4 s floor, so neither side gets a looser or tighter trade-off against false positives.
     *   The verdict itself lands later than the budget: phi's margin above the pause, the reaper tick,
     *   and the leader's removal of a downed member once the others have seen the down (about 2 s).
     *   Pekko's defaults (3 s + 20 s) can be measured too, by passing them as flags.
     */
    static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    static final Duration DEFAULT_ACCEPTABLE_PAUSE = Duration.ofSeconds(2);
    static final Duration DEFAULT_STABLE_AFTER = Duration.ofSeconds(3);

    private PekkoClusterNode() {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ActorSystem<Void> system = start(o, true);
        Runtime.getRuntime().addShutdownHook(new Thread(system::terminate, "bench-shutdown"));
    }

    /**
     * Starts the node and its admin API. {@code exitJvmWhenDowned}: a node alone in its process exits
     * once downed; one of several in a shared JVM only terminates its actor system.
     */
    static ActorSystem<Void> start(Options o, boolean exitJvmWhenDowned) throws java.io.IOException {
        NodeRecord record = new NodeRecord();
        ActorSystem<Void> system = ActorSystem.create(guardian(record), SYSTEM_NAME,
                ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = " + (exitJvmWhenDowned ? "on" : "off"))
                        .withFallback(config(o)));
        BenchAdminHttp http = new BenchAdminHttp(system, record, o.name);
        http.start(o.http);
        // A downed or terminated node must not linger as a zombie that still answers its admin API.
        system.getWhenTerminated().whenComplete((done, err) -> http.stop());
        return system;
    }

    static Config config(Options o) {
        List<String> seeds = new ArrayList<>();
        for (InetSocketAddress s : o.seeds) {
            seeds.add("pekko://" + SYSTEM_NAME + "@" + s.getHostString() + ":" + s.getPort());
        }
        Config ours = ConfigFactory.parseString(String.join("\n",
                "pekko.actor.provider = cluster",
                "pekko.remote.artery.canonical.hostname = \"" + o.bind.getHostString() + "\"",
                "pekko.remote.artery.canonical.port = " + o.bind.getPort(),
                "pekko.cluster.downing-provider-class = \"org.apache.pekko.cluster.sbr.SplitBrainResolverProvider\"",
                "pekko.cluster.split-brain-resolver.active-strategy = keep-majority",
                "pekko.cluster.split-brain-resolver.stable-after = " + o.stableAfter.toMillis() + "ms",
                "pekko.cluster.failure-detector.heartbeat-interval = " + DEFAULT_HEARTBEAT_INTERVAL.toMillis() + "ms",
                "pekko.cluster.failure-detector.acceptable-heartbeat-pause = " + o.acceptablePause.toMillis() + "ms",
                "pekko.cluster.jmx.enabled = off",
                "pekko.loglevel = INFO"))
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds))
                .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(List.of(NAME_ROLE_PREFIX + o.name)));
        return ours.withFallback(ConfigFactory.load());
    }

    /** The name from the role {@code name:N}; the address for a member started without one. */
    static String nameOf(Member m) {
        for (String role : m.getRoles()) {
            if (role.startsWith(NAME_ROLE_PREFIX)) return role.substring(NAME_ROLE_PREFIX.length());
        }
        return m.address().toString();
    }

    /** Records every membership verdict and every event published on the topic, with local times. */
    static Behavior<Void> guardian(NodeRecord record) {
        return Behaviors.setup(ctx -> {
            Cluster cluster = Cluster.get(ctx.getSystem());
            ActorRef<ClusterEvent.MemberEvent> members = ctx.spawn(Behaviors.receive(ClusterEvent.MemberEvent.class)
                    .onMessage(ClusterEvent.MemberUp.class, e -> log(record, "up", e.member()))
                    .onMessage(ClusterEvent.MemberDowned.class, e -> log(record, "down", e.member()))
                    .onMessage(ClusterEvent.MemberRemoved.class, e -> log(record, "removed", e.member()))
                    .onMessage(ClusterEvent.MemberEvent.class, e -> Behaviors.same())
                    .build(), "members");
            cluster.subscriptions().tell(Subscribe.create(members, ClusterEvent.MemberEvent.class));
            ActorRef<ClusterEvent.ReachabilityEvent> reachability = ctx.spawn(Behaviors.receive(ClusterEvent.ReachabilityEvent.class)
                    .onMessage(ClusterEvent.UnreachableMember.class, e -> log(record, "unreachable", e.member()))
                    .onMessage(ClusterEvent.ReachableMember.class, e -> log(record, "reachable", e.member()))
                    .build(), "reachability");
            cluster.subscriptions().tell(Subscribe.create(reachability, ClusterEvent.ReachabilityEvent.class));

            // Event names are plain Strings: Pekko serializes them without any binding of ours.
            ActorRef<String> events = ctx.spawn(Behaviors.receive(String.class)
                    .onMessage(String.class, name -> {
                        record.add("event", name, System.currentTimeMillis());
                        return Behaviors.same();
                    }).build(), "events");
            DistributedPubSub.get(Adapter.toClassic(ctx.getSystem())).mediator().tell(
                    new DistributedPubSubMediator.Subscribe(EVENTS_TOPIC, Adapter.toClassic(events)),
                    org.apache.pekko.actor.ActorRef.noSender());
            return Behaviors.empty();
        });
    }

    private static <T> Behavior<T> log(NodeRecord record, String verdict, Member m) {
        record.add(verdict, nameOf(m), System.currentTimeMillis());
        return Behaviors.same();
    }

    /** Command-line flags; a bad one stops the node with one line naming it. */
    record Options(String name, InetSocketAddress bind, InetSocketAddress http, List<InetSocketAddress> seeds,
                   Duration acceptablePause, Duration stableAfter) {
        static Options parse(String[] args) {
            String name = null;
            InetSocketAddress bind = null, http = null;
            List<InetSocketAddress> seeds = new ArrayList<>();
            Duration pause = DEFAULT_ACCEPTABLE_PAUSE, stable = DEFAULT_STABLE_AFTER;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) throw usage("missing value for " + flag);
                String v = args[++i];
                try {
                switch (flag) {
                    case "--name" -> name = v;
                    case "--bind" -> bind = address(v);
                    case "--http" -> http = address(v);
                    case "--seed" -> seeds.add(address(v));
                    case "--acceptable-heartbeat-pause" -> pause = duration(v);
                    case "--stable-after" -> stable = duration(v);
                    default -> throw usage("unknown flag " + flag);
                }
                } catch (NumberFormatException e) {
                    throw usage("bad value for " + flag + ": " + v);
                }
            }
            if (name == null || bind == null || http == null) throw usage("--name, --bind and --http are required");
            if (seeds.isEmpty()) seeds.add(bind);   // alone: form a new cluster of one
            return new Options(name, bind, http, List.copyOf(seeds), pause, stable);
        }

        private static InetSocketAddress address(String hostPort) {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) throw usage("expected HOST:PORT, got " + hostPort);
            return InetSocketAddress.createUnresolved(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1)));
        }

        /** "2s", "500ms": the two units a benchmark needs. */
        private static Duration duration(String v) {
            if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            if (v.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            throw usage("expected a duration such as 2s or 500ms, got " + v);
        }

        private static IllegalArgumentException usage(String why) {
            return new IllegalArgumentException("PekkoClusterNode: " + why + "\nusage: PekkoClusterNode --name N "
                    + "--bind HOST:PORT --http HOST:PORT [--seed HOST:PORT]... [--acceptable-heartbeat-pause 2s] [--stable-after 3s]");
        }
    }
}
