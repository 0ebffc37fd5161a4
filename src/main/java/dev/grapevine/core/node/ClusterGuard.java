package dev.grapevine.core.node;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.wire.ClusterName;
import dev.grapevine.core.wire.Message;

/**
 * Keeps clusters apart: a message whose frame names another cluster is dropped before any component
 * reads it, and counted ({@code foreign_cluster_refused}). Every message is checked, not only joins:
 * pings, acks and gossip carry member rumors too, and one of them read from another cluster would
 * let that cluster's members into this view. A join from another cluster is answered with a
 * {@link Message.Refusal} naming this cluster, so that the joiner fails its join with a reason
 * instead of waiting for an answer that never comes. The one message read from any cluster is that
 * refusal: it changes no view ({@link Membership} only reports it to a join that asked).
 *
 * <p>Not authentication: a node can claim any cluster. It stops mistakes, such as two clusters that
 * share a seed address, or a node started with another cluster's seeds.
 */
public final class ClusterGuard {
    private final ClusterName cluster;
    private final Counters counters;

    /**
     * What was refused, for the shell's log line.
     *
     * @param clusterName the sender's cluster name if the message told it (a join does), else null
     */
    public record Refused(Address from, long cluster, String clusterName, boolean join) {
    }

    public ClusterGuard(ClusterName cluster, Counters counters) {
        this.cluster = cluster;
        this.counters = counters;
    }

    public ClusterName cluster() {
        return cluster;
    }

    /**
     * @param senderCluster the cluster id in the message's frame
     * @return null if the message may be read; otherwise what was refused (the message was counted,
     *         and a join answered with a refusal in {@code out})
     */
    public Refused check(Address from, long senderCluster, Message message, Outbox out) {
        if (senderCluster == cluster.id() || message instanceof Message.Refusal) {
            return null;
        }
        counters.foreignClusterRefused++;
        boolean join = message instanceof Message.PushPull pp && pp.join() && !pp.reply();
        if (join) {
            out.send(from, new Message.Refusal(cluster.name(), senderCluster));
        }
        String name = message instanceof Message.PushPull pp && !pp.cluster().isEmpty() ? pp.cluster() : null;
        return new Refused(from, senderCluster, name, join);
    }
}
