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
 *
 * <p>For tests, it also makes the actor fail on purpose when it receives a {@link CrashOnDemand}
 * and {@value #CRASH_ON_DEMAND_KEY} is on: the supervision of every actor is then shown by crashing
 * it mid-work, with no test-only code inside the actors themselves.
 */
public final class ActorFailures {
    private static final Logger LOG = GrapevineLogs.logger(GrapevineLogs.NODE);

    /** The setting that lets a {@link CrashOnDemand} fail an actor; off by default, and in production. */
    public static final String CRASH_ON_DEMAND_KEY = "grapevine.supervision.crash-on-demand";

    /**
     * Makes the actor that receives it fail (throw), as a bug would, when {@value #CRASH_ON_DEMAND_KEY}
     * is on; ignored (with one WARN per actor's life) when off. Local only: no serializer is bound to
     * it, so no peer can send it. Sent by path, as it is no command of any actor.
     */
    public record CrashOnDemand(String reason) {
    }

    /** The failure a {@link CrashOnDemand} causes. */
    public static final class CrashedOnDemand extends RuntimeException {
        public CrashedOnDemand(String reason) {
            super("crashed on demand: " + reason);
        }
    }

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

            private boolean refusedLogged;

            @Override
            public Behavior<T> aroundReceive(TypedActorContext<T> ctx, T msg, ReceiveTarget<T> target) {
                if (msg instanceof CrashOnDemand crash) {
                    if (ctx.asJava().getSystem().settings().config().getBoolean(CRASH_ON_DEMAND_KEY)) {
                        throw failed(node, actor, new CrashedOnDemand(crash.reason()));
                    }
                    if (!refusedLogged) {
                        refusedLogged = true;
                        GrapevineLogs.asNode(node, () -> LOG.warn("the {} of {} ignored a request to fail: {} is off",
                                actor, node, CRASH_ON_DEMAND_KEY));
                    }
                    return Behaviors.same();
                }
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
