package dev.grapevine.runtime;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.MemberEvent;
import org.apache.pekko.actor.typed.ActorRef;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The node's event subscribers. Only the membership actor reads and writes them, one message at a
 * time; they live outside it so that a restart of membership does not forget them. (Copy-on-write
 * sets: a restarted actor may run on another thread, and subscriptions change rarely.)
 */
final class Subscribers {
    final Set<ActorRef<MemberEvent>> members = new CopyOnWriteArraySet<>();
    final Set<ActorRef<UserEvent>> userEvents = new CopyOnWriteArraySet<>();
}
