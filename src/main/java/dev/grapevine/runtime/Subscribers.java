package dev.grapevine.runtime;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.recovery.EpochProgress;
import org.apache.pekko.actor.typed.ActorRef;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The node's event subscribers. Only their actor (membership, or the recovery coordinator) reads and writes them, one message at a
 * time; they live outside it so that a restart of membership does not forget them. (Concurrent
 * maps: a restarted actor may run on another thread.)
 */
final class Subscribers {
    /** By subscriber: how to hand it an event (the API maps core events to its own types). */
    final Map<ActorRef<?>, Consumer<MemberEvent>> members = new ConcurrentHashMap<>();
    final Map<ActorRef<?>, Consumer<UserEvent>> userEvents = new ConcurrentHashMap<>();
    /** Domain actors following the live view (kept by the recovery coordinator). */
    final Map<ActorRef<?>, Consumer<dev.grapevine.core.recovery.LiveView.Snapshot>> liveViews = new ConcurrentHashMap<>();
    /** The recovery coordinator, told of every epoch's progress (kept by membership). */
    final Map<ActorRef<?>, Consumer<EpochProgress>> progress = new ConcurrentHashMap<>();
    /** Domain actors told of each recovery epoch (kept by the recovery coordinator). */
    final Map<ActorRef<?>, Consumer<RecoveryCoordinatorActor.Epoch>> ownership = new ConcurrentHashMap<>();
}
