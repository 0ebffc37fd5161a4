package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Seed discovery from DNS ({@code grapevine.discovery}): every interval, one {@link DnsDiscovery}
 * round on Pekko's blocking dispatcher, then a look at membership's view, then a join of the
 * addresses found that are not live members. At most one round runs at a time; a tick that finds
 * one still running is skipped. Which addresses to join is a plain set difference, so the join
 * itself (and every rule about members) stays with membership's core. A join also makes those
 * addresses the ones membership retries while the node is alone: DNS's latest word replaces the
 * configured seeds there, and the next round asks DNS again anyway.
 */
final class DnsDiscoveryActor extends AbstractBehavior<DnsDiscoveryActor.Command> {
    private static final org.slf4j.Logger LOG = dev.grapevine.log.GrapevineLogs.logger(dev.grapevine.log.GrapevineLogs.DISCOVERY);

    interface Command {
    }

    private enum Tick implements Command { INSTANCE }

    private record Looked(DnsDiscovery.Answer answer, Throwable error) implements Command {
    }

    private record Viewed(DnsDiscovery.Answer answer, List<Member> members, Throwable error) implements Command {
    }

    /** Between two warnings about the same trouble (a name that does not resolve, an answer over the bound). */
    static final Duration WARN_EVERY = Duration.ofMinutes(1);
    /** Slack over the lookup timeout before a round that has not returned is given up on. */
    private static final Duration GIVE_UP_SLACK = Duration.ofSeconds(1);
    /** Metrics source name in {@link NodeMetrics}. */
    static final String METRICS_SOURCE = "DISCOVERY";

    private final NodeContext node;
    private final ActorRef<MembershipActor.Command> membership;
    private final DnsDiscovery dns;
    private final Executor blocking;
    private final WarnLimiter failureWarnings = new WarnLimiter(WARN_EVERY);
    private final WarnLimiter droppedWarnings = new WarnLimiter(WARN_EVERY);
    private boolean running;
    private Set<Address> lastJoined = Set.of();
    private long lookups;
    private long failures;
    private long skipped;
    private long joins;
    private long dropped;

    static Behavior<Command> create(NodeContext node, ActorRef<MembershipActor.Command> membership) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            DiscoverySettings s = node.settings().discovery();
            // The first round at once: a starting node with no seeds finds its peers without waiting.
            timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, s.interval());
            return new DnsDiscoveryActor(ctx, node, membership);
        }));
    }

    private DnsDiscoveryActor(ActorContext<Command> ctx, NodeContext node, ActorRef<MembershipActor.Command> membership) {
        super(ctx);
        this.node = node;
        this.membership = membership;
        this.dns = new DnsDiscovery(node.settings().discovery(), node.settings().address());
        this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        DiscoverySettings s = node.settings().discovery();
        LOG.info("DNS discovery of {} every {} ms ({})", dns.dnsName(), s.interval().toMillis(),
                s.resolver().map(r -> "resolver " + r).orElse("system resolvers"));
        publishMetrics();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessage(Looked.class, this::onLooked)
                .onMessage(Viewed.class, this::onViewed)
                .build();
    }

    private Behavior<Command> onTick() {
        if (running) {
            skipped++;
            return this;
        }
        running = true;
        lookups++;
        long giveUpMillis = node.settings().discovery().lookupTimeout().plus(GIVE_UP_SLACK).toMillis();
        CompletableFuture<DnsDiscovery.Answer> round = CompletableFuture.supplyAsync(() -> {
            try {
                return dns.lookup();
            } catch (DnsDiscovery.LookupFailedException e) {
                throw new CompletionException(e);
            }
        }, blocking).orTimeout(giveUpMillis, TimeUnit.MILLISECONDS);
        getContext().pipeToSelf(round, Looked::new);
        return this;
    }

    private Behavior<Command> onLooked(Looked looked) {
        if (looked.error() != null) {
            running = false;
            failures++;
            Throwable cause = looked.error() instanceof CompletionException && looked.error().getCause() != null
                    ? looked.error().getCause() : looked.error();
            String reason = cause instanceof java.util.concurrent.TimeoutException
                    ? "no answer within " + node.settings().discovery().lookupTimeout().toMillis() + " ms" : String.valueOf(cause.getMessage());
            long notLogged = failureWarnings.occurrence(System.nanoTime());
            if (notLogged >= 0) {
                LOG.warn("DNS discovery of {} failed: {} (failed lookups so far: {}{}); retrying every {} ms",
                        dns.dnsName(), reason, failures, notLogged > 0 ? ", " + notLogged + " not logged since the last warning" : "",
                        node.settings().discovery().interval().toMillis());
            }
            publishMetrics();
            return this;
        }
        if (failureWarnings.active()) {
            failureWarnings.reset();
            LOG.info("DNS discovery of {} resolves again", dns.dnsName());
        }
        DnsDiscovery.Answer answer = looked.answer();
        if (answer.dropped() > 0) {
            dropped += answer.dropped();
            if (droppedWarnings.occurrence(System.nanoTime()) >= 0) {
                LOG.warn("DNS discovery of {}: the answer had {} more addresses than addresses-max = {}; "
                        + "they were dropped ({} in all)", dns.dnsName(), answer.dropped(),
                        node.settings().discovery().addressesMax(), dropped);
            }
        }
        if (!answer.unresolvedTargets().isEmpty()) {
            LOG.debug("DNS discovery of {}: targets not resolved: {}", dns.dnsName(), answer.unresolvedTargets());
        }
        getContext().pipeToSelf(AskPattern.ask(membership, MembershipActor.GetMembers::new,
                NodeHandle.ASK_TIMEOUT, getContext().getSystem().scheduler()),
                (members, error) -> new Viewed(answer, members, error));
        return this;
    }

    private Behavior<Command> onViewed(Viewed viewed) {
        running = false;
        if (viewed.error() != null) {
            LOG.debug("DNS discovery of {}: no view from membership: {}", dns.dnsName(), viewed.error().toString());
            publishMetrics();
            return this;
        }
        List<Member> members = viewed.members();
        String self = node.settings().name();
        if (members.stream().anyMatch(m -> m.name().equals(self) && m.status() == MemberStatus.LEFT)) {
            publishMetrics(); // leaving: joining now would only announce a member that is going
            return this;
        }
        List<Address> toJoin = toJoin(viewed.answer().addresses(), members, node.settings().address());
        if (!toJoin.isEmpty()) {
            joins += toJoin.size();
            Set<Address> now = new LinkedHashSet<>(toJoin);
            if (!now.equals(lastJoined)) {
                LOG.info("DNS discovery of {} found {} address(es); joining {}", dns.dnsName(),
                        viewed.answer().addresses().size(), toJoin);
            } else {
                LOG.debug("DNS discovery of {}: joining {} again", dns.dnsName(), toJoin);
            }
            lastJoined = now;
            membership.tell(new MembershipActor.Join(toJoin));
        } else {
            lastJoined = Set.of();
        }
        publishMetrics();
        return this;
    }

    /**
     * The addresses found that are neither this node nor a live member's: a new node, a node this one
     * lost (dead, or left and back), or a piece of the cluster not merged yet. Those in the view as
     * live are already in touch, and joining them again would only repeat a push-pull.
     */
    static List<Address> toJoin(List<Address> found, List<Member> members, Address self) {
        Set<Address> live = new LinkedHashSet<>();
        for (Member m : members) {
            if (m.status().isLive()) {
                live.add(m.address());
            }
        }
        List<Address> join = new ArrayList<>();
        for (Address a : found) {
            if (!a.equals(self) && !live.contains(a)) {
                join.add(a);
            }
        }
        return join;
    }

    private void publishMetrics() {
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("discovery_lookups", lookups);
        figures.put("discovery_lookup_failures", failures);
        figures.put("discovery_lookups_skipped", skipped);
        figures.put("discovery_joins", joins);
        figures.put("discovery_addresses_dropped", dropped);
        node.metrics().publish(METRICS_SOURCE, figures);
    }
}
