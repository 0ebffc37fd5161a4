package dev.grapevine.core.recovery;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Ownership per domain: the partitions of a domain are owned only by the live members that run it.
 * A member that runs no domain (one that registers no {@code Recoverable}) owns nothing, is never an
 * exchange partner, and its word is not awaited for a domain's epoch to be complete.
 *
 * <p>Pure and order-free: every node that holds the same live members with the same domains
 * computes the same runners, hence the same {@link Ownership}, with no coordination.
 */
public final class DomainOwnership {

    private DomainOwnership() {
    }

    /** Whether a member advertising {@code domains} takes part in {@code domain}; a null domain takes every member. */
    public static boolean runs(Collection<String> domains, String domain) {
        return domain == null || domains.contains(domain);
    }

    /** The live members that run {@code domain}, sorted by name. */
    public static SortedSet<String> runners(Map<String, ? extends Collection<String>> liveDomains, String domain) {
        SortedSet<String> out = new TreeSet<>();
        liveDomains.forEach((member, domains) -> {
            if (runs(domains, domain)) {
                out.add(member);
            }
        });
        return Collections.unmodifiableSortedSet(out);
    }

    /** Who owns which partition of {@code domain}, among its runners only. */
    public static Ownership of(Map<String, ? extends Collection<String>> liveDomains, String domain, int partitions,
                               int replicationFactor) {
        return new Ownership(runners(liveDomains, domain), partitions, replicationFactor);
    }

    /** Every domain some live member runs, sorted. */
    public static SortedSet<String> domains(Map<String, ? extends Collection<String>> liveDomains) {
        SortedSet<String> out = new TreeSet<>();
        liveDomains.values().forEach(out::addAll);
        return Collections.unmodifiableSortedSet(out);
    }
}
