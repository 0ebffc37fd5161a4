package dev.grapevine.runtime;

import dev.grapevine.spi.Recoverable;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.repair.ExchangeEffect;
import dev.grapevine.core.repair.ExchangeInitiator;
import dev.grapevine.core.repair.ExchangeLimits;
import dev.grapevine.core.repair.ExchangeMessage;
import dev.grapevine.core.repair.ExchangeResponder;
import dev.grapevine.core.repair.ExchangeStats;
import dev.grapevine.core.repair.ExchangeStore;
import dev.grapevine.log.GrapevineLogs;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The shell of the Merkle exchanges of every registered {@link Recoverable}, on both ends: as
 * initiator for the recovery coordinator's tasks, one {@link ExchangeInitiator} per domain of a task
 * in turn, and as responder for peers' requests, through one {@link ExchangeResponder}. The machines
 * decide everything (what to ask, what differs, what to push and pull, when to send a request again,
 * when to give up); this actor feeds them replies and time, reads and merges through the domains'
 * pages ({@link RecoverableExchangeStore}), sends their messages ({@link RepairWire}), and counts.
 *
 * <p>Bounded: trees are requested {@value #NODES_PER_REQUEST} nodes at a time, digests and pulls
 * {@value #KEYS_PER_PAGE} keys at a time, entries travel in chunks of at most {@code chunkBytes}, one
 * request in flight per exchange, and the coordinator limits how many exchanges run at once. A request
 * unanswered within its share of the request timeout is sent again ({@value ExchangeLimits#RESENDS_MAX}
 * times at most); unanswered within the whole timeout, its exchange fails and the coordinator retries it.
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

    private record Timeout(long exchange) implements Command {
    }

    private enum PublishMetrics implements Command { INSTANCE }

    /** A publication of the figures is scheduled. */
    private boolean metricsDue;

    static final String NAME = "repair";
    static final int NODES_PER_REQUEST = ExchangeLimits.NODES_PER_REQUEST;
    /** Keys per page of digests, and per pull by keys: with keys of up to 1 KiB, well under Artery's frame. */
    static final int KEYS_PER_PAGE = ExchangeLimits.KEYS_PER_PAGE;

    private final NodeContext node;
    private final TimerScheduler<Command> timers;
    private final RepairCounters counters;
    private final ActorRefResolver resolver;
    private final ActorRef<RepairMessage> self;
    private final ExchangeLimits limits;
    private final ExchangeResponder responder;
    /** Exchanges under way, by the id of their current domain's machine. */
    private final Map<Long, Session> sessions = new HashMap<>();
    private long nextExchange = ExchangeInitiator.exchangeIdFrom(ThreadLocalRandom.current().nextLong());

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
        this.limits = ExchangeLimits.within(node.settings().recovery().chunkBytes(), node.settings().recovery().requestTimeout().toMillis());
        this.responder = new ExchangeResponder(node.settings().name(), limits);
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
                .onMessage(Timeout.class, t -> step(t.exchange(), s -> s.machine.onTime(nowMillis())))
                .onMessage(RepairMessage.TreeRequest.class, this::onRequest)
                .onMessage(RepairMessage.Push.class, this::onRequest)
                .onMessage(RepairMessage.Pull.class, this::onRequest)
                .onMessage(RepairMessage.Digests.class, this::onRequest)
                .onMessage(RepairMessage.class, this::onReply)
                .onSignal(org.apache.pekko.actor.typed.PreRestart.class, sig -> onPreRestart())
                .onMessageEquals(PublishMetrics.INSTANCE, () -> {
                    metricsDue = false;
                    node.metrics().publish(NAME, counters.asMap());
                    return this;
                })
                .build();
    }

    private long nowMillis() {
        return (System.nanoTime() - node.originNanos()) / 1_000_000;
    }

    // ---------------------------------------------------------------- initiator

    /** One exchange in progress: the domains still to do, and the machine of the current one. */
    private static final class Session {
        final Exchange exchange;
        final ActorRef<RepairMessage> peer;
        final ArrayDeque<String> domains;
        ExchangeInitiator machine;
        /** The machine's figures already added to the counters. */
        ExchangeStats counted;

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
        nextDomain(s);
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
        if (s.machine != null) {
            sessions.remove(s.machine.exchangeId());
            timers.cancel(s.machine.exchangeId());
            s.machine = null;
        }
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
        long id = nextExchange;
        nextExchange = ExchangeInitiator.exchangeIdFrom(nextExchange + (1L << ExchangeInitiator.SEQUENCE_BITS));
        s.machine = new ExchangeInitiator(id, domain, s.exchange.partition(), new RecoverableExchangeStore(r, s.exchange.partition()), limits);
        s.counted = s.machine.stats();
        sessions.put(id, s);
        execute(s, s.machine.start(nowMillis()));
    }

    /** A reply from a peer, to the exchange its session names; late ones (the exchange is over) are dropped. */
    private Behavior<Command> onReply(RepairMessage m) {
        ExchangeMessage reply = RepairWire.toCore(m);
        return step(ExchangeInitiator.exchangeOf(reply.session()), s -> s.machine.onMessage(reply, nowMillis()));
    }

    private Behavior<Command> step(long exchange, java.util.function.Function<Session, List<ExchangeEffect>> input) {
        Session s = sessions.get(exchange);
        if (s == null) {
            return this; // late: the exchange ended already
        }
        List<ExchangeEffect> effects;
        try {
            effects = input.apply(s);
        } catch (RuntimeException e) {
            effects = List.of(new ExchangeEffect.Done(false, "error in domain " + s.machine.domain() + ": " + e));
        }
        execute(s, effects);
        return this;
    }

    private void execute(Session s, List<ExchangeEffect> effects) {
        ExchangeInitiator machine = s.machine;
        count(s, machine.stats());
        for (ExchangeEffect effect : effects) {
            if (effect instanceof ExchangeEffect.Send send) {
                s.peer.tell(RepairWire.toWire(send.message(), self));
            } else if (effect instanceof ExchangeEffect.Done done) {
                if (!done.ok()) {
                    fail(s, done.reason());
                    return;
                }
                if (machine.stats().inSync()) {
                    counters.domainsInSync++;
                }
                nextDomain(s);
                return;
            }
        }
        long wakeAt = machine.wakeAtMillis();
        if (wakeAt != Long.MAX_VALUE) {
            timers.startSingleTimer(machine.exchangeId(), new Timeout(machine.exchangeId()),
                    java.time.Duration.ofMillis(Math.max(0, wakeAt - nowMillis())));
        }
    }

    /** Adds what the machine did since the last count to this node's figures. */
    private void count(Session s, ExchangeStats now) {
        ExchangeStats before = s.counted;
        counters.hashBytes += now.hashBytes() - before.hashBytes();
        counters.entryBytes += now.entryBytes() - before.entryBytes();
        counters.entriesSent += now.entriesSent() - before.entriesSent();
        counters.entriesReceived += now.entriesReceived() - before.entriesReceived();
        counters.entriesApplied += now.entriesApplied() - before.entriesApplied();
        counters.requestsResent += now.resends() - before.resends();
        counters.repliesStale += now.staleReplies() - before.staleReplies();
        s.counted = now;
    }

    private void fail(Session s, String reason) {
        if (s.machine != null) {
            sessions.remove(s.machine.exchangeId());
            timers.cancel(s.machine.exchangeId());
        }
        counters.exchangesFailed++;
        String why = "domain " + (s.machine == null ? "?" : s.machine.domain()) + ", peer " + s.exchange.peer() + ": " + reason;
        GrapevineLogs.logger(GrapevineLogs.REPAIR).debug("exchange of partition {} failed: {}", s.exchange.partition(), why);
        s.exchange.replyTo().tell(new ExchangeDone(s.exchange.id(), false, why));
    }

    // ---------------------------------------------------------------- responder

    /**
     * A peer's request, answered by the responder machine. Only live members may ask (a stranger may
     * neither read the data nor push entries into it); a malformed request (a null field, say) is
     * counted and dropped, and never fails this actor.
     */
    private Behavior<Command> onRequest(RepairMessage m) {
        ActorRef<RepairMessage> requester = RepairWire.replyTo(m);
        if (requester != null && !fromLiveMember(requester)) {
            counters.requestsFromStrangers++;
            node.droppedInputs().repair().count("repair_requests_from_strangers", 1,
                    "repair requests from non-members dropped", "only live members exchange partitions",
                    "from " + requester.path().address());
            return this;
        }
        try {
            if (requester == null) {
                throw new IllegalArgumentException("no replyTo");
            }
            ExchangeMessage.Request request = (ExchangeMessage.Request) RepairWire.toCore(m);
            Recoverable domain = request.domain() == null ? null : node.domains().get(request.domain());
            ExchangeStore store = domain == null ? null : new RecoverableExchangeStore(domain, request.partition());
            for (ExchangeEffect effect : responder.onRequest(requester.path().toString(), request, store, nowMillis())) {
                if (effect instanceof ExchangeEffect.Send send) {
                    countServed(request, send.message());
                    if (send.message() instanceof ExchangeMessage.Refused refused) {
                        node.droppedInputs().repair().count("repair_requests_refused", 1, "repair requests from peers refused",
                                "the peer's exchange fails and is retried", refused.reason() + " (from " + requester.path().address() + ")");
                    }
                    requester.tell(RepairWire.toWire(send.message(), self));
                } else if (effect instanceof ExchangeEffect.Drop drop) {
                    malformed(m, drop.reason());
                }
            }
        } catch (RuntimeException e) {
            malformed(m, e.toString());
        }
        return this;
    }

    /** What answering {@code request} with {@code reply} moved, on this side of a peer's exchange. */
    private void countServed(ExchangeMessage.Request request, ExchangeMessage reply) {
        counters.servedRequests++;
        if (request instanceof ExchangeMessage.Push push && reply instanceof ExchangeMessage.PushAck ack) {
            counters.servedEntriesReceived += push.entries().size();
            counters.servedEntriesApplied += Math.max(0, ack.applied());
            counters.servedEntryBytes += sizeBytes(push.entries());
        } else if (reply instanceof ExchangeMessage.PullReply pulled && pulled.entries() != null) {
            counters.servedEntriesSent += pulled.entries().size();
            counters.servedEntryBytes += sizeBytes(pulled.entries());
        }
    }

    private static long sizeBytes(List<dev.grapevine.core.repair.ExchangeEntry> entries) {
        long bytes = 0;
        for (dev.grapevine.core.repair.ExchangeEntry e : entries) {
            bytes += e.sizeBytes();
        }
        return bytes;
    }

    private void malformed(RepairMessage m, String reason) {
        node.droppedInputs().repair().count("repair_requests_malformed", 1, "malformed repair requests dropped", null,
                m.getClass().getSimpleName() + ": " + reason);
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
}
