package dev.grapevine.runtime;

import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.NameIndex;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the guardian gives its children: the validated settings, this node's epochs, and the origin
 * of its monotonic clock. Each child builds its own core component from it.
 */
final class NodeContext {
    private final NodeSettings settings;
    private final AtomicLong lastEpoch;
    private final long originNanos;
    private final Subscribers subscribers = new Subscribers();

    NodeContext(NodeSettings settings, long firstEpoch, long originNanos) {
        this.settings = settings;
        this.lastEpoch = new AtomicLong(firstEpoch - 1);
        this.originNanos = originNanos;
    }

    NodeSettings settings() {
        return settings;
    }

    long originNanos() {
        return originNanos;
    }

    /** Who hears of membership changes and user events; kept here so a membership restart keeps them. */
    Subscribers subscribers() {
        return subscribers;
    }

    /**
     * This node as a new life of its name: each call (a start, or membership restarting after a
     * failure) takes an epoch above every earlier one, so the new life supersedes the old everywhere.
     */
    Member newLife() {
        return Member.alive(settings.name(), settings.address(), lastEpoch.incrementAndGet(), 0, settings.tags());
    }

    /**
     * This node as the replicas first hold it, at epoch 0: any life membership announces overrides
     * it. The replicas only use the name and address.
     */
    Member placeholder() {
        return Member.alive(settings.name(), settings.address(), 0, 0, settings.tags());
    }

    /** Each component gets its own index: actors share no mutable state. */
    NameIndex newNameIndex() {
        return new NameIndex();
    }
}
