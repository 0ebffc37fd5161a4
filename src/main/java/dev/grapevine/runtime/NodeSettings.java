package dev.grapevine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import dev.grapevine.spi.ConfigProblems;
import dev.grapevine.spi.InvalidConfigException;
import dev.grapevine.core.config.Profile;
import dev.grapevine.core.config.Settings;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.wire.ClusterName;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.Utf8;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The {@code grapevine} section of the config, read once and validated. An unknown key or a bad
 * value fails at start with one message that names every one of them and what it accepts.
 *
 * @param name    this node's identity; {@code host:port} of its Artery endpoint when not configured
 * @param seeds   nodes to join at start
 * @param dataDir where the epoch and known peers are kept, if anywhere
 * @param cluster the cluster this node belongs to ({@code grapevine.cluster-name}): it reads messages of no other
 * @param discovery seed discovery from DNS, off unless {@code grapevine.discovery.dns-name} is set
 * @param seedSystems the actor system names seeds were given with ({@code name@host:port}), by seed
 * @param shutdown  how the node leaves when its actor system shuts down ({@code grapevine.shutdown.*})
 */
public record NodeSettings(String name, Address address, Profile profile, Settings protocol, List<Address> seeds,
                           Optional<Path> dataDir, Map<String, String> tags, RecoverySettings recovery,
                           DiscoverySettings discovery, ClusterName cluster, Map<Address, String> seedSystems,
                           ShutdownLeave.Settings shutdown) {

    public NodeSettings {
        seeds = List.copyOf(seeds);
        tags = Map.copyOf(tags);
        seedSystems = Map.copyOf(seedSystems);
    }

    /**
     * Reads {@code grapevine.*} from a resolved config, for the node listening at {@code endpoint}
     * (the Artery address the system actually bound, which differs from the config with port 0).
     *
     * @throws InvalidConfigException naming every unknown key and every bad value
     */
    public static NodeSettings from(Config config, Address endpoint) {
        ConfigProblems problems = new ConfigProblems();
        NodeSettings settings = read(config, endpoint, problems);
        problems.throwIfAny();
        return settings;
    }

    /**
     * Reads {@code grapevine.*} like {@link #from}, but adds its problems to {@code problems} (with
     * those of other sections, such as a domain's) instead of throwing. Returns null when it found any.
     */
    public static NodeSettings read(Config config, Address endpoint, ConfigProblems problems) {
        int before = problems.all().size();
        Config c = ConfigKeys.check(config, problems);

        Profile profile = Profile.LAN;
        try {
            profile = Profile.parse(problems.string(c, "grapevine.profile"));
        } catch (IllegalArgumentException e) {
            problems.bad(c, "grapevine.profile", "must be one of lan, wan, local");
        }

        Address address = endpoint;
        String name = problems.string(c, "grapevine.node.name").trim();
        if (name.isEmpty() && address != null) {
            name = address.toString();
        }
        checkName(c, name, problems);

        Map<Address, String> seedSystems = new java.util.HashMap<>();
        List<Address> seeds = seeds(c, problems, seedSystems);
        ClusterName cluster = cluster(c, problems);

        String dir = problems.string(c, "grapevine.node.data-dir").trim();
        Optional<Path> dataDir = dir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dir));

        Map<String, String> tags = NodeTags.read(c, problems);
        Settings protocol = readProtocol(c, profile, problems);
        RecoverySettings recovery = RecoverySettings.read(c, problems);
        DiscoverySettings discovery = DiscoverySettings.read(c, problems);
        ShutdownLeave.Settings shutdown = ShutdownLeave.Settings.read(c, problems);
        dev.grapevine.spi.SupervisionSettings.read(c, problems); // checked here, read by the node's guardian
        if (problems.all().size() > before) {
            return null;
        }
        return new NodeSettings(name, address, profile, protocol, seeds, dataDir, tags, recovery, discovery, cluster,
                seedSystems, shutdown);
    }

    /**
     * A name is the node's identity on the wire and in every listing: at most
     * {@link Member#NAME_BYTES_MAX} bytes, and no spaces or control characters, which would break the
     * CLI's columns and its logs' lines.
     */
    private static void checkName(Config c, String name, ConfigProblems problems) {
        String path = "grapevine.node.name";
        if (name.isEmpty()) {
            problems.bad(c, path, "must not be blank");
        } else if (Utf8.length(name) > Member.NAME_BYTES_MAX) {
            problems.bad(c, path, "takes " + Utf8.length(name) + " bytes (UTF-8); the limit is " + Member.NAME_BYTES_MAX);
        }
        if (name.codePoints().anyMatch(ch -> Character.isWhitespace(ch) || Character.isISOControl(ch))) {
            problems.bad(c, path, "must not contain spaces or control characters");
        }
    }

    /** The cluster's name, never the actor system's: nodes of one cluster may run systems of any name. */
    private static ClusterName cluster(Config c, ConfigProblems problems) {
        String path = "grapevine.cluster-name";
        String name = problems.string(c, path);
        String problem = ClusterName.problem(name);
        if (problem != null) {
            problems.bad(c, path, problem);
            return ClusterName.DEFAULT;
        }
        return ClusterName.of(name);
    }

    /**
     * The seeds, {@code HOST:PORT} or {@code SYSTEM@HOST:PORT}: a seed whose actor system is not named
     * {@value dev.grapevine.core.node.SystemNameTag#DEFAULT} must say its name, or Artery drops what
     * this node sends it. The names go to {@code systems}.
     */
    private static List<Address> seeds(Config c, ConfigProblems problems, Map<Address, String> systems) {
        String path = "grapevine.seeds";
        List<Address> seeds = new ArrayList<>();
        try {
            // A list, or one comma-separated string (what an environment variable can carry).
            List<String> seedTexts = c.getValue(path).valueType() == ConfigValueType.STRING
                    ? List.of(c.getString(path).split(",")) : c.getStringList(path);
            for (String seed : seedTexts) {
                if (seed.isBlank()) {
                    continue;
                }
                String text = seed.trim();
                int at = text.indexOf('@');
                String system = at < 0 ? null : text.substring(0, at);
                String problem = system == null ? null : dev.grapevine.core.node.SystemNameTag.problem(system);
                if (problem != null) {
                    problems.bad(c, path, "seed \"" + text + "\": the actor system name before '@' " + problem);
                    continue;
                }
                try {
                    Address address = Address.parse(text.substring(at + 1));
                    seeds.add(address);
                    if (system != null) {
                        systems.put(address, system);
                    }
                } catch (IllegalArgumentException e) {
                    problems.bad(c, path, e.getMessage());
                }
            }
        } catch (ConfigException e) {
            problems.bad(c, path, "must be a list of \"HOST:PORT\" or \"SYSTEM@HOST:PORT\" strings, or one comma-separated string");
        }
        return seeds;
    }

    /** Each non-null key overrides the profile's value; the whole is validated by {@link Settings}. */
    private static Settings readProtocol(Config c, Profile profile, ConfigProblems problems) {
        Settings.Builder b = profile.settings().toBuilder().gossipCopiesMax(ARTERY_GOSSIP_COPIES)
                .retransmitMult(Math.min(profile.settings().retransmitMult(), ARTERY_RETRANSMIT_MULT_MAX));
        duration(c, "probe-interval", b::probeInterval, problems);
        duration(c, "probe-timeout", b::probeTimeout, problems);
        count(c, "indirect-checks", b::indirectChecks, problems);
        duration(c, "gossip-interval", b::gossipInterval, problems);
        count(c, "gossip-fanout", b::gossipFanout, problems);
        duration(c, "gossip-to-the-dead", b::gossipToTheDead, problems);
        count(c, "suspicion-mult", b::suspicionMult, problems);
        count(c, "suspicion-max-timeout-mult", b::suspicionMaxMult, problems);
        count(c, "retransmit-mult", b::retransmitMult, problems);
        duration(c, "push-pull-interval", b::pushPullInterval, problems);
        count(c, "push-pull-members-max", b::pushPullMembersMax, problems);
        duration(c, "reconnect-interval", b::reconnectInterval, problems);
        duration(c, "reap-left-after", b::reapLeftAfter, problems);
        count(c, "awareness-max", b::awarenessMax, problems);
        bytes(c, "gossip-max-bytes", b::gossipBytesMax, problems);
        bytes(c, "piggyback-max-bytes", b::piggybackBytesMax, problems);
        count(c, "broadcast-queue-max", b::broadcastQueueMax, problems);
        bytes(c, "user-event-max-bytes", b::userEventBytesMax, problems);
        count(c, "user-event-direct-max", b::userEventDirectMax, problems);
        count(c, "event-buffer-size", b::eventBufferSize, problems);
        count(c, "relays-max", b::relaysMax, problems);
        count(c, "gossip-copies-per-member", b::gossipCopiesMax, problems);
        count(c, "corroborators", b::corroborators, problems);
        count(c, "suspicion-quorum", b::suspicionQuorum, problems);
        count(c, "accuser-health-max", b::accuserHealthMax, problems);
        duration(c, "rejoin-after-deaf", b::rejoinAfterDeaf, problems);
        try {
            return b.build();
        } catch (Settings.InvalidSettingsException e) {
            for (Settings.Problem problem : e.problems()) {
                String path = PROTOCOL + "." + problem.key();
                // The value as the user wrote it; one left null came from the profile.
                String value = c.hasPath(path) ? ConfigProblems.valueText(c, path)
                        : problem.value() + " (" + profile.id() + " profile)";
                problems.add(path + " = " + value + ": " + problem.text());
            }
            return profile.settings();
        }
    }

    private static final String PROTOCOL = "grapevine.protocol";

    /**
     * Copies of a broadcast a node sends to one member unless configured: one. Artery keeps one
     * ordered connection per peer, so a second copy would arrive after the first, and the profiles'
     * two (for a network that loses copies one at a time) only cost bytes: in the simulator's
     * recovery churn, one copy sent 8–26 % fewer messages at N = 5 to 20 (seeds 1–3).
     */
    static final int ARTERY_GOSSIP_COPIES = 1;

    /**
     * Retransmit multiplier a node uses unless configured: the profile's, at most two. The profiles'
     * three is for a network that loses each copy on its own. Over Artery, with one copy per member,
     * each node sends a rumor to 2·⌈log2(N+1)⌉ distinct members, so a member is missed by all of them
     * with a chance of about N^-2.9, and push-pull makes up the rest. In the simulator, over a model
     * of TCP with one copy per member (seeds 1–5): 8–25 % fewer messages in recovery churn at N = 50
     * and 100, in crashes and at 30 % loss at N = 20; detection times within 53 ms, no healthy member
     * declared dead, every broadcast delivered to all (docs/protocol.md).
     */
    static final int ARTERY_RETRANSMIT_MULT_MAX = 2;

    /** The protocol keys this reader knows, in reference.conf order. */
    static final List<String> PROTOCOL_KEYS = List.of("probe-interval", "probe-timeout", "indirect-checks",
            "gossip-interval", "gossip-fanout", "gossip-to-the-dead", "suspicion-mult", "suspicion-max-timeout-mult",
            "retransmit-mult", "push-pull-interval", "push-pull-members-max", "reconnect-interval", "reap-left-after", "awareness-max",
            "gossip-max-bytes", "piggyback-max-bytes", "broadcast-queue-max", "user-event-max-bytes",
            "user-event-direct-max", "event-buffer-size", "relays-max", "gossip-copies-per-member", "corroborators",
            "suspicion-quorum", "accuser-health-max", "rejoin-after-deaf");

    /** A protocol key left null keeps the profile's value; range checks are {@link Settings}'s. */
    private static void duration(Config c, String key, Consumer<Duration> set, ConfigProblems problems) {
        String path = PROTOCOL + "." + key;
        if (!c.getIsNull(path)) {
            Duration value = problems.duration(c, path);
            if (value != null) {
                set.accept(value);
            }
        }
    }

    private static void count(Config c, String key, IntConsumer set, ConfigProblems problems) {
        String path = PROTOCOL + "." + key;
        Integer value = c.getIsNull(path) ? null : problems.wholeNumber(c, path);
        if (value != null) {
            set.accept(value);
        }
    }

    private static void bytes(Config c, String key, IntConsumer set, ConfigProblems problems) {
        String path = PROTOCOL + "." + key;
        Integer value = c.getIsNull(path) ? null : problems.size(c, path);
        if (value != null) {
            set.accept(value);
        }
    }
}
