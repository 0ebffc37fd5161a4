package dev.grapevine.core.node;

import dev.grapevine.core.config.Settings;
import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.events.UserEventLog;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.wire.Message;
import dev.grapevine.core.wire.WireSize;

import java.util.List;

/**
 * A node's user events: emitting them (straight to every member while there are few), delivering
 * each one heard once, and deciding whether to gossip it on. Reads the member view; never writes it.
 */
final class UserEvents {
    /**
     * Bytes of recent user events a push-pull carries. With 512 members of about 30 bytes beside it, a
     * push-pull stays well under Artery's 256 KiB frame.
     */
    static final int PUSH_PULL_EVENT_BYTES_MAX = 32 * 1024;

    private final Settings settings;
    private final MemberTable table;
    private final Counters counters;
    private final UserEventLog log;

    UserEvents(Settings settings, MemberTable table, Counters counters) {
        this.settings = settings;
        this.table = table;
        this.counters = counters;
        this.log = new UserEventLog(settings.eventBufferSize(), settings.userEventBytesMax());
    }

    UserEventLog log() {
        return log;
    }

    /** The latest events, oldest first, as a push-pull carries them. */
    List<UserEvent> recent() {
        return log.recent(PUSH_PULL_EVENT_BYTES_MAX, WireSize::of);
    }

    /**
     * Sends a user event to every member, and delivers it here too. While there are at most
     * {@code user-event-direct-max} others, it goes to each of them straight from here, one hop as
     * Pekko's DistributedPubSub sends, before this node delivers it: the sends are on their way before
     * any local subscriber runs, and do not wait for a hand-off to the gossiper. They are
     * {@link Message.Event}s, which the receivers' membership takes itself. The gossiper queues it
     * either way, for any copy that is lost (see {@link Signal.Announce}); the receivers may not
     * (see {@link #receiveDirect}).
     *
     * @throws IllegalArgumentException if name plus payload exceed {@code user-event-max-bytes}
     */
    UserEvent emit(String selfName, String name, byte[] payload, Outbox out) {
        UserEvent event = log.emit(selfName, name, payload);
        Rumor.EventRumor rumor = new Rumor.EventRumor(event);
        boolean sentToAll = sendToAll(selfName, event, out);
        out.deliver(event);
        out.tell(Role.GOSSIPER, sentToAll ? new Signal.Announce(rumor) : new Signal.Broadcast(rumor));
        return event;
    }

    /** One message to each live member, while there are few enough; false (and nothing sent) otherwise. */
    private boolean sendToAll(String selfName, UserEvent event, Outbox out) {
        int others = table.liveCount() - 1;
        if (others < 1 || others > settings.userEventDirectMax()) {
            return false;
        }
        Message.Event message = new Message.Event(event, ViewDigest.liveMembers(table));
        table.forEach(m -> {
            if (m.status().isLive() && !m.name().equals(selfName)) {
                out.send(m.address(), message);
            }
        });
        counters.gossipMessages += others;
        counters.directSends += others;
        return true;
    }

    /**
     * A user event straight from its origin. Where a copy sent on a live connection arrives (one copy
     * per member, as over Artery) and the origin's live members are this node's, every member this
     * node could tell already has it: it is delivered and not gossiped on. At five members that is
     * 4 messages an event, where every receiver gossiping it to its transmit limit made up to 30 more.
     * A copy lost with a broken connection is made up by the origin's own gossip of it and by
     * push-pull. Otherwise, as any event heard.
     */
    void receiveDirect(Message.Event direct, Outbox out) {
        boolean sentToAllKnownHere = settings.gossipCopiesMax() == 1
                && direct.liveMembers() == ViewDigest.liveMembers(table);
        receive(direct.event(), !sentToAllKnownHere, out);
    }

    /** A user event heard from another node: delivered once, and passed on once if {@code passOn}. */
    void receive(UserEvent event, boolean passOn, Outbox out) {
        UserEventLog.Verdict verdict = log.receive(event);
        if (verdict == UserEventLog.Verdict.DROP) {
            return;
        }
        if (verdict == UserEventLog.Verdict.DELIVER) {
            out.deliver(event);
        }
        if (passOn) {
            out.tell(Role.GOSSIPER, new Signal.Broadcast(new Rumor.EventRumor(event)));
        } else {
            counters.directEventsNotGossiped++;
        }
    }
}
