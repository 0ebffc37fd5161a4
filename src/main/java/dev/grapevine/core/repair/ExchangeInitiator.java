package dev.grapevine.core.repair;

import dev.grapevine.core.member.Utf8;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The initiating side of one Merkle exchange of one partition of one domain with one peer, as a pure
 * step machine: it makes both sides hold each other's versions of every entry, moving only entries
 * that differ.
 *
 * <p>How it goes: compare trees root first ({@link MerkleSession}) until the differing leaves are
 * known; then, a page at a time in key order, fetch the peer's key digests in those leaves, compare
 * them with this side's in the same key range, push this side's entries the peer lacks or holds
 * otherwise (chunks of at most {@code chunkBytes}), and pull the peer's likewise, then the next page.
 * When one side is empty the descent stops at the root and every entry of the other side travels,
 * with no digests first. At most one request is in flight, and this side holds at most a page of
 * digests and a chunk of entries at once.
 *
 * <p>How to drive it:
 * <ol>
 * <li>construct it with an exchange id whose low {@link #SEQUENCE_BITS} bits are zero (see
 *     {@link #isExchangeId}), the domain, partition, this side's {@link ExchangeStore} and the limits;</li>
 * <li>call {@link #start} once, then {@link #onMessage} with every reply whose
 *     {@link #exchangeOf exchangeOf(session)} is this exchange's id, and {@link #onTime} when
 *     {@link #wakeAtMillis()} has come (earlier or extra calls are harmless);</li>
 * <li>execute the returned effects in order: {@link ExchangeEffect.Send} a request to the peer's
 *     {@link ExchangeResponder}; {@link ExchangeEffect.Done} ends the exchange (nothing more is
 *     returned after it).</li>
 * </ol>
 * Duplicated, late and reordered replies are ignored (counted in {@link ExchangeStats#staleReplies}).
 * A request not answered within {@code requestTimeoutMillis} is sent again as it was, up to
 * {@code resendsMax} times, and the exchange resumes from where it stood; the responder answers a
 * repeated request as it did the first time. Tree requests all carry the exchange id itself (the
 * responder keeps the tree under it), and their replies are matched by the nodes they name; every
 * other request carries the id plus its sequence number.
 *
 * <p>Reads and merges go to the store synchronously: a store that throws fails the exchange.
 * Not thread-safe; one thread at a time, as an actor does.
 */
public final class ExchangeInitiator {

    /** The low bits of a session number the requests of an exchange. */
    public static final int SEQUENCE_BITS = 24;
    private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;
    /** Digests read from the store at a time while scanning it. */
    static final int SCAN_PAGE = 4096;
    /** Keys whose entries are read from the store at a time while filling a chunk. */
    static final int READ_BATCH = 64;

    private enum Phase { NEW, TREE, DIGESTS, PUSH, PULL, PUSH_ALL, PULL_ALL, DONE }

    private final long exchangeId;
    private final String domain;
    private final int partition;
    private final ExchangeStore store;
    private final ExchangeLimits limits;

    private Phase phase = Phase.NEW;
    private long sequence;
    private ExchangeMessage outstanding;
    private long deadlineMillis = Long.MAX_VALUE;
    private int resends;

    private MerkleSession merkle;
    private long localEntries;
    private long remoteEntries;
    private int[] leaves;
    private boolean[] inLeaves;
    /** The current round covers keys after {@code roundAfter} up to {@code roundEnd} (null: to the end). */
    private String roundAfter;
    private String roundEnd;
    private List<String> pushKeys = List.of();
    private int pushIndex;
    private final ArrayDeque<ExchangeEntry> pending = new ArrayDeque<>();
    private String[] pullKeys = new String[0];
    private int pullFrom;
    private String[] pullAsked;
    /** Push-all and pull-all: the last key moved. */
    private String allAfter;

    private long hashBytes;
    private long entryBytes;
    private long entriesSent;
    private long entriesReceived;
    private long entriesApplied;
    private long requests;
    private long resendCount;
    private long staleReplies;
    private boolean inSync;

    public ExchangeInitiator(long exchangeId, String domain, int partition, ExchangeStore store, ExchangeLimits limits) {
        if (!isExchangeId(exchangeId)) {
            throw new IllegalArgumentException("exchange id " + exchangeId + " must be non-negative with its low " + SEQUENCE_BITS + " bits zero");
        }
        if (domain == null || store == null || limits == null) {
            throw new IllegalArgumentException("an exchange needs a domain, a store and limits");
        }
        this.exchangeId = exchangeId;
        this.domain = domain;
        this.partition = partition;
        this.store = store;
        this.limits = limits;
    }

    /** The exchange a reply's session belongs to. */
    public static long exchangeOf(long session) {
        return session & ~SEQUENCE_MASK;
    }

    /** Whether {@code id} can name an exchange: non-negative, low {@link #SEQUENCE_BITS} bits zero. */
    public static boolean isExchangeId(long id) {
        return id >= 0 && (id & SEQUENCE_MASK) == 0;
    }

    /** An exchange id from any 64 random bits. */
    public static long exchangeIdFrom(long randomBits) {
        return randomBits & Long.MAX_VALUE & ~SEQUENCE_MASK;
    }

    public long exchangeId() {
        return exchangeId;
    }

    public String domain() {
        return domain;
    }

    public int partition() {
        return partition;
    }

    public boolean isDone() {
        return phase == Phase.DONE;
    }

    /** When {@link #onTime} next has something to do; {@link Long#MAX_VALUE} when nothing is awaited. */
    public long wakeAtMillis() {
        return phase == Phase.DONE || outstanding == null ? Long.MAX_VALUE : deadlineMillis;
    }

    public ExchangeStats stats() {
        return new ExchangeStats(hashBytes, entryBytes, entriesSent, entriesReceived, entriesApplied, requests, resendCount,
                staleReplies, inSync);
    }

    /** Builds this side's tree (one scan of the store, a page at a time) and asks for the peer's root. */
    public List<ExchangeEffect> start(long nowMillis) {
        if (phase != Phase.NEW) {
            throw new IllegalStateException("exchange " + exchangeId + " started twice");
        }
        try {
            MerkleTree.Builder builder = new MerkleTree.Builder(ExchangeLimits.DEPTH_MAX);
            String after = null;
            while (true) {
                SortedMap<String, Long> page = store.digests(after, SCAN_PAGE);
                page.forEach(builder::add);
                if (page.size() < SCAN_PAGE) {
                    break;
                }
                after = page.lastKey();
            }
            localEntries = builder.entries();
            merkle = new MerkleSession(builder.build(Math.min(limits.depthMax(), MerkleTree.depthFor(localEntries))), localEntries);
            phase = Phase.TREE;
            return askHashes(nowMillis);
        } catch (RuntimeException e) {
            return fail("error in domain " + domain + ": " + e);
        }
    }

    /** A reply from the peer; one that answers no request outstanding is ignored. */
    public List<ExchangeEffect> onMessage(ExchangeMessage reply, long nowMillis) {
        if (phase == Phase.DONE || phase == Phase.NEW || reply == null || outstanding == null) {
            return List.of();
        }
        if (reply instanceof ExchangeMessage.Refused r) {
            if (exchangeOf(r.session()) != exchangeId) {
                return stale();
            }
            return fail("refused: " + r.reason());
        }
        if (!answersOutstanding(reply)) {
            return stale();
        }
        outstanding = null;
        deadlineMillis = Long.MAX_VALUE;
        try {
            if (reply instanceof ExchangeMessage.TreeReply r) {
                return onTreeReply(r, nowMillis);
            } else if (reply instanceof ExchangeMessage.DigestsReply r) {
                return onDigestsReply(r, nowMillis);
            } else if (reply instanceof ExchangeMessage.PushAck r) {
                entriesApplied += Math.max(0, r.applied());
                return phase == Phase.PUSH_ALL ? pushAllNext(nowMillis) : pushNext(nowMillis);
            } else if (reply instanceof ExchangeMessage.PullReply r) {
                return onPullReply(r, nowMillis);
            }
            return fail("unexpected reply " + reply.getClass().getSimpleName());
        } catch (BadReply e) {
            return fail("bad reply from the peer: " + e.getMessage());
        } catch (RuntimeException e) {
            return fail("error in domain " + domain + ": " + e);
        }
    }

    /**
     * Time passes: a request unanswered past its deadline is sent again as it was, or, after
     * {@code resendsMax} resends, the exchange fails.
     */
    public List<ExchangeEffect> onTime(long nowMillis) {
        if (phase == Phase.DONE || outstanding == null || nowMillis < deadlineMillis) {
            return List.of();
        }
        if (resends >= limits.resendsMax()) {
            return fail("no answer within " + limits.requestTimeoutMillis() + " ms to a " + kind(outstanding)
                    + " (" + (resends + 1) + " tries)");
        }
        resends++;
        resendCount++;
        requests++;
        deadlineMillis = nowMillis + limits.requestTimeoutMillis();
        return List.of(new ExchangeEffect.Send(outstanding));
    }

    // ------------------------------------------------------------------ steps

    private List<ExchangeEffect> askHashes(long nowMillis) {
        int[] ask = merkle.nextRequest(limits.nodesPerRequest());
        hashBytes += 4L * ask.length;
        return send(new ExchangeMessage.TreeRequest(exchangeId, domain, partition, merkle.depth(), ask), nowMillis);
    }

    private List<ExchangeEffect> onTreeReply(ExchangeMessage.TreeReply r, long nowMillis) {
        if (r.hashes() == null || r.hashes().length != r.nodes().length) {
            throw new BadReply("a tree reply with " + r.nodes().length + " nodes but "
                    + (r.hashes() == null ? "no" : String.valueOf(r.hashes().length)) + " hashes");
        }
        hashBytes += 8L * r.hashes().length;
        remoteEntries = r.entries();
        merkle.onHashes(r.nodes(), r.hashes(), r.entries());
        if (!merkle.isDone()) {
            return askHashes(nowMillis);
        }
        if (merkle.inSync()) {
            inSync = true;
            return done();
        }
        if (merkle.everything()) {
            // One side is empty: everything of the other travels, with no digests to compare first.
            allAfter = null;
            if (localEntries > 0) {
                phase = Phase.PUSH_ALL;
                return pushAllNext(nowMillis);
            }
            phase = Phase.PULL_ALL;
            return pullAllNext(nowMillis);
        }
        leaves = merkle.differingLeaves().stream().mapToInt(Integer::intValue).toArray();
        inLeaves = new boolean[1 << merkle.depth()];
        for (int leaf : leaves) {
            inLeaves[leaf] = true;
        }
        roundAfter = null;
        return askDigests(nowMillis);
    }

    private List<ExchangeEffect> askDigests(long nowMillis) {
        phase = Phase.DIGESTS;
        return send(new ExchangeMessage.Digests(nextSession(), domain, partition, merkle.depth(), leaves, roundAfter), nowMillis);
    }

    /**
     * A page of the peer's digests covers its keys after {@code roundAfter} up to its last one (to the
     * end if it is the last page). This side's keys of the same range, at most a page, are compared
     * with it; if this side has more there, the round ends at its last key read, and the next page
     * of the peer's digests starts after that.
     */
    private List<ExchangeEffect> onDigestsReply(ExchangeMessage.DigestsReply r, long nowMillis) {
        String[] keys = r.keys();
        long[] digests = r.digests();
        if (keys == null || digests == null || keys.length != digests.length) {
            throw new BadReply("a digests page with " + (keys == null ? "no" : keys.length) + " keys but "
                    + (digests == null ? "no" : String.valueOf(digests.length)) + " digests");
        }
        if (keys.length > limits.keysPerPage()) {
            throw new BadReply("a digests page of " + keys.length + " keys; the limit is " + limits.keysPerPage());
        }
        String previous = roundAfter;
        for (String k : keys) {
            if (k == null || (previous != null && k.compareTo(previous) <= 0) || !inLeaves[MerkleTree.leafOf(k, merkle.depth())]) {
                throw new BadReply("a digests page out of order or outside the leaves asked for, at key " + k);
            }
            previous = k;
            hashBytes += Utf8.length(k) + 8L;
        }
        if (r.resumeAfter() != null && (keys.length == 0 || !r.resumeAfter().equals(keys[keys.length - 1]))) {
            throw new BadReply("a digests page that resumes after " + r.resumeAfter() + ", not after its last key");
        }
        String end = r.resumeAfter();
        SortedMap<String, Long> local = localDigestsInLeaves(roundAfter, end);
        if (local.size() > limits.keysPerPage()) {
            // This side is denser here: the round stops at the last of its keys it will compare.
            String last = local.lastKey();
            local.remove(last);
            end = local.lastKey();
        }
        roundEnd = end;
        SortedMap<String, Long> remote = new TreeMap<>();
        for (int i = 0; i < keys.length && (end == null || keys[i].compareTo(end) <= 0); i++) {
            remote.put(keys[i], digests[i]);
        }
        List<String> push = new ArrayList<>();
        local.forEach((k, d) -> {
            if (!d.equals(remote.get(k))) {
                push.add(k);
            }
        });
        List<String> pull = new ArrayList<>();
        remote.forEach((k, d) -> {
            if (!d.equals(local.get(k))) {
                pull.add(k);
            }
        });
        pushKeys = push;
        pushIndex = 0;
        pending.clear();
        pullKeys = pull.toArray(new String[0]);
        pullFrom = 0;
        phase = Phase.PUSH;
        return pushNext(nowMillis);
    }

    /**
     * This side's digests in the differing leaves after {@code after} up to {@code end} (null: to the
     * end), at most one more than a page (the extra one says the range holds more).
     */
    private SortedMap<String, Long> localDigestsInLeaves(String after, String end) {
        SortedMap<String, Long> out = new TreeMap<>();
        String cursor = after;
        while (true) {
            SortedMap<String, Long> page = store.digests(cursor, SCAN_PAGE);
            for (Map.Entry<String, Long> e : page.entrySet()) {
                if (end != null && e.getKey().compareTo(end) > 0) {
                    return out;
                }
                if (inLeaves[MerkleTree.leafOf(e.getKey(), merkle.depth())]) {
                    out.put(e.getKey(), e.getValue());
                    if (out.size() > limits.keysPerPage()) {
                        return out;
                    }
                }
            }
            if (page.size() < SCAN_PAGE) {
                return out;
            }
            cursor = page.lastKey();
        }
    }

    private List<ExchangeEffect> pushNext(long nowMillis) {
        List<ExchangeEntry> chunk = new ArrayList<>();
        int bytes = 0;
        while (true) {
            if (pending.isEmpty() && pushIndex < pushKeys.size()) {
                int to = Math.min(pushKeys.size(), pushIndex + READ_BATCH);
                pending.addAll(store.entriesOf(pushKeys.subList(pushIndex, to)));
                pushIndex = to;
                continue;
            }
            ExchangeEntry next = pending.peekFirst();
            if (next == null || (!chunk.isEmpty() && bytes + next.sizeBytes() > limits.chunkBytes())) {
                break;
            }
            chunk.add(pending.pollFirst());
            bytes += next.sizeBytes();
        }
        if (chunk.isEmpty()) {
            phase = Phase.PULL;
            return pullNext(nowMillis);
        }
        return push(chunk, bytes, nowMillis);
    }

    private List<ExchangeEffect> push(List<ExchangeEntry> chunk, int bytes, long nowMillis) {
        entryBytes += bytes;
        entriesSent += chunk.size();
        return send(new ExchangeMessage.Push(nextSession(), domain, partition, List.copyOf(chunk)), nowMillis);
    }

    private List<ExchangeEffect> pullNext(long nowMillis) {
        if (pullFrom >= pullKeys.length) {
            return endRound(nowMillis);
        }
        pullAsked = Arrays.copyOfRange(pullKeys, pullFrom, Math.min(pullKeys.length, pullFrom + limits.keysPerPage()));
        return send(new ExchangeMessage.Pull(nextSession(), domain, partition, merkle.depth(), null, pullAsked, null,
                limits.chunkBytes()), nowMillis);
    }

    private List<ExchangeEffect> endRound(long nowMillis) {
        if (roundEnd == null) {
            return done();
        }
        roundAfter = roundEnd;
        return askDigests(nowMillis);
    }

    private List<ExchangeEffect> onPullReply(ExchangeMessage.PullReply r, long nowMillis) {
        List<ExchangeEntry> entries = r.entries() == null ? List.of() : r.entries();
        if (phase == Phase.PULL_ALL) {
            checkAscending(entries, allAfter, null);
            if (r.resumeAfter() != null && (entries.isEmpty() || !r.resumeAfter().equals(entries.get(entries.size() - 1).key()))) {
                throw new BadReply("a page that resumes after " + r.resumeAfter() + ", not after its last key");
            }
            receive(entries);
            if (r.resumeAfter() == null) {
                return done();
            }
            allAfter = r.resumeAfter();
            return pullAllNext(nowMillis);
        }
        checkAscending(entries, null, pullAsked);
        if (r.resumeAfter() != null && (entries.isEmpty() || !r.resumeAfter().equals(entries.get(entries.size() - 1).key()))) {
            throw new BadReply("a page that resumes after " + r.resumeAfter() + ", not after its last key");
        }
        receive(entries);
        if (r.resumeAfter() == null) {
            pullFrom += pullAsked.length;
        } else {
            int at = Arrays.binarySearch(pullAsked, r.resumeAfter());
            pullFrom += at + 1; // the keys up to the last one sent are done; present or not
        }
        return pullNext(nowMillis);
    }

    private void receive(List<ExchangeEntry> entries) {
        for (ExchangeEntry e : entries) {
            entryBytes += e.sizeBytes();
        }
        entriesReceived += entries.size();
        if (!entries.isEmpty()) {
            entriesApplied += store.apply(entries);
        }
    }

    /** Entries in ascending key order, after {@code after}, and among {@code asked} (ascending) if given. */
    private static void checkAscending(List<ExchangeEntry> entries, String after, String[] asked) {
        String previous = after;
        for (ExchangeEntry e : entries) {
            if (e == null || (previous != null && e.key().compareTo(previous) <= 0)) {
                throw new BadReply("entries out of order at " + (e == null ? "null" : e.key()));
            }
            if (asked != null && Arrays.binarySearch(asked, e.key()) < 0) {
                throw new BadReply("an entry not asked for: " + e.key());
            }
            previous = e.key();
        }
    }

    private List<ExchangeEffect> pushAllNext(long nowMillis) {
        List<ExchangeEntry> chunk = store.entries(allAfter, limits.chunkBytes());
        if (chunk.isEmpty()) {
            if (remoteEntries > 0) {
                phase = Phase.PULL_ALL;
                allAfter = null;
                return pullAllNext(nowMillis);
            }
            return done();
        }
        allAfter = chunk.get(chunk.size() - 1).key();
        int bytes = 0;
        for (ExchangeEntry e : chunk) {
            bytes += e.sizeBytes();
        }
        return push(chunk, bytes, nowMillis);
    }

    private List<ExchangeEffect> pullAllNext(long nowMillis) {
        return send(new ExchangeMessage.Pull(nextSession(), domain, partition, merkle.depth(), null, null, allAfter,
                limits.chunkBytes()), nowMillis);
    }

    // ------------------------------------------------------------------ plumbing

    private long nextSession() {
        if (sequence >= SEQUENCE_MASK) {
            throw new IllegalStateException("the exchange needs more than " + SEQUENCE_MASK + " requests");
        }
        return exchangeId | ++sequence;
    }

    private List<ExchangeEffect> send(ExchangeMessage request, long nowMillis) {
        outstanding = request;
        resends = 0;
        requests++;
        deadlineMillis = nowMillis + limits.requestTimeoutMillis();
        return List.of(new ExchangeEffect.Send(request));
    }

    private boolean answersOutstanding(ExchangeMessage reply) {
        if (reply.session() != outstanding.session()) {
            return false;
        }
        if (outstanding instanceof ExchangeMessage.TreeRequest q) {
            return reply instanceof ExchangeMessage.TreeReply r && Arrays.equals(q.nodes(), r.nodes());
        }
        if (outstanding instanceof ExchangeMessage.Digests) {
            return reply instanceof ExchangeMessage.DigestsReply;
        }
        if (outstanding instanceof ExchangeMessage.Push) {
            return reply instanceof ExchangeMessage.PushAck;
        }
        return reply instanceof ExchangeMessage.PullReply;
    }

    private List<ExchangeEffect> stale() {
        staleReplies++;
        return List.of();
    }

    private List<ExchangeEffect> done() {
        phase = Phase.DONE;
        outstanding = null;
        return List.of(new ExchangeEffect.Done(true, null));
    }

    private List<ExchangeEffect> fail(String reason) {
        phase = Phase.DONE;
        outstanding = null;
        return List.of(new ExchangeEffect.Done(false, reason));
    }

    private static String kind(ExchangeMessage request) {
        if (request instanceof ExchangeMessage.TreeRequest) {
            return "tree request";
        } else if (request instanceof ExchangeMessage.Digests) {
            return "digests request";
        } else if (request instanceof ExchangeMessage.Push) {
            return "push";
        }
        return "pull";
    }

    /** A reply that breaks the protocol: the exchange fails with its description. */
    private static final class BadReply extends RuntimeException {
        BadReply(String message) {
            super(message, null, false, false);
        }
    }
}
