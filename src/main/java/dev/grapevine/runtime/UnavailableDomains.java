package dev.grapevine.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The domains registered here that said they cannot hold their data now (a store whose disk refuses
 * writes), each with its reason. Written through the API, read by the recovery coordinator (its
 * partitions count as pending meanwhile) and by the health routes. Kept in the node's context, so a
 * restarted coordinator still knows. Bounded by the domains: one entry each.
 */
final class UnavailableDomains {
    /** A reason is cut to this many characters: it travels to health probes and status pages. */
    static final int REASON_CHARS_MAX = 300;

    private final ConcurrentSkipListMap<String, String> reasons = new ConcurrentSkipListMap<>();

    /** @return whether this changed anything */
    boolean set(String domain, String reasonOrNull) {
        if (reasonOrNull == null) {
            return reasons.remove(domain) != null;
        }
        String reason = reasonOrNull.length() <= REASON_CHARS_MAX ? reasonOrNull
                : reasonOrNull.substring(0, REASON_CHARS_MAX - 3) + "...";
        return !reason.equals(reasons.put(domain, reason));
    }

    /** Why {@code domain} cannot hold its data, or null if it can. */
    String reason(String domain) {
        return reasons.get(domain);
    }

    /** Domain to reason, in name order. */
    Map<String, String> all() {
        return Map.copyOf(reasons);
    }
}
