package dev.grapevine.log;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;

/**
 * Logs an actor's failure under {@value GrapevineLogs#NODE}, naming the node and the actor, before
 * its supervisor restarts it. Pekko's own supervisor line would go to a logger named after a Pekko
 * class, which an operator filtering on dev.grapevine misses; supervisors are set up with their
 * logging off ({@code withLoggingEnabled(false)}) and wrap the actor's behaviour in this instead.
 */
public final class ActorFailures {
    private static final Logger LOG = GrapevineLogs.logger(GrapevineLogs.NODE);

    private ActorFailures() {
    }

    /** {@code behavior}, with each exception it throws logged at ERROR (then rethrown to its supervisor). */
    @SuppressWarnings("unchecked")
    public static <T> Behavior<T> logged(String node, String actor, Behavior<T> behavior) {
        return Behaviors.intercept(() -> new BehaviorInterceptor<T, T>((Class<T>) Object.class) {
            @Override
            public Behavior<T> aroundStart(TypedActorContext<T> ctx, PreStartTarget<T> target) {
                try {
                    return target.start(ctx);
                } catch (RuntimeException e) {
                    throw failed(node, actor, e);
                }
            }

            @Override
            public Behavior<T> aroundReceive(TypedActorContext<T> ctx, T msg, ReceiveTarget<T> target) {
                try {
                    return target.apply(ctx, msg);
                } catch (RuntimeException e) {
                    throw failed(node, actor, e);
                }
            }

            @Override
            public Behavior<T> aroundSignal(TypedActorContext<T> ctx, Signal signal, SignalTarget<T> target) {
                try {
                    return target.apply(ctx, signal);
                } catch (RuntimeException e) {
                    throw failed(node, actor, e);
                }
            }
        }, behavior);
    }

    private static RuntimeException failed(String node, String actor, RuntimeException e) {
        GrapevineLogs.asNode(node, () -> LOG.error("the {} of {} failed: {}", actor, node, e.toString(), e));
        return e;
    }
}
