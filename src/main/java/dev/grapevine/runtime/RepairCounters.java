package dev.grapevine.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Merkle exchanges cost and did on this node. Kept outside the repair actor so that a restart
 * does not reset them; only that actor writes them.
 */
final class RepairCounters {
    long exchanges;
    long exchangesFailed;
    long domainsInSync;
    /** Node numbers asked for (4 bytes each) and hashes received (8 bytes each), before framing. */
    long hashBytes;
    /** Keys and values of entries pushed and pulled, before framing. */
    long entryBytes;
    long entriesSent;
    long entriesReceived;
    /** Entries that changed the receiving side's state, at either end. */
    long entriesApplied;
    /** Requests dropped because their sender is not a live member of this node's view. */
    long requestsFromStrangers;
    /** Requests sent again after a timeout, and replies ignored as late or duplicated, at the initiator. */
    long requestsResent;
    long repliesStale;
    /**
     * The answering side of peers' exchanges: requests answered (refusals included), entries pushed
     * to this node and those that changed its data, entries it served to pulls, and their keys and
     * values. Kept apart from the figures above, which count each exchange once, at the node that
     * started it, so that a sum over the cluster counts each entry once.
     */
    long servedRequests;
    long servedEntriesReceived;
    long servedEntriesApplied;
    long servedEntriesSent;
    long servedEntryBytes;

    Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("repair_exchanges", exchanges);
        m.put("repair_exchanges_failed", exchangesFailed);
        m.put("repair_domains_in_sync", domainsInSync);
        m.put("repair_hash_bytes", hashBytes);
        m.put("repair_entry_bytes", entryBytes);
        m.put("repair_entries_sent", entriesSent);
        m.put("repair_entries_received", entriesReceived);
        m.put("repair_entries_applied", entriesApplied);
        m.put("repair_requests_from_strangers", requestsFromStrangers);
        m.put("repair_requests_resent", requestsResent);
        m.put("repair_replies_stale", repliesStale);
        m.put("repair_served_requests", servedRequests);
        m.put("repair_served_entries_received", servedEntriesReceived);
        m.put("repair_served_entries_applied", servedEntriesApplied);
        m.put("repair_served_entries_sent", servedEntriesSent);
        m.put("repair_served_entry_bytes", servedEntryBytes);
        return m;
    }
}
