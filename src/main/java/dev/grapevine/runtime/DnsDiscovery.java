package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.Credibility;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One round of seed discovery: looks a DNS name up and returns the gossip endpoints it names. It
 * blocks on the network (bounded by the lookup timeout), so it runs on a blocking dispatcher, never
 * on an actor's thread; {@link DnsDiscoveryActor} schedules it and joins what it finds.
 *
 * <ul>
 *   <li>A name starting with {@code _} is an SRV name: each SRV record's target is looked up in turn
 *       and each of its addresses taken with the record's port (a Kubernetes headless Service names
 *       one target per pod, with the port of the named service port).</li>
 *   <li>Any other name is looked up as A/AAAA records (a headless Service: one per pod), each
 *       address with the configured port, or this node's own.</li>
 * </ul>
 * Which of A and AAAA follows this node's own address: a node advertising an IPv4 address asks for
 * A records, IPv6 for AAAA, a host name for both. An address of the other family could never match
 * what a peer advertises, and Artery only accepts messages addressed to the advertised host.
 *
 * <p>Keeps nothing between rounds (each makes its own resolver and cache), so a round that outlives
 * the actor's patience does not disturb the next.
 */
final class DnsDiscovery {

    /**
     * What one round found.
     *
     * @param addresses         distinct endpoints, in answer order, without this node's own
     * @param dropped           answer records left unused beyond {@code addresses-max}
     * @param unresolvedTargets SRV targets whose own lookup failed (the round still counts)
     */
    record Answer(List<Address> addresses, int dropped, List<String> unresolvedTargets) {
        Answer {
            addresses = List.copyOf(addresses);
            unresolvedTargets = List.copyOf(unresolvedTargets);
        }
    }

    /** A round that found nothing usable: the message names the query and what went wrong. */
    static final class LookupFailedException extends Exception {
        LookupFailedException(String message) {
            super(message);
        }
    }

    private final String dnsName;
    private final Name name;
    private final boolean srv;
    private final int port;
    private final Address resolverAddress;
    private final Duration timeout;
    private final int addressesMax;
    private final Address self;
    private final int[] addressTypes;

    /**
     * @param self this node's advertised endpoint: skipped in answers, and its host picks A or AAAA
     * @throws IllegalArgumentException if the name is not a valid DNS name
     */
    DnsDiscovery(DiscoverySettings settings, Address self) {
        this.dnsName = settings.dnsName().orElseThrow(() -> new IllegalArgumentException("grapevine.discovery.dns-name is not set"));
        try {
            this.name = Name.fromString(dnsName);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("grapevine.discovery.dns-name '" + dnsName + "' is not a DNS name: " + e.getMessage());
        }
        this.srv = dnsName.startsWith("_");
        this.port = settings.port().orElse(self.port());
        this.resolverAddress = settings.resolver().orElse(null);
        this.timeout = settings.lookupTimeout();
        this.addressesMax = settings.addressesMax();
        this.self = self;
        this.addressTypes = addressTypes(self.host());
    }

    /** Why {@code text} is not a DNS name, or null if it is one. */
    static String nameProblem(String text) {
        try {
            Name.fromString(text);
            return null;
        } catch (TextParseException e) {
            return e.getMessage();
        }
    }

    /** A for an IPv4 literal, AAAA for an IPv6 literal, both for a host name. */
    static int[] addressTypes(String host) {
        if (host.indexOf(':') >= 0) {
            return new int[] {Type.AAAA};
        }
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return new int[] {Type.A};
        }
        return new int[] {Type.A, Type.AAAA};
    }

    /**
     * An IPv6 address as RFC 5952 writes it ({@code fd00:10:244::5}), which is how Kubernetes gives a
     * pod's IP, and so how such a node advertises itself. Java's own text has every group
     * ({@code fd00:10:244:0:0:0:0:5}), which Artery would take for another host.
     */
    static String ipv6Text(byte[] address) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xff) << 8 | address[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is written as 0, not ::
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    /** The name this looks up, as configured. */
    String dnsName() {
        return dnsName;
    }

    /** Looks the name up; blocks at most about the lookup timeout. */
    Answer lookup() throws LookupFailedException {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        Resolver resolver = resolver();
        // One cache per round, so every round asks the server again. Within the round it keeps the
        // addresses a server sends along with SRV records (CoreDNS does, for a headless Service's
        // pods), and the targets' lookups take them from there: one query a round instead of one
        // per pod and node.
        Cache cache = new Cache(DClass.IN);
        Set<Address> found = new LinkedHashSet<>();
        int dropped = 0;
        List<String> unresolved = new ArrayList<>();
        if (srv) {
            List<Record> records = query(resolver, cache, name, Type.SRV, Credibility.NORMAL, deadlineNanos);
            for (Record r : records) {
                if (!(r instanceof SRVRecord s)) {
                    continue;
                }
                if (found.size() >= addressesMax) {
                    dropped++;
                    continue;
                }
                try {
                    for (int type : addressTypes) {
                        for (Record a : query(resolver, cache, s.getTarget(), type, Credibility.ADDITIONAL, deadlineNanos)) {
                            dropped += add(found, a, s.getPort());
                        }
                    }
                } catch (LookupFailedException e) {
                    unresolved.add(s.getTarget() + " (" + e.getMessage() + ")");
                }
            }
            if (found.isEmpty() && !unresolved.isEmpty()) {
                throw new LookupFailedException("no SRV target of " + dnsName + " resolved: " + String.join(", ", unresolved));
            }
        } else {
            for (int type : addressTypes) {
                for (Record a : query(resolver, cache, name, type, Credibility.NORMAL, deadlineNanos)) {
                    dropped += add(found, a, port);
                }
            }
        }
        return new Answer(new ArrayList<>(found), dropped, unresolved);
    }

    /** Adds the endpoint of an A/AAAA record unless it is this node; returns 1 if over the bound. */
    private int add(Set<Address> found, Record record, int port) {
        String host;
        if (record instanceof ARecord a) {
            host = a.getAddress().getHostAddress();
        } else if (record instanceof AAAARecord a) {
            host = ipv6Text(a.getAddress().getAddress());
        } else {
            return 0; // a CNAME on the way, already followed by the lookup
        }
        Address endpoint = new Address(host, port);
        if (endpoint.equals(self) || found.contains(endpoint)) {
            return 0;
        }
        if (found.size() >= addressesMax) {
            return 1;
        }
        found.add(endpoint);
        return 0;
    }

    /**
     * Records of {@code type} for {@code queried}; none if the name exists without such records
     * (a headless Service with only IPv4 pods has no AAAA). NXDOMAIN, a timeout or a server failure
     * throws, with the name, the type and dnsjava's reason.
     */
    private List<Record> query(Resolver resolver, Cache cache, Name queried, int type, int credibility, long deadlineNanos)
            throws LookupFailedException {
        long leftNanos = deadlineNanos - System.nanoTime();
        if (leftNanos <= 0) {
            throw new LookupFailedException(queried + " " + Type.string(type) + ": no time left of the "
                    + timeout.toMillis() + " ms lookup timeout");
        }
        resolver.setTimeout(Duration.ofNanos(leftNanos));
        Lookup lookup = new Lookup(queried, type);
        lookup.setResolver(resolver);
        lookup.setCache(cache);
        lookup.setCredibility(credibility);
        lookup.setCycleResults(false); // the server's order, which it may rotate itself
        if (resolverAddress != null) {
            lookup.setHostsFileParser(null); // a chosen server is the only source
        }
        long startNanos = System.nanoTime();
        Record[] records = lookup.run();
        String server = resolverAddress != null ? " (resolver " + resolverAddress + ")" : "";
        return switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> records == null ? List.of() : List.of(records);
            case Lookup.TYPE_NOT_FOUND -> List.of();
            case Lookup.HOST_NOT_FOUND -> throw new LookupFailedException(queried + " " + Type.string(type)
                    + ": no such name (NXDOMAIN)" + server);
            // dnsjava says "network error" for a query that timed out as for one refused at once; the
            // time it took tells them apart (the resolver's clock starts a little after this one).
            case Lookup.TRY_AGAIN -> throw new LookupFailedException(queried + " " + Type.string(type) + ": "
                    + (System.nanoTime() - startNanos >= leftNanos / 10 * 9 ? "no answer within the lookup timeout of "
                    + timeout.toMillis() + " ms" : lookup.getErrorString()) + server);
            default -> throw new LookupFailedException(queried + " " + Type.string(type) + ": " + lookup.getErrorString() + server);
        };
    }

    private Resolver resolver() throws LookupFailedException {
        if (resolverAddress == null) {
            return new ExtendedResolver(); // the system's servers (resolv.conf), as Lookup's default
        }
        try {
            return new SimpleResolver(new InetSocketAddress(resolverAddress.host(), resolverAddress.port()));
        } catch (IllegalArgumentException e) {
            throw new LookupFailedException("resolver " + resolverAddress + ": " + e.getMessage());
        }
    }
}
