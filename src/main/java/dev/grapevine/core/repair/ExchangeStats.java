package dev.grapevine.core.repair;

/**
 * What one exchange cost and did so far, as its initiator counts it (before framing).
 *
 * @param hashBytes       node numbers asked for (4 bytes each), hashes received (8 each), and key digests received (key + 8)
 * @param entryBytes      keys and values of entries pushed and pulled
 * @param entriesSent     entries pushed to the peer
 * @param entriesReceived entries pulled from the peer
 * @param entriesApplied  entries that changed either side's state
 * @param requests        requests sent, resends included
 * @param resends         requests sent again after a timeout
 * @param staleReplies    replies ignored because they answer no request outstanding (late or duplicated)
 * @param inSync          the trees agreed: nothing had to travel
 */
public record ExchangeStats(long hashBytes, long entryBytes, long entriesSent, long entriesReceived, long entriesApplied,
                            long requests, long resends, long staleReplies, boolean inSync) {
}
