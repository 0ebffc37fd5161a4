package dev.grapevine.core.repair;

/**
 * The bounds of an exchange, on both sides.
 *
 * @param nodesPerRequest      tree nodes asked for in one request (and the most a responder serves)
 * @param keysPerPage          key digests per page, and keys per pull by keys (and the most a responder serves)
 * @param chunkBytes           entry bytes per push or pull page; one page is in flight per exchange
 * @param depthMax             deepest tree a responder builds for a peer
 * @param requestTimeoutMillis how long the initiator waits for a reply before sending the request again
 * @param resendsMax           how many times one request is sent again before the exchange fails
 * @param treesCachedMax       trees a responder keeps for descents under way
 * @param treeIdleMillis       a responder forgets a tree not asked about for this long
 */
public record ExchangeLimits(int nodesPerRequest, int keysPerPage, int chunkBytes, int depthMax,
                             long requestTimeoutMillis, int resendsMax, int treesCachedMax, long treeIdleMillis) {

    public static final int NODES_PER_REQUEST = 4096;
    /** With keys of up to 1 KiB, a page stays well under Artery's frame. */
    public static final int KEYS_PER_PAGE = 1024;
    /** What {@link MerkleTree#depthFor} ever picks (64 Ki leaves, 1 MiB). */
    public static final int DEPTH_MAX = 16;
    public static final int RESENDS_MAX = 2;
    public static final int TREES_CACHED_MAX = 32;

    public ExchangeLimits {
        if (nodesPerRequest < 1 || keysPerPage < 1 || chunkBytes < 1 || depthMax < 0 || depthMax > MerkleTree.DEPTH_MAX
                || requestTimeoutMillis < 1 || resendsMax < 0 || treesCachedMax < 1 || treeIdleMillis < 1) {
            throw new IllegalArgumentException("bad exchange limits: " + nodesPerRequest + " nodes, " + keysPerPage + " keys, "
                    + chunkBytes + " bytes, depth " + depthMax + ", " + requestTimeoutMillis + " ms, " + resendsMax + " resends, "
                    + treesCachedMax + " trees, " + treeIdleMillis + " ms idle");
        }
    }

    /** The limits a node uses, with its configured chunk size and request timeout. */
    public static ExchangeLimits of(int chunkBytes, long requestTimeoutMillis) {
        return new ExchangeLimits(NODES_PER_REQUEST, KEYS_PER_PAGE, chunkBytes, DEPTH_MAX, requestTimeoutMillis,
                RESENDS_MAX, TREES_CACHED_MAX, 10 * requestTimeoutMillis);
    }
}
