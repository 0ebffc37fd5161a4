package dev.grapevine.runtime;

import com.typesafe.config.Config;
import dev.grapevine.spi.ConfigProblems;
import dev.grapevine.core.member.Address;

import java.time.Duration;
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

    /** Reads the section of a whole config, adding each bad value to {@code problems}. */
    static DiscoverySettings read(Config c, ConfigProblems problems) {
        Optional<String> name = Optional.empty();
        String namePath = SECTION + ".dns-name";
        if (!c.getIsNull(namePath)) {
            String text = problems.string(c, namePath).trim(); // empty is off: what an unset-but-empty variable gives
            name = text.isEmpty() ? Optional.empty() : Optional.of(text);
            if (name.isPresent()) {
                // dnsjava is optional: only DnsDiscovery touches it, and only once it is known present.
                String missing = OptionalLibrary.DNSJAVA.missingFor("DNS discovery");
                String bad = missing != null ? null : DnsDiscovery.nameProblem(text);
                if (missing != null) {
                    problems.bad(c, namePath, missing);
                } else if (bad != null) {
                    problems.bad(c, namePath, "is not a DNS name: " + bad);
                }
            }
        }
        Duration interval = within(c, "interval", INTERVAL_MIN, INTERVAL_MAX, OFF.interval(), problems);
        Duration lookupTimeout = within(c, "lookup-timeout", LOOKUP_TIMEOUT_MIN, LOOKUP_TIMEOUT_MAX, OFF.lookupTimeout(), problems);

        OptionalInt port = OptionalInt.empty();
        if (!c.getIsNull(SECTION + ".port")) {
            int before = problems.all().size();
            int p = problems.count(c, SECTION + ".port", 1, 65_535);
            port = problems.all().size() == before ? OptionalInt.of(p) : OptionalInt.empty();
        }

        Optional<Address> resolver = Optional.empty();
        String resolverPath = SECTION + ".resolver";
        if (!c.getIsNull(resolverPath)) {
            String text = problems.string(c, resolverPath).trim();
            if (!text.isEmpty()) {
                try {
                    resolver = Optional.of(Address.parse(text));
                } catch (IllegalArgumentException e) {
                    problems.bad(c, resolverPath, "must be the host:port of a DNS server: " + e.getMessage());
                }
            }
        }
        int addressesMax = problems.count(c, SECTION + ".addresses-max", 1, ADDRESSES_MAX_LIMIT);
        return new DiscoverySettings(name, interval, port, resolver, lookupTimeout, addressesMax);
    }

    private static Duration within(Config c, String key, Duration min, Duration max, Duration fallback, ConfigProblems problems) {
        String path = SECTION + "." + key;
        Duration value = problems.duration(c, path);
        if (value == null) {
            return fallback;
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problems.bad(c, path, "must be in " + min.toMillis() + "ms.." + max.toSeconds() + "s");
            return fallback;
        }
        return value;
    }
}
