package dev.grapevine.ops;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.grapevine.spi.ConfigProblems;
import dev.grapevine.api.Grapevine;
import dev.grapevine.api.NodeBootstrap;
import dev.grapevine.api.NodeConfig;
import dev.grapevine.spi.InvalidConfigException;
import dev.grapevine.kv.KvService;
import dev.grapevine.core.config.Profile;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.wire.ClusterName;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code grapevine agent}: runs one node until SIGTERM or SIGINT, which make it leave the cluster
 * gracefully and exit 0 (a systemd stop is a leave, not a failure). The signal terminates the actor
 * system, whose CoordinatedShutdown leaves as in any embedding application (see {@code ShutdownLeave}).
 * Its actor system is named {@code grapevine} whatever the cluster's name: the name every node
 * assumes for a seed it is given as {@code host:port} (see {@code SystemNameTag.DEFAULT}).
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Runs a Grapevine node with its admin HTTP API. SIGTERM/SIGINT: leave gracefully, exit 0.")
public final class AgentCommand implements Callable<Integer> {
    /**
     * How long a stopping agent waits for its hand-off and leave before it exits anyway: the phase
     * timeout of CoordinatedShutdown's cluster-leave (30 s for a node, see GrapevineNode.PEKKO_TUNING),
     * which caps grapevine.recovery.decommission-timeout and grapevine.shutdown.leave-timeout together.
     */
    static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--node", description = "this node's name, unique in the cluster and kept across restarts (default: the --bind address)")
    String node;

    @Option(names = "--bind", description = "HOST:PORT peers reach this node at (default: the config's, else 127.0.0.1:7946)")
    String bind;

    @Option(names = "--http", description = "HOST:PORT of the admin HTTP API (default: grapevine.admin.http, 127.0.0.1:7947)")
    String http;

    @Option(names = "--admin-token-file", paramLabel = "FILE", description = "a file holding the token every admin API "
            + "request must bear (Authorization: Bearer TOKEN), at least 16 characters, not readable by others; "
            + "needed to listen off loopback (default: grapevine.admin.token-file)")
    String adminTokenFile;

    @Option(names = "--admin-tls", paramLabel = "DIR", description = "serve the admin API over HTTPS with DIR/node.pem "
            + "and DIR/node-key.pem (default: grapevine.admin.tls-dir)")
    String adminTls;

    @Option(names = "--join", paramLabel = "[SYSTEM@]HOST:PORT", description = "a node to join; repeatable. SYSTEM: "
            + "its actor system's name, if not grapevine (an agent's is)")
    List<String> join = new ArrayList<>();

    @Option(names = "--join-dns", paramLabel = "NAME", description = "DNS name to find peers at, looked up every "
            + "grapevine.discovery.interval: _service._proto.NAME for SRV records (their ports), else A/AAAA records "
            + "(port: grapevine.discovery.port, else this node's)")
    String joinDns;

    @Option(names = "--tls", paramLabel = "DIR", description = "mutual TLS between nodes with DIR's ca.pem, node.pem "
            + "and node-key.pem (see `grapevine tls`); sets grapevine.tls.enabled and grapevine.tls.dir")
    String tls;

    @Option(names = "--config", description = "HOCON file; flags override it, it overrides the defaults")
    File config;

    @Option(names = "--data-dir", description = "where the node keeps its epoch and last known peers")
    String dataDir;

    @Option(names = "--profile", description = "lan | wan | local (default: from the config, else lan)")
    String profile;

    @Option(names = "--tag", description = "KEY=VALUE gossiped with this node; repeatable")
    List<String> tags = new ArrayList<>();

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "TRACE | DEBUG | INFO | WARN | ERROR for Grapevine and the root logger (default INFO); "
                    + "Pekko's own stays at WARN unless DEBUG (its INFO) or TRACE (its DEBUG)")
    String logLevel;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text | json: one line, or one JSON object, per event on stderr (default text)")
    String logFormat;

    @Option(names = "--cluster-name", paramLabel = "NAME", description = "the cluster this node belongs to; it admits "
            + "no node of another and joins none (default: grapevine.cluster-name, grapevine)")
    String clusterName;

    @Spec
    CommandSpec command;

    /** How the admin API is reached, once it listens: http, or https with --admin-tls. */
    private String adminScheme = "http";

    @Override
    public Integer call() throws Exception {
        Started agent;
        try {
            agent = start();
        } catch (InvalidConfigException e) {
            command.commandLine().getErr().println(e.getMessage()); // already starts "grapevine configuration"
            return 2;
        } catch (CannotListen e) {
            command.commandLine().getErr().println("grapevine agent: " + e.getMessage());
            return CannotListen.EXIT_CODE;
        } catch (CannotUseDataDir e) {
            command.commandLine().getErr().println("grapevine agent: " + e.getMessage());
            return CannotUseDataDir.EXIT_CODE;
        }
        AtomicBoolean asked = new AtomicBoolean();
        ShutdownSignals.onTermOrInt(() -> {
            asked.set(true);
            agent.leaveAndTerminate();
        });
        command.commandLine().getOut().printf("grapevine agent %s: gossip on %s, admin API on %s://%s%n",
                agent.name(), agent.gossip(), adminScheme, agent.admin());
        command.commandLine().getOut().flush();
        agent.system().getWhenTerminated().toCompletableFuture().join();
        if (!asked.get()) {
            command.commandLine().getErr().println("grapevine agent: the node stopped on its own (see the log); exiting 1");
            return 1; // so that systemd's Restart=on-failure starts it again
        }
        return 0;
    }

    /**
     * Starts the node and its admin API from the parsed flags and returns once both run. {@link #call}
     * adds the signals and the wait; a process hosting several nodes (the benchmark's shared JVM) calls
     * this once per node.
     */
    public Started start() {
        DefaultLogging.Options logging = DefaultLogging.Options.parse(logLevel, logFormat);
        DefaultLogging.init(logging); // before Pekko logs anything
        Config resolved = NodeBootstrap.transport(configuration()); // TLS files checked here
        Address gossip = new Address(resolved.getString("pekko.remote.artery.canonical.hostname"),
                resolved.getInt("pekko.remote.artery.canonical.port"));
        // Every section is validated before anything starts, and every problem goes in one message.
        ConfigProblems problems = new ConfigProblems();
        Address admin = adminAddress(resolved, problems);
        AdminSecurity adminSecurity = AdminSettings.read(resolved, admin, problems);
        NodeConfig settings = NodeBootstrap.read(resolved, gossip, problems);
        dev.grapevine.kv.KvSettings.read(resolved, problems);
        problems.throwIfAny();

        BindFailureLogFilter.install(); // after DefaultLogging, which resets logback
        CannotListen.probe(admin); // so that a taken admin port stops the agent before its node starts and logs
        settings.dataDir().ifPresent(CannotUseDataDir::probe); // likewise a read-only or full data dir
        ActorSystem<Void> system;
        try {
            system = ActorSystem.create(Behaviors.empty(), "grapevine", settings.systemSetup(resolved));
        } catch (RuntimeException e) {
            if (CannotListen.isBindFailure(e)) {
                throw CannotListen.forPeers(gossip, e);
            }
            throw e;
        }
        Grapevine grapevine;
        try {
            grapevine = Grapevine.get(system);
        } catch (java.io.UncheckedIOException e) { // the data dir failed between the probe and the node's first write
            if (settings.dataDir().isEmpty()) {
                throw e;
            }
            system.terminate();
            awaitTermination(system);
            throw new CannotUseDataDir(settings.dataDir().orElseThrow(), CannotUseDataDir.reason(e.getCause()));
        }
        Map<String, Object> info = info(settings, admin);
        KvService kv;
        try {
            kv = resolved.getBoolean("grapevine.kv.enabled") ? KvService.start(system) : null;
        } catch (dev.grapevine.kv.StaleReplicaException e) { // grapevine.kv.stale-replica = refuse
            system.terminate();
            awaitTermination(system);
            throw new CannotUseDataDir(settings.dataDir().orElseThrow(), e.getMessage());
        }
        try {
            new AdminHttp(system, grapevine, info, kv).bind(new java.net.InetSocketAddress(admin.host(), admin.port()), adminSecurity);
            adminScheme = adminSecurity.tls() != null ? "https" : "http";
        } catch (IOException | RuntimeException e) {
            system.terminate();
            awaitTermination(system);
            throw CannotListen.forAdmin(admin, e);
        }
        return new Started(system, grapevine, settings.name(), gossip, admin);
    }

    /** --http, else grapevine.admin.http (whose problem joins the others). */
    private Address adminAddress(Config resolved, ConfigProblems problems) {
        if (http != null) {
            return flagAddress("--http", http);
        }
        try {
            return Address.parse(resolved.getString("grapevine.admin.http"));
        } catch (IllegalArgumentException | ConfigException e) {
            problems.bad(resolved, "grapevine.admin.http", "must be \"HOST:PORT\" of the admin API");
            return null;
        }
    }

    /** {@code value} as an address, or a bad-input failure that names the flag it came from. */
    private static Address flagAddress(String flag, String value) {
        try {
            return Address.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage());
        }
    }

    /** Waits a bounded time for a system that failed to start to let go of its port. */
    private static void awaitTermination(ActorSystem<?> system) {
        try {
            system.getWhenTerminated().toCompletableFuture().get(LEAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // the process is about to exit with the reason anyway
        }
    }

    /** A running agent: its node's actor system and extension, and where it listens. */
    public record Started(ActorSystem<Void> system, Grapevine grapevine, String name, Address gossip, Address admin) {
        /**
         * Stops the node: its actor system's CoordinatedShutdown leaves the cluster first (at most
         * grapevine.shutdown.leave-timeout), as for any application that embeds a node.
         */
        public void leaveAndTerminate() {
            system.terminate();
        }
    }

    /** Flags, then the --config file (with its ${?ENV} overrides), then reference.conf. */
    Config configuration() {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("pekko.actor.provider", dev.grapevine.api.NodeBootstrap.PROVIDER);
        flags.put("pekko.remote.warn-about-direct-use", "off");
        if (bind != null) {
            Address gossip = flagAddress("--bind", bind);
            flags.put("pekko.remote.artery.canonical.hostname", gossip.host());
            flags.put("pekko.remote.artery.canonical.port", gossip.port());
        }
        flags.put("pekko.loggers", List.of("org.apache.pekko.event.slf4j.Slf4jLogger"));
        flags.put("pekko.logging-filter", "org.apache.pekko.event.slf4j.Slf4jLoggingFilter");
        flags.put("pekko.coordinated-shutdown.exit-jvm", "off");
        if (logLevel != null && DefaultLogging.Options.parse(logLevel, null).level() == ch.qos.logback.classic.Level.TRACE) {
            flags.put("pekko.loglevel", "DEBUG"); // Pekko drops its DEBUG events before SLF4J sees them otherwise
        }
        if (node != null) {
            if (node.isBlank()) { // `--node "$NAME"` with NAME unset: not a request for the default name
                throw new IllegalArgumentException("--node: the name is empty; leave the flag out to name the node after --bind");
            }
            flags.put("grapevine.node.name", node);
        }
        if (!join.isEmpty()) {
            join.forEach(j -> flagAddress("--join", j.substring(j.indexOf('@') + 1))); // the system name is checked with the seeds
            flags.put("grapevine.seeds", join);
        }
        if (joinDns != null) {
            flags.put("grapevine.discovery.dns-name", joinDns);
        }
        if (tls != null) {
            flags.put("grapevine.tls.enabled", true);
            flags.put("grapevine.tls.dir", tls);
        }
        if (dataDir != null) {
            flags.put("grapevine.node.data-dir", dataDir);
        }
        if (adminTokenFile != null) {
            flags.put(AdminSettings.TOKEN_FILE, adminTokenFile);
        }
        if (adminTls != null) {
            flags.put(AdminSettings.TLS_DIR, adminTls);
        }
        if (profile != null) {
            try {
                flags.put("grapevine.profile", Profile.parse(profile).id());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--profile: " + e.getMessage());
            }
        }
        if (clusterName != null) {
            String problem = ClusterName.problem(clusterName);
            if (problem != null) {
                throw new IllegalArgumentException("--cluster-name: '" + clusterName + "' " + problem);
            }
            flags.put("grapevine.cluster-name", clusterName);
        }
        for (String tag : tags) {
            int eq = tag.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--tag expects KEY=VALUE, but got '" + tag + "'");
            }
            flags.put("grapevine.node.tags.\"" + tag.substring(0, eq) + "\"", tag.substring(eq + 1));
        }
        Config file = ConfigFactory.empty();
        if (config != null) {
            if (!config.isFile()) {
                throw new IllegalArgumentException("--config: no such file: " + config);
            }
            try {
                file = ConfigFactory.parseFile(config);
            } catch (ConfigException e) {
                throw new IllegalArgumentException("--config " + config + ": " + e.getMessage());
            }
        }
        Config fromFlags = ConfigFactory.empty();
        for (Map.Entry<String, Object> f : flags.entrySet()) {
            fromFlags = fromFlags.withValue(f.getKey(), ConfigValueFactory.fromAnyRef(f.getValue()));
        }
        Config defaults = ConfigFactory.parseString(
                "pekko.remote.artery.canonical { hostname = \"127.0.0.1\", port = 7946 }")
                .withFallback(NodeBootstrap.PEKKO_TUNING);
        try {
            return fromFlags.withFallback(file).withFallback(defaults).withFallback(ConfigFactory.load()).resolve();
        } catch (ConfigException e) {
            throw new IllegalArgumentException("configuration: " + e.getMessage());
        }
    }

    private static Map<String, Object> info(NodeConfig s, Address admin) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("node", s.name());
        info.put("address", s.address().toString());
        info.put("http", admin.toString());
        info.put("profile", s.profile().id());
        info.put("seeds", s.seeds().stream().map(Address::toString).toList());
        info.put("data_dir", s.dataDir().map(Object::toString).orElse(null));
        info.put("join_dns", s.joinDns().orElse(null));
        info.put("tags", s.tags());
        Map<String, Object> protocol = new LinkedHashMap<>();
        protocol.put("probe_interval_ms", s.protocol().probeIntervalMillis());
        protocol.put("probe_timeout_ms", s.protocol().probeTimeoutMillis());
        protocol.put("gossip_interval_ms", s.protocol().gossipIntervalMillis());
        protocol.put("gossip_fanout", s.protocol().gossipFanout());
        protocol.put("suspicion_mult", s.protocol().suspicionMult());
        protocol.put("retransmit_mult", s.protocol().retransmitMult());
        protocol.put("push_pull_interval_ms", s.protocol().pushPullInterval().toMillis());
        protocol.put("reconnect_interval_ms", s.protocol().reconnectInterval().toMillis());
        info.put("protocol", protocol);
        return info;
    }
}
