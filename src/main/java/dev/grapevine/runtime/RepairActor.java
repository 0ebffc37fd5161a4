package dev.grapevine.runtime;

import dev.grapevine.spi.Recoverable;
import dev.grapevine.spi.RecoveryEntry;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.repair.MerkleSession;
import dev.grapevine.core.repair.MerkleTree;
import dev.grapevine.log.GrapevineLogs;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Runs Merkle exchanges for every registered {@link Recoverable}, on both ends: as initiator for the
 * recovery coordinator's tasks, and as responder for peers' requests. An exchange makes one
 * partition agree with one peer in both directions: compare trees root first, push this node's
 * entries of the differing leaves, pull the peer's. Every request has a timeout; a timed-out or
 * refused exchange fails, and the coordinator retries it.
 *
 * <p>Bounded: trees are requested {@value #NODES_PER_REQUEST} nodes at a time, entries travel in
 * chunks of at most {@code chunkBytes}, one chunk in flight per exchange, and the coordinator limits
 * how many exchanges run at once.
 */
final class RepairActor extends AbstractBehavior<RepairActor.Command> {

    interface Command {
    }

    /**
     * Make {@code partition} of {@code domain} agree with the node at {@code peer}; a null domain: every
     * domain registered here.
     */
    record Exchange(long id, String domain, int partition, Address peer, ActorRef<ExchangeDone> replyTo) implements Command {
        Exchange(long id, int partition, Address peer, ActorRef<ExchangeDone> replyTo) {
            this(id, null, partition, peer, replyTo);
        }
    }

    record ExchangeDone(long id, boolean ok, String error) {
    }

    private record Timeout(long session) implements Command {
    }

    private enum PublishMetrics implements Command { INSTANCE }

    /** A publication of the figures is scheduled. */
    private boolean metricsDue;

    static final String NAME = "repair";
    static final int NODES_PER_REQUEST = 4096;
    /** Keys per page of digests, and per pull by keys: with keys of up to 1 KiB, well under Artery's frame. */
    static final int KEYS_PER_PAGE = 1024;
    private static final int TREE_CACHE_MAX = 32;
    /** Deepest tree a peer may ask for: what {@link MerkleTree#depthFor} ever picks (64 Ki leaves, 1 MiB). */
    private static final int DEPTH_MAX = 16;

    private final NodeContext node;
    private final TimerScheduler<Command> timers;
    private final RepairCounters counters;
    private final ActorRefResolver resolver;
    private final ActorRef<RepairMessage> self;
    private final Map<Long, Session> sessions = new HashMap<>();
    /** Trees this node built as responder, by requester and session: a descent asks for one tree many times. */
    private final Map<String, TreeAndSize> trees = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TreeAndSize> eldest) {
            return size() > TREE_CACHE_MAX;
        }
    };
    private long nextSession = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;

    static Behavior<Command> create(NodeContext node, RepairCounters counters) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new RepairActor(ctx, node, timers, counters)));
    }

    private RepairActor(ActorContext<Command> ctx, NodeContext node, TimerScheduler<Command> timers, RepairCounters counters) {
        super(ctx);
        this.node = node;
        this.timers = timers;
        this.counters = counters;
        this.resolver = ActorRefResolver.get(ctx.getSystem());
        this.self = ctx.getSelf().narrow();
        node.metrics().publish(NAME, counters.asMap());
    }

    /**
     * Figures change only while exchanges run, so they are published within
     * {@link NodeMetrics#PUBLISH_EVERY} of a message, not by a timer that would wake an idle node
     * every second for nothing.
     */
    @Override
    public Receive<Command> createReceive() {
        Receive<Command> handlers = handlers();
        return new Receive<>() {
            @Override
            public Behavior<Command> receiveMessage(Command message) throws Exception {
                if (message != PublishMetrics.INSTANCE && !metricsDue) {
                    metricsDue = true;
                    timers.startSingleTimer(PublishMetrics.INSTANCE, NodeMetrics.PUBLISH_EVERY);
                }
                return handlers.receiveMessage(message);
            }

            @Override
            public Behavior<Command> receiveSignal(org.apache.pekko.actor.typed.Signal signal) throws Exception {
                return handlers.receiveSignal(signal);
            }
        };
    }

    private Receive<Command> handlers() {
        return newReceiveBuilder()
                .onMessage(Exchange.class, this::onExchange)
                .onMessage(Timeout.class, t -> {
                    Session s = sessions.get(t.session());
                    if (s != null) {
                        fail(s, "no answer from " + s.exchange.peer() + " within " + node.settings().recovery().requestTimeout().toMillis() + " ms");
                    }
                    return this;
                })
                .onMessage(RepairMessage.TreeRequest.class, m -> guarded(m, this::onTreeRequest))
                .onMessage(RepairMessage.Push.class, m -> guarded(m, this::onPush))
                .onMessage(RepairMessage.Pull.class, m -> guarded(m, this::onPull))
                .onMessage(RepairMessage.TreeReply.class, r -> withSession(r.session(), s -> onTreeReply(s, r)))
                .onMessage(RepairMessage.PushAck.class, r -> withSession(r.session(), s -> {
                    counters.entriesApplied += r.applied();
                    pushNext(s);
                }))
                .onMessage(RepairMessage.PullReply.class, r -> withSession(r.session(), s -> onPullReply(s, r)))
                .onMessage(RepairMessage.DigestsReply.class, r -> withSession(r.session(), s -> onDigestsReply(s, r)))
                .onMessage(RepairMessage.Digests.class, m -> guarded(m, this::onDigests))
                .onMessage(RepairMessage.Refused.class, r -> withSession(r.session(), s -> fail(s, r.reason())))
                .onSignal(org.apache.pekko.actor.typed.PreRestart.class, sig -> onPreRestart())
                .onMessageEquals(PublishMetrics.INSTANCE, () -> {
                    metricsDue = false;
                    node.metrics().publish(NAME, counters.asMap());
                    return this;
                })
                .build();
    }

    // ---------------------------------------------------------------- initiator

    /** One exchange in progress: the domains still to do, and where the current one stands. */
    private static final class Session {
        final Exchange exchange;
        final ActorRef<RepairMessage> peer;
        final ArrayDeque<String> domains;
        long id;
        String domain;
        MerkleSession merkle;
        SortedMap<String, Long> localDigests;
        int[] leaves;
        Map<String, Long> remoteDigests;
        List<RecoveryEntry> toPush;
        int pushed;
        String[] toPull;
        String pullAfter;

        Session(Exchange exchange, ActorRef<RepairMessage> peer, ArrayDeque<String> domains) {
            this.exchange = exchange;
            this.peer = peer;
            this.domains = domains;
        }
    }

    private Behavior<Command> onExchange(Exchange e) {
        String path = PeerRouter.guardianPath(node.peerSystems().nameFor(e.peer()), e.peer()) + "/" + NAME;
        ActorRef<RepairMessage> peer = resolver.resolveActorRef(path);
        Session s = new Session(e, peer, new ArrayDeque<>(e.domain() == null ? node.domains().keySet() : List.of(e.domain())));
        counters.exchanges++;
        try {
            nextDomain(s);
        } catch (RuntimeException error) {
            fail(s, "error in domain " + s.domain + ": " + error);
        }
        return this;
    }

    /** A failure of this actor must not leave the coordinator waiting: every exchange under way fails. */
    private Behavior<Command> onPreRestart() {
        for (Session s : new ArrayList<>(sessions.values())) {
            s.exchange.replyTo().tell(new ExchangeDone(s.exchange.id(), false, "the repair actor restarted"));
        }
        sessions.clear();
        return this;
    }

    private void nextDomain(Session s) {
        sessions.remove(s.id);
        timers.cancel(s.id); // each domain's step runs under its own session id and timer
        String domain = s.domains.pollFirst();
        if (domain == null) {
            s.exchange.replyTo().tell(new ExchangeDone(s.exchange.id(), true, null));
            return;
        }
        Recoverable r = node.domains().get(domain);
        if (r == null) {
            nextDomain(s); // unregistered meanwhile
            return;
        }
        SortedMap<String, Long> digests = r.digests(s.exchange.partition());
        MerkleTree tree = MerkleTree.build(digests, MerkleTree.depthFor(digests.size()));
        s.id = nextSession++;
        s.domain = domain;
        s.merkle = new MerkleSession(tree, digests.size());
        s.localDigests = digests;
        s.leaves = null;
        s.remoteDigests = new HashMap<>();
        s.toPush = null;
        s.pushed = 0;
        s.toPull = null;
        s.pullAfter = null;
        sessions.put(s.id, s);
        askHashes(s);
    }

    private void askHashes(Session s) {
        int[] ask = s.merkle.nextRequest(NODES_PER_REQUEST);
        counters.hashBytes += 4L * ask.length;
        send(s, new RepairMessage.TreeRequest(s.id, s.domain, s.exchange.partition(), s.merkle.depth(), ask, self));
    }

    private void onTreeReply(Session s, RepairMessage.TreeReply r) {
        counters.hashBytes += 8L * r.hashes().length;
        s.merkle.onHashes(r.nodes(), r.hashes(), r.entries());
        if (!s.merkle.isDone()) {
            askHashes(s);
        } else if (s.merkle.inSync()) {
            counters.domainsInSync++;
            nextDomain(s);
        } else if (s.merkle.everything()) {
            // One side is empty: everything of the other travels, with no digests to compare first.
            s.toPush = node.domains().get(s.domain).entries(s.exchange.partition(), k -> true);
            pushNext(s);
        } else {
            s.leaves = s.merkle.differingLeaves().stream().mapToInt(Integer::intValue).toArray();
            askDigests(s, null);
        }
    }

    private void askDigests(Session s, String after) {
        send(s, new RepairMessage.Digests(s.id, s.domain, s.exchange.partition(), s.merkle.depth(), s.leaves, after, self));
    }

    /**
     * With the peer's key digests of the differing leaves in hand, only entries that differ travel:
     * this node's where the peer lacks the key or holds another version, the peer's likewise.
     */
    private void onDigestsReply(Session s, RepairMessage.DigestsReply r) {
        if (r.keys().length != r.digests().length) {
            fail(s, r.keys().length + " keys but " + r.digests().length + " digests");
            return;
        }
        for (int i = 0; i < r.keys().length; i++) {
            counters.hashBytes += dev.grapevine.core.member.Utf8.length(r.keys()[i]) + 8L;
            s.remoteDigests.put(r.keys()[i], r.digests()[i]);
        }
        if (r.resumeAfter() != null) {
            askDigests(s, r.resumeAfter());
            return;
        }
        Predicate<String> inLeaves = keyFilter(s.leaves, s.merkle.depth());
        java.util.Set<String> push = new HashSet<>();
        s.localDigests.forEach((k, d) -> {
            if (inLeaves.test(k) && !d.equals(s.remoteDigests.get(k))) {
                push.add(k);
            }
        });
        List<String> pull = new ArrayList<>();
        s.remoteDigests.forEach((k, d) -> {
            if (!d.equals(s.localDigests.get(k))) {
                pull.add(k);
            }
        });
        java.util.Collections.sort(pull);
        s.toPull = pull.toArray(new String[0]);
        s.toPush = push.isEmpty() ? List.of() : node.domains().get(s.domain).entries(s.exchange.partition(), push::contains);
        pushNext(s);
    }

    private void pushNext(Session s) {
        if (s.pushed >= s.toPush.size()) {
            pullNext(s);
            return;
        }
        int chunkBytes = node.settings().recovery().chunkBytes();
        List<RecoveryEntry> chunk = new ArrayList<>();
        int bytes = 0;
        while (s.pushed < s.toPush.size() && (chunk.isEmpty() || bytes + s.toPush.get(s.pushed).sizeBytes() <= chunkBytes)) {
            RecoveryEntry e = s.toPush.get(s.pushed++);
            chunk.add(e);
            bytes += e.sizeBytes();
        }
        counters.entryBytes += bytes;
        counters.entriesSent += chunk.size();
        send(s, new RepairMessage.Push(s.id, s.domain, s.exchange.partition(), chunk, self));
    }

    private void pullNext(Session s) {
        String[] keys = null;
        if (!s.merkle.everything()) {
            int from = 0;
            if (s.pullAfter != null) {
                from = java.util.Arrays.binarySearch(s.toPull, s.pullAfter);
                from = from >= 0 ? from + 1 : -from - 1;
            }
            if (from >= s.toPull.length) {
                nextDomain(s);
                return;
            }
            keys = java.util.Arrays.copyOfRange(s.toPull, from, Math.min(s.toPull.length, from + KEYS_PER_PAGE));
        }
        send(s, new RepairMessage.Pull(s.id, s.domain, s.exchange.partition(), s.merkle.depth(), null, keys, null,
                node.settings().recovery().chunkBytes(), self));
    }

    private void onPullReply(Session s, RepairMessage.PullReply r) {
        for (RecoveryEntry e : r.entries()) {
            counters.entryBytes += e.sizeBytes();
        }
        counters.entriesReceived += r.entries().size();
        if (!r.entries().isEmpty()) {
            counters.entriesApplied += node.domains().get(s.domain).apply(s.exchange.partition(), r.entries());
        }
        if (s.merkle.everything()) {
            if (r.resumeAfter() == null) {
                nextDomain(s);
                return;
            }
            send(s, new RepairMessage.Pull(s.id, s.domain, s.exchange.partition(), s.merkle.depth(), null, null,
                    r.resumeAfter(), node.settings().recovery().chunkBytes(), self));
            return;
        }
        // By keys: continue after the last key this page covered (all of it, if the page was whole).
        int from = s.pullAfter == null ? 0 : Math.abs(java.util.Arrays.binarySearch(s.toPull, s.pullAfter) + 1);
        s.pullAfter = r.resumeAfter() != null ? r.resumeAfter() : s.toPull[Math.min(s.toPull.length, from + KEYS_PER_PAGE) - 1];
        pullNext(s);
    }

    private void send(Session s, RepairMessage m) {
        timers.startSingleTimer(s.id, new Timeout(s.id), node.settings().recovery().requestTimeout());
        s.peer.tell(m);
    }

    private void fail(Session s, String reason) {
        sessions.remove(s.id);
        timers.cancel(s.id);
        counters.exchangesFailed++;
        GrapevineLogs.logger(GrapevineLogs.REPAIR).debug("exchange of partition {} with {} failed: {}",
                s.exchange.partition(), s.exchange.peer(), reason);
        s.exchange.replyTo().tell(new ExchangeDone(s.exchange.id(), false, reason));
    }

    private Behavior<Command> withSession(long id, java.util.function.Consumer<Session> step) {
        Session s = sessions.get(id);
        if (s == null) {
            return this; // late: the exchange timed out or failed already
        }
        try {
            step.accept(s);
        } catch (RuntimeException e) {
            fail(s, "error in domain " + s.domain + ": " + e);
        }
        return this;
    }

    // ---------------------------------------------------------------- responder

    /** A peer's malformed request (a null field, say) is logged and dropped; it never fails this actor. */
    private <M extends RepairMessage> Behavior<Command> guarded(M m, java.util.function.Function<M, Behavior<Command>> handler) {
        ActorRef<RepairMessage> requester = requester(m);
        if (requester != null && !fromLiveMember(requester)) {
            // Only owners exchange partitions: a stranger may neither read the data nor push entries into it.
            counters.requestsFromStrangers++;
            node.droppedInputs().repair().count("repair_requests_from_strangers", 1,
                    "repair requests from non-members dropped", "only live members exchange partitions",
                    "from " + requester.path().address());
            return this;
        }
        try {
            return handler.apply(m);
        } catch (RuntimeException e) {
            node.droppedInputs().repair().count("repair_requests_malformed", 1, "malformed repair requests dropped", null,
                    m.getClass().getSimpleName() + ": " + e);
            return this;
        }
    }

    /** Whether a request answered at {@code replyTo} comes from this node or from a live member. */
    private boolean fromLiveMember(ActorRef<RepairMessage> replyTo) {
        org.apache.pekko.actor.Address a = replyTo.path().address();
        if (a.getHost().isEmpty() || a.getPort().isEmpty()) {
            return true; // local
        }
        String host = a.getHost().get();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal in a path
        }
        return node.peerUids().liveMemberAt(new Address(host, a.getPort().get()));
    }

    private static ActorRef<RepairMessage> requester(RepairMessage m) {
        if (m instanceof RepairMessage.TreeRequest r) {
            return r.replyTo();
        } else if (m instanceof RepairMessage.Push r) {
            return r.replyTo();
        } else if (m instanceof RepairMessage.Pull r) {
            return r.replyTo();
        } else if (m instanceof RepairMessage.Digests r) {
            return r.replyTo();
        }
        return null;
    }

    /** Refuses a peer's request: the peer's exchange fails and is retried; counted and warned of here. */
    private void refuse(ActorRef<RepairMessage> replyTo, long session, String reason) {
        node.droppedInputs().repair().count("repair_requests_refused", 1, "repair requests from peers refused", "the peer's exchange fails and is retried",
                reason + " (from " + replyTo.path().address() + ")");
        replyTo.tell(new RepairMessage.Refused(session, reason));
    }

    private record TreeAndSize(MerkleTree tree, long entries) {
    }

    private Behavior<Command> onTreeRequest(RepairMessage.TreeRequest r) {
        Recoverable domain = node.domains().get(r.domain());
        if (domain == null) {
            refuse(r.replyTo(), r.session(), "no domain " + r.domain() + " on " + node.settings().name());
            return this;
        }
        if (r.depth() < 0 || r.depth() > DEPTH_MAX || r.nodes().length > NODES_PER_REQUEST) {
            refuse(r.replyTo(), r.session(), "bad tree request: depth " + r.depth() + ", " + r.nodes().length + " nodes");
            return this;
        }
        try {
            String key = r.replyTo().path() + "#" + r.session();
            TreeAndSize t = trees.get(key);
            if (t == null) {
                SortedMap<String, Long> digests = domain.digests(r.partition());
                t = new TreeAndSize(MerkleTree.build(digests, r.depth()), digests.size());
                trees.put(key, t);
            }
            long[] hashes = new long[r.nodes().length];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = t.tree().hashAt(r.nodes()[i]);
            }
            r.replyTo().tell(new RepairMessage.TreeReply(r.session(), r.nodes(), hashes, t.entries()));
        } catch (RuntimeException e) {
            refuse(r.replyTo(), r.session(), "tree of " + r.domain() + "/" + r.partition() + " failed: " + e);
        }
        return this;
    }

    private Behavior<Command> onPush(RepairMessage.Push r) {
        Recoverable domain = node.domains().get(r.domain());
        if (domain == null) {
            refuse(r.replyTo(), r.session(), "no domain " + r.domain() + " on " + node.settings().name());
            return this;
        }
        try {
            int applied = domain.apply(r.partition(), r.entries());
            r.replyTo().tell(new RepairMessage.PushAck(r.session(), applied));
        } catch (RuntimeException e) {
            refuse(r.replyTo(), r.session(), "apply to " + r.domain() + "/" + r.partition() + " failed: " + e);
        }
        return this;
    }

    private Behavior<Command> onDigests(RepairMessage.Digests r) {
        Recoverable domain = node.domains().get(r.domain());
        if (domain == null) {
            refuse(r.replyTo(), r.session(), "no domain " + r.domain() + " on " + node.settings().name());
            return this;
        }
        try {
            Predicate<String> inLeaves = keyFilter(r.leaves(), r.depth());
            List<String> keys = new ArrayList<>();
            List<Long> digests = new ArrayList<>();
            String resume = null;
            for (Map.Entry<String, Long> e : domain.digests(r.partition()).entrySet()) {
                if ((r.afterKey() != null && e.getKey().compareTo(r.afterKey()) <= 0) || !inLeaves.test(e.getKey())) {
                    continue;
                }
                if (keys.size() == KEYS_PER_PAGE) {
                    resume = keys.get(keys.size() - 1);
                    break;
                }
                keys.add(e.getKey());
                digests.add(e.getValue());
            }
            r.replyTo().tell(new RepairMessage.DigestsReply(r.session(), keys.toArray(new String[0]),
                    digests.stream().mapToLong(Long::longValue).toArray(), resume));
        } catch (RuntimeException e) {
            refuse(r.replyTo(), r.session(), "digests of " + r.domain() + "/" + r.partition() + " failed: " + e);
        }
        return this;
    }

    private Behavior<Command> onPull(RepairMessage.Pull r) {
        Recoverable domain = node.domains().get(r.domain());
        if (r.keys() != null && r.keys().length > KEYS_PER_PAGE) {
            refuse(r.replyTo(), r.session(), "a pull names " + r.keys().length + " keys; the limit is " + KEYS_PER_PAGE);
            return this;
        }
        if (domain == null) {
            refuse(r.replyTo(), r.session(), "no domain " + r.domain() + " on " + node.settings().name());
            return this;
        }
        try {
            Predicate<String> selected = r.keys() != null ? new HashSet<>(List.of(r.keys()))::contains : keyFilter(r.leaves(), r.depth());
            String after = r.afterKey();
            Predicate<String> wanted = after == null ? selected : selected.and(k -> k.compareTo(after) > 0);
            List<RecoveryEntry> page = new ArrayList<>();
            int bytes = 0;
            String resume = null;
            for (RecoveryEntry e : domain.entries(r.partition(), wanted)) {
                if (!page.isEmpty() && bytes + e.sizeBytes() > Math.min(r.maxBytes(), node.settings().recovery().chunkBytes())) {
                    resume = page.get(page.size() - 1).key();
                    break;
                }
                page.add(e);
                bytes += e.sizeBytes();
            }
            r.replyTo().tell(new RepairMessage.PullReply(r.session(), page, resume));
        } catch (RuntimeException e) {
            refuse(r.replyTo(), r.session(), "entries of " + r.domain() + "/" + r.partition() + " failed: " + e);
        }
        return this;
    }

    /** Keys in the given leaves of a tree of {@code depth}; all keys if {@code leaves} is null. */
    private static Predicate<String> keyFilter(int[] leaves, int depth) {
        if (leaves == null) {
            return k -> true;
        }
        Set<Integer> set = new HashSet<>();
        for (int leaf : leaves) {
            set.add(leaf);
        }
        return k -> set.contains(MerkleTree.leafOf(k, depth));
    }
}
