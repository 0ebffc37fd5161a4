package dev.grapevine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.grapevine.core.member.Address;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code grapevine.discovery} section: seed discovery from DNS. With a {@code dns-name}, the node
 * looks the name up every {@code interval} and joins every address found that it does not know as a
 * live member (see {@link DnsDiscovery}).
 *
 * @param dnsName       the name to look up; empty: no discovery. A name starting with {@code _} is
 *                      looked up as SRV (targets and ports), any other as A or AAAA
 * @param interval      time between lookups
 * @param port          the gossip port of the addresses of an A/AAAA answer; empty: this node's own
 * @param resolver      the DNS server to ask, and only it; empty: the system's resolvers (and hosts file)
 * @param lookupTimeout how long one round of lookups may take before it counts as failed
 * @param addressesMax  addresses taken from one round's answers; the rest are dropped and counted
 */
public record DiscoverySettings(Optional<String> dnsName, Duration interval, OptionalInt port, Optional<Address> resolver,
                                Duration lookupTimeout, int addressesMax) {
    private static final String SECTION = "grapevine.discovery";
    static final Duration INTERVAL_MIN = Duration.ofMillis(100);
    static final Duration INTERVAL_MAX = Duration.ofHours(1);
    static final Duration LOOKUP_TIMEOUT_MIN = Duration.ofMillis(100);
    static final Duration LOOKUP_TIMEOUT_MAX = Duration.ofMinutes(1);
    static final int ADDRESSES_MAX_LIMIT = 1024;

    /** Discovery switched off: what a node without a {@code grapevine.discovery} section gets. */
    public static final DiscoverySettings OFF = new DiscoverySettings(Optional.empty(), Duration.ofSeconds(10),
            OptionalInt.empty(), Optional.empty(), Duration.ofSeconds(5), 64);

    public boolean enabled() {
        return dnsName.isPresent();
    }

    static DiscoverySettings from(Config d, List<String> errors) {
        Optional<String> name = Optional.empty();
        if (!d.getIsNull("dns-name")) {
            String text = d.getString("dns-name").trim(); // empty is off: what an unset-but-empty variable gives
            name = text.isEmpty() ? Optional.empty() : Optional.of(text);
            if (name.isPresent()) {
                try {
                    org.xbill.DNS.Name.fromString(text);
                } catch (org.xbill.DNS.TextParseException e) {
                    errors.add(SECTION + ".dns-name '" + text + "' is not a DNS name: " + e.getMessage());
                }
            }
        }
        Duration[] durations = {OFF.interval(), OFF.lookupTimeout()};
        NodeSettings.duration(d, SECTION, "interval", v -> durations[0] = v, errors);
        NodeSettings.duration(d, SECTION, "lookup-timeout", v -> durations[1] = v, errors);
        within(durations[0], INTERVAL_MIN, INTERVAL_MAX, "interval", errors);
        within(durations[1], LOOKUP_TIMEOUT_MIN, LOOKUP_TIMEOUT_MAX, "lookup-timeout", errors);

        OptionalInt port = OptionalInt.empty();
        if (!d.getIsNull("port")) {
            try {
                int p = d.getInt("port");
                if (p < 1 || p > 65_535) {
                    errors.add(SECTION + ".port must be in 1..65535, but was " + p);
                } else {
                    port = OptionalInt.of(p);
                }
            } catch (ConfigException e) {
                errors.add(SECTION + ".port must be a port number: " + e.getMessage());
            }
        }

        Optional<Address> resolver = Optional.empty();
        if (!d.getIsNull("resolver")) {
            String text = d.getString("resolver").trim();
            if (!text.isEmpty()) {
                try {
                    resolver = Optional.of(Address.parse(text));
                } catch (IllegalArgumentException e) {
                    errors.add(SECTION + ".resolver must be the host:port of a DNS server: " + e.getMessage());
                }
            }
        }

        int[] max = {OFF.addressesMax()};
        NodeSettings.count(d, SECTION, "addresses-max", v -> max[0] = v, errors);
        if (max[0] < 1 || max[0] > ADDRESSES_MAX_LIMIT) {
            errors.add(SECTION + ".addresses-max must be in 1.." + ADDRESSES_MAX_LIMIT + ", but was " + max[0]);
        }
        return new DiscoverySettings(name, durations[0], port, resolver, durations[1], max[0]);
    }

    private static void within(Duration value, Duration min, Duration max, String key, List<String> errors) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            errors.add(SECTION + "." + key + " must be in " + min.toMillis() + "ms.." + max.toSeconds() + "s, but was " + value.toMillis() + "ms");
        }
    }
}
