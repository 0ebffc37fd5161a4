package dev.grapevine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import dev.grapevine.core.config.Profile;
import dev.grapevine.core.config.Settings;
import dev.grapevine.core.member.Address;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The {@code grapevine} section of the config, read once and validated. A bad value fails at start
 * with one message that names every bad key and what it accepts.
 *
 * @param name    this node's identity; {@code host:port} of its Artery endpoint when not configured
 * @param seeds   nodes to join at start
 * @param dataDir where the epoch and known peers are kept, if anywhere
 * @param discovery seed discovery from DNS, off unless {@code grapevine.discovery.dns-name} is set
 */
public record NodeSettings(String name, Address address, Profile profile, Settings protocol, List<Address> seeds,
                           Optional<Path> dataDir, Map<String, String> tags, RecoverySettings recovery,
                           DiscoverySettings discovery) {

    public NodeSettings {
        seeds = List.copyOf(seeds);
        tags = Map.copyOf(tags);
    }

    /**
     * Reads {@code grapevine.*} from a resolved config, for the node listening at {@code endpoint}
     * (the Artery address the system actually bound, which differs from the config with port 0).
     */
    public static NodeSettings from(Config config, Address endpoint) {
        List<String> errors = new ArrayList<>();
        Config g = config.getConfig("grapevine");

        Profile profile = Profile.LAN;
        try {
            profile = Profile.parse(g.getString("profile"));
        } catch (IllegalArgumentException | ConfigException e) {
            errors.add("grapevine.profile: " + e.getMessage());
        }

        Address address = endpoint;

        String name = g.getString("node.name").trim();
        if (name.isEmpty() && address != null) {
            name = address.toString();
        }

        List<Address> seeds = new ArrayList<>();
        try {
            // A list, or one comma-separated string (what an environment variable can carry).
            List<String> seedTexts = g.getValue("seeds").valueType() == com.typesafe.config.ConfigValueType.STRING
                    ? List.of(g.getString("seeds").split(",")) : g.getStringList("seeds");
            for (String seed : seedTexts) {
                if (seed.isBlank()) {
                    continue;
                }
                try {
                    seeds.add(Address.parse(seed.trim()));
                } catch (IllegalArgumentException e) {
                    errors.add("grapevine.seeds: " + e.getMessage());
                }
            }
        } catch (ConfigException e) {
            errors.add("grapevine.seeds must be a list of \"host:port\" strings: " + e.getMessage());
        }

        String dir = g.getString("node.data-dir").trim();
        Optional<Path> dataDir = dir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dir));

        Map<String, String> tags = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : g.getConfig("node.tags").entrySet()) {
            tags.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
        }

        Settings protocol = readProtocol(g.getConfig("protocol"), profile, errors);
        RecoverySettings recovery = RecoverySettings.from(g.getConfig("recovery"), errors);
        DiscoverySettings discovery = DiscoverySettings.from(g.getConfig("discovery"), errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid Grapevine configuration: " + String.join("; ", errors));
        }
        return new NodeSettings(name, address, profile, protocol, seeds, dataDir, tags, recovery, discovery);
    }

    /** Each non-null key overrides the profile's value; the whole is validated by {@link Settings}. */
    private static Settings readProtocol(Config p, Profile profile, List<String> errors) {
        Settings.Builder b = profile.settings().toBuilder().gossipCopiesMax(ARTERY_GOSSIP_COPIES)
                .retransmitMult(Math.min(profile.settings().retransmitMult(), ARTERY_RETRANSMIT_MULT_MAX));
        duration(p, PROTOCOL, "probe-interval", b::probeInterval, errors);
        duration(p, PROTOCOL, "probe-timeout", b::probeTimeout, errors);
        count(p, PROTOCOL, "indirect-checks", b::indirectChecks, errors);
        duration(p, PROTOCOL, "gossip-interval", b::gossipInterval, errors);
        count(p, PROTOCOL, "gossip-fanout", b::gossipFanout, errors);
        duration(p, PROTOCOL, "gossip-to-the-dead", b::gossipToTheDead, errors);
        count(p, PROTOCOL, "suspicion-mult", b::suspicionMult, errors);
        count(p, PROTOCOL, "suspicion-max-timeout-mult", b::suspicionMaxMult, errors);
        count(p, PROTOCOL, "retransmit-mult", b::retransmitMult, errors);
        duration(p, PROTOCOL, "push-pull-interval", b::pushPullInterval, errors);
        count(p, PROTOCOL, "push-pull-members-max", b::pushPullMembersMax, errors);
        duration(p, PROTOCOL, "reconnect-interval", b::reconnectInterval, errors);
        duration(p, PROTOCOL, "reap-left-after", b::reapLeftAfter, errors);
        count(p, PROTOCOL, "awareness-max", b::awarenessMax, errors);
        bytes(p, PROTOCOL, "gossip-max-bytes", b::gossipBytesMax, errors);
        bytes(p, PROTOCOL, "piggyback-max-bytes", b::piggybackBytesMax, errors);
        count(p, PROTOCOL, "broadcast-queue-max", b::broadcastQueueMax, errors);
        bytes(p, PROTOCOL, "user-event-max-bytes", b::userEventBytesMax, errors);
        count(p, PROTOCOL, "user-event-direct-max", b::userEventDirectMax, errors);
        count(p, PROTOCOL, "event-buffer-size", b::eventBufferSize, errors);
        count(p, PROTOCOL, "relays-max", b::relaysMax, errors);
        count(p, PROTOCOL, "gossip-copies-per-member", b::gossipCopiesMax, errors);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage().replace("invalid grapevine settings: ", "grapevine.protocol: "));
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
            "user-event-direct-max", "event-buffer-size", "relays-max", "gossip-copies-per-member");

    static void duration(Config p, String section, String key, Consumer<Duration> set, List<String> errors) {
        if (p.getIsNull(key)) {
            return;
        }
        try {
            set.accept(p.getDuration(key));
        } catch (ConfigException e) {
            errors.add(section + "." + key + " must be a duration such as 500ms or 1s: " + e.getMessage());
        }
    }

    static void count(Config p, String section, String key, java.util.function.IntConsumer set, List<String> errors) {
        if (p.getIsNull(key)) {
            return;
        }
        try {
            set.accept(p.getInt(key));
        } catch (ConfigException e) {
            errors.add(section + "." + key + " must be a whole number: " + e.getMessage());
        }
    }

    static void bytes(Config p, String section, String key, java.util.function.IntConsumer set, List<String> errors) {
        if (p.getIsNull(key)) {
            return;
        }
        try {
            long value = p.getBytes(key);
            if (value > Integer.MAX_VALUE) {
                errors.add(section + "." + key + " is too large: " + value + " bytes");
            } else {
                set.accept((int) value);
            }
        } catch (ConfigException e) {
            errors.add(section + "." + key + " must be a size such as 16384 or 16KiB: " + e.getMessage());
        }
    }
}
