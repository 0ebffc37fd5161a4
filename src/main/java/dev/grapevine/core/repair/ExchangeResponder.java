package dev.grapevine.core.repair;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The responding side of Merkle exchanges, for all of a node's domains and peers, as a pure step
 * machine: every request gets exactly one reply, computed from the request and the store alone, so
 * a request sent again gets the same answer (a push is merged again, which changes nothing).
 *
 * <p>How to drive it: for each request from a peer, look up the store of the request's domain and
 * partition (null if this node has no such domain), call {@link #onRequest}, and execute the effect
 * returned: {@link ExchangeEffect.Send} the reply back to the requester (a
 * {@link ExchangeMessage.Refused} reply tells the peer its exchange fails: a limit, an unknown domain,
 * an error of the store), or, for {@link ExchangeEffect.Drop}, send nothing and count the malformed
 * request (a null field, say).
 *
 * <p>Bounded: a request may name at most {@code nodesPerRequest} tree nodes, a tree at most
 * {@code depthMax} deep, a pull at most {@code keysPerPage} keys; a reply carries at most
 * {@code keysPerPage} digests or {@code chunkBytes} of entries (but at least one entry). Trees are
 * built once per requester and session and kept for the descent: at most {@code treesCachedMax}, each
 * forgotten after {@code treeIdleMillis} without a request. Each page is read from the store after the
 * key the request names, never by a scan from the start. Not thread-safe.
 */
public final class ExchangeResponder {

    private final String nodeName;
    private final ExchangeLimits limits;
    private final Map<String, CachedTree> trees = new LinkedHashMap<>(16, 0.75f, true);

    private record CachedTree(MerkleTree tree, long entries, long usedMillis) {
    }

    /** @param nodeName this node's name, for refusals the peer logs */
    public ExchangeResponder(String nodeName, ExchangeLimits limits) {
        this.nodeName = nodeName;
        this.limits = limits;
    }

    /** How many trees are kept for descents under way. */
    public int treesCached() {
        return trees.size();
    }

    /**
     * Answers {@code request} from {@code requester} (any string naming the peer's replying end)
     * out of {@code store}, the request's domain and partition here, or null if this node has no such domain.
     */
    public List<ExchangeEffect> onRequest(String requester, ExchangeMessage.Request request, ExchangeStore store, long nowMillis) {
        forgetIdleTrees(nowMillis);
        if (request == null) {
            return List.of(new ExchangeEffect.Drop("no request"));
        }
        if (request instanceof ExchangeMessage.Pull p && p.keys() != null && p.keys().length > limits.keysPerPage()) {
            return refuse(request, "a pull names " + p.keys().length + " keys; the limit is " + limits.keysPerPage());
        }
        String malformed = malformed(request);
        if (malformed != null) {
            return List.of(new ExchangeEffect.Drop(request.getClass().getSimpleName() + ": " + malformed));
        }
        if (store == null) {
            return refuse(request, "no domain " + request.domain() + " on " + nodeName);
        }
        String limit = beyondLimits(request);
        if (limit != null) {
            return refuse(request, limit);
        }
        try {
            if (request instanceof ExchangeMessage.TreeRequest r) {
                return reply(tree(requester, r, store, nowMillis));
            } else if (request instanceof ExchangeMessage.Push r) {
                return reply(new ExchangeMessage.PushAck(r.session(), r.entries().isEmpty() ? 0 : store.apply(r.entries())));
            } else if (request instanceof ExchangeMessage.Digests r) {
                return reply(digests(r, store));
            } else {
                return reply(pull((ExchangeMessage.Pull) request, store));
            }
        } catch (RuntimeException e) {
            return refuse(request, what(request) + " of " + request.domain() + "/" + request.partition() + " failed: " + e);
        }
    }

    private static String malformed(ExchangeMessage.Request request) {
        if (request.domain() == null) {
            return "no domain";
        }
        if (request instanceof ExchangeMessage.TreeRequest r && r.nodes() == null) {
            return "no nodes";
        }
        if (request instanceof ExchangeMessage.Push r && (r.entries() == null || hasNull(r.entries()))) {
            return "no entries";
        }
        if (request instanceof ExchangeMessage.Digests r && r.leaves() == null) {
            return "no leaves";
        }
        if (request instanceof ExchangeMessage.Pull r && r.keys() != null && hasNull(Arrays.asList(r.keys()))) {
            return "a null key";
        }
        return null;
    }

    private static boolean hasNull(List<?> items) {
        for (Object o : items) {
            if (o == null) {
                return true;
            }
        }
        return false;
    }

    private String beyondLimits(ExchangeMessage.Request request) {
        if (request instanceof ExchangeMessage.TreeRequest r) {
            if (r.depth() < 0 || r.depth() > limits.depthMax() || r.nodes().length > limits.nodesPerRequest()) {
                return "bad tree request: depth " + r.depth() + ", " + r.nodes().length + " nodes";
            }
            int nodes = (2 << r.depth()) - 1;
            for (int n : r.nodes()) {
                if (n < 0 || n >= nodes) {
                    return "bad tree request: node " + n + " is outside a tree of depth " + r.depth();
                }
            }
        } else if (request instanceof ExchangeMessage.Digests r) {
            return badLeaves(r.depth(), r.leaves());
        } else if (request instanceof ExchangeMessage.Pull r && r.keys() == null && r.leaves() != null) {
            return badLeaves(r.depth(), r.leaves());
        }
        return null;
    }

    private String badLeaves(int depth, int[] leaves) {
        if (depth < 0 || depth > limits.depthMax() || leaves.length > (1 << depth)) {
            return "bad leaves: depth " + depth + ", " + leaves.length + " leaves";
        }
        for (int leaf : leaves) {
            if (leaf < 0 || leaf >= (1 << depth)) {
                return "bad leaves: leaf " + leaf + " is outside a tree of depth " + depth;
            }
        }
        return null;
    }

    private ExchangeMessage tree(String requester, ExchangeMessage.TreeRequest r, ExchangeStore store, long nowMillis) {
        String key = requester + "#" + r.session() + "#" + r.domain() + "/" + r.partition() + "@" + r.depth();
        CachedTree t = trees.get(key);
        if (t == null) {
            MerkleTree.Builder builder = new MerkleTree.Builder(r.depth());
            String after = null;
            while (true) {
                SortedMap<String, Long> page = store.digests(after, ExchangeInitiator.SCAN_PAGE);
                page.forEach(builder::add);
                if (page.size() < ExchangeInitiator.SCAN_PAGE) {
                    break;
                }
                after = page.lastKey();
            }
            t = new CachedTree(builder.build(r.depth()), builder.entries(), nowMillis);
        }
        trees.put(key, new CachedTree(t.tree(), t.entries(), nowMillis));
        while (trees.size() > limits.treesCachedMax()) {
            Iterator<String> eldest = trees.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        long[] hashes = new long[r.nodes().length];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = t.tree().hashAt(r.nodes()[i]);
        }
        return new ExchangeMessage.TreeReply(r.session(), r.nodes(), hashes, t.entries());
    }

    private void forgetIdleTrees(long nowMillis) {
        trees.values().removeIf(t -> nowMillis - t.usedMillis() > limits.treeIdleMillis());
    }

    /** A page of digests in the leaves, read from the store after the key asked for. */
    private ExchangeMessage digests(ExchangeMessage.Digests r, ExchangeStore store) {
        boolean[] wanted = leafMask(r.leaves(), r.depth());
        List<String> keys = new ArrayList<>();
        List<Long> digests = new ArrayList<>();
        String resume = null;
        String cursor = r.afterKey();
        scan:
        while (true) {
            SortedMap<String, Long> page = store.digests(cursor, ExchangeInitiator.SCAN_PAGE);
            for (Map.Entry<String, Long> e : page.entrySet()) {
                if (!wanted[MerkleTree.leafOf(e.getKey(), r.depth())]) {
                    continue;
                }
                if (keys.size() == limits.keysPerPage()) {
                    resume = keys.get(keys.size() - 1);
                    break scan;
                }
                keys.add(e.getKey());
                digests.add(e.getValue());
            }
            if (page.size() < ExchangeInitiator.SCAN_PAGE) {
                break;
            }
            cursor = page.lastKey();
        }
        return new ExchangeMessage.DigestsReply(r.session(), keys.toArray(new String[0]),
                digests.stream().mapToLong(Long::longValue).toArray(), resume);
    }

    private ExchangeMessage pull(ExchangeMessage.Pull r, ExchangeStore store) {
        int maxBytes = Math.max(1, Math.min(r.maxBytes(), limits.chunkBytes()));
        if (r.keys() == null && r.leaves() == null) {
            List<ExchangeEntry> page = store.entries(r.afterKey(), maxBytes);
            boolean more = !page.isEmpty() && !store.digests(page.get(page.size() - 1).key(), 1).isEmpty();
            return new ExchangeMessage.PullReply(r.session(), page, more ? page.get(page.size() - 1).key() : null);
        }
        List<ExchangeEntry> page = new ArrayList<>();
        int bytes = 0;
        KeySource keys = r.keys() != null ? new AskedKeys(r.keys(), r.afterKey()) : new KeysInLeaves(store, r.leaves(), r.depth(), r.afterKey());
        for (List<String> batch = keys.next(); !batch.isEmpty(); batch = keys.next()) {
            for (ExchangeEntry e : store.entriesOf(batch)) {
                if (!page.isEmpty() && bytes + e.sizeBytes() > maxBytes) {
                    return new ExchangeMessage.PullReply(r.session(), page, page.get(page.size() - 1).key());
                }
                page.add(e);
                bytes += e.sizeBytes();
            }
        }
        return new ExchangeMessage.PullReply(r.session(), page, null);
    }

    /** Keys to read entries of, a batch at a time; an empty batch ends them. */
    private interface KeySource {
        List<String> next();
    }

    private static final class AskedKeys implements KeySource {
        private final String[] keys;
        private int from;

        AskedKeys(String[] asked, String afterKey) {
            String[] sorted = asked.clone();
            Arrays.sort(sorted);
            this.keys = sorted;
            while (afterKey != null && from < keys.length && keys[from].compareTo(afterKey) <= 0) {
                from++;
            }
        }

        @Override
        public List<String> next() {
            int to = Math.min(keys.length, from + ExchangeInitiator.READ_BATCH);
            List<String> batch = Arrays.asList(keys).subList(from, to);
            from = to;
            return batch;
        }
    }

    private static final class KeysInLeaves implements KeySource {
        private final ExchangeStore store;
        private final boolean[] wanted;
        private final int depth;
        private String cursor;
        private boolean end;

        KeysInLeaves(ExchangeStore store, int[] leaves, int depth, String afterKey) {
            this.store = store;
            this.wanted = leafMask(leaves, depth);
            this.depth = depth;
            this.cursor = afterKey;
        }

        @Override
        public List<String> next() {
            List<String> batch = new ArrayList<>();
            while (!end && batch.isEmpty()) {
                SortedMap<String, Long> page = store.digests(cursor, ExchangeInitiator.READ_BATCH);
                for (String k : page.keySet()) {
                    if (wanted[MerkleTree.leafOf(k, depth)]) {
                        batch.add(k);
                    }
                }
                end = page.size() < ExchangeInitiator.READ_BATCH;
                if (!page.isEmpty()) {
                    cursor = page.lastKey();
                }
            }
            return batch;
        }
    }

    private static boolean[] leafMask(int[] leaves, int depth) {
        boolean[] mask = new boolean[1 << depth];
        for (int leaf : leaves) {
            mask[leaf] = true;
        }
        return mask;
    }

    private static List<ExchangeEffect> reply(ExchangeMessage m) {
        return List.of(new ExchangeEffect.Send(m));
    }

    private static List<ExchangeEffect> refuse(ExchangeMessage.Request r, String reason) {
        return List.of(new ExchangeEffect.Send(new ExchangeMessage.Refused(r.session(), reason)));
    }

    private static String what(ExchangeMessage.Request r) {
        if (r instanceof ExchangeMessage.TreeRequest) {
            return "tree";
        } else if (r instanceof ExchangeMessage.Push) {
            return "apply to";
        } else if (r instanceof ExchangeMessage.Digests) {
            return "digests";
        }
        return "entries";
    }
}
