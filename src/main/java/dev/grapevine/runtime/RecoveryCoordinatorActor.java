package dev.grapevine.runtime;

import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.recovery.LiveView;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Where recovery will be coordinated. For now it keeps the versioned set of live members
 * ({@link LiveView}, from membership's events) and routes each new version to the domain actors
 * registered for it. Its state is rebuilt from membership's current view after a restart.
 */
public final class RecoveryCoordinatorActor extends AbstractBehavior<RecoveryCoordinatorActor.Command> {

    public interface Command {
    }

    /** Sends {@code subscriber} the current live view, then every new version. */
    public record SubscribeLiveView(ActorRef<?> subscriber, Consumer<LiveView.Snapshot> deliver) implements Command {
    }

    private record MemberChanged(MemberEvent event) implements Command {
    }

    private final LiveView view = new LiveView();
    private final Map<ActorRef<?>, Consumer<LiveView.Snapshot>> subscribers;

    static Behavior<Command> create(NodeContext node, ActorRef<NodeGuardian.Command> guardian) {
        return Behaviors.setup(ctx -> new RecoveryCoordinatorActor(ctx, node, guardian));
    }

    private RecoveryCoordinatorActor(ActorContext<Command> ctx, NodeContext node, ActorRef<NodeGuardian.Command> guardian) {
        super(ctx);
        this.subscribers = node.subscribers().liveViews;
        ActorRef<Command> self = ctx.getSelf();
        guardian.tell(new NodeGuardian.ToMembership(new MembershipActor.SubscribeMembers(self, e -> self.tell(new MemberChanged(e)))));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(MemberChanged.class, m -> {
                    LiveView.Snapshot next = view.apply(m.event());
                    if (next != null) {
                        subscribers.values().forEach(s -> s.accept(next));
                    }
                    return this;
                })
                .onMessage(SubscribeLiveView.class, s -> {
                    s.deliver().accept(view.snapshot());
                    subscribers.put(s.subscriber(), s.deliver());
                    return this;
                })
                .build();
    }
}
