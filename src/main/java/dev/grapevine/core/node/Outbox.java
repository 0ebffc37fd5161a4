package dev.grapevine.core.node;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.wire.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the effects of one step. The shell passes an outbox into each call and drains it after;
 * reusing one outbox per node keeps the hot path free of per-step list allocation.
 */
public final class Outbox {
    private final List<Effect> effects = new ArrayList<>();

    public void send(Address to, Message message) {
        effects.add(new Effect.Send(to, message));
    }

    public void schedule(Timer timer, long atMillis) {
        effects.add(new Effect.Schedule(timer, atMillis));
    }

    public void publish(MemberEvent event) {
        effects.add(new Effect.Publish(event));
    }

    public void deliver(UserEvent event) {
        effects.add(new Effect.Deliver(event));
    }

    /** Adds an effect another step decided (a composition passing its parts' effects on). */
    public void add(Effect effect) {
        effects.add(effect);
    }

    public void tell(Role to, Signal signal) {
        effects.add(new Effect.Tell(to, signal));
    }

    /** The effects collected so far, in the order they were decided. */
    public List<Effect> effects() {
        return effects;
    }

    /** Returns the effects and empties the outbox. */
    public List<Effect> drain() {
        List<Effect> copy = List.copyOf(effects);
        effects.clear();
        return copy;
    }

    public void clear() {
        effects.clear();
    }

    public boolean isEmpty() {
        return effects.isEmpty();
    }
}
