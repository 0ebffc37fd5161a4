package dev.grapevine.ops;

import dev.grapevine.api.Grapevine;
import dev.grapevine.api.Member;
import dev.grapevine.api.MembershipEvent;
import dev.grapevine.api.UserEvent;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The latest membership and user events this node delivered, for the dashboard's
 * {@code GET /ui/recent}: a page opened after a crash still shows who failed, and when, instead of
 * an empty list until the next change. Each event is the monitor stream's JSON object with its
 * {@code at_ms}; the subscription's opening view of the members comes first, as the stream's does.
 * Kept in memory from the admin API's start, at most {@link #EVENTS_MAX}, the oldest dropped first.
 */
final class RecentEvents {
    /** Events kept: as many as the dashboard lists. */
    static final int EVENTS_MAX = 50;
    /** The node's own tags (its load, its system name): the protocol's, not the operator's. */
    static final String NODE_TAG_PREFIX = "grapevine.";

    private final ArrayDeque<Map<String, Object>> events = new ArrayDeque<>(EVENTS_MAX);

    /** Starts keeping {@code grapevine}'s events, through two small actors of {@code system} that live as long as it. */
    static RecentEvents start(ActorSystem<?> system, Grapevine grapevine) {
        RecentEvents recent = new RecentEvents();
        String id = UUID.randomUUID().toString();
        ActorRef<MembershipEvent> members = system.systemActorOf(Behaviors.receive(MembershipEvent.class)
                .onAnyMessage(e -> {
                    if (!onlyNodeTagsChanged(e)) {
                        recent.add(System.currentTimeMillis(), Json.event(e));
                    }
                    return Behaviors.same();
                }).build(), "dashboard-recent-m-" + id, Props.empty());
        ActorRef<UserEvent> users = system.systemActorOf(Behaviors.receive(UserEvent.class)
                .onAnyMessage(e -> {
                    recent.add(System.currentTimeMillis(), Json.event(e));
                    return Behaviors.same();
                }).build(), "dashboard-recent-u-" + id, Props.empty());
        grapevine.subscribe(members);
        grapevine.subscribeUserEvents(users);
        return recent;
    }

    /**
     * An update of nothing but the node's own {@code grapevine.*} tags: each member's load tag changes
     * up to every 30 s, and a line for each would push the failures out of the list within minutes.
     * The dashboard's members table still shows the new values; so does the monitor stream.
     */
    static boolean onlyNodeTagsChanged(MembershipEvent e) {
        Member now = e.member();
        Member before = e.previous();
        return e.kind() == MembershipEvent.Kind.UPDATED && before != null && now.address().equals(before.address())
                && now.epoch() == before.epoch() && userTags(now).equals(userTags(before));
    }

    private static Map<String, String> userTags(Member m) {
        Map<String, String> tags = new TreeMap<>(m.tags());
        tags.keySet().removeIf(k -> k.startsWith(NODE_TAG_PREFIX));
        return tags;
    }

    /** Keeps {@code event}, stamped with when this node delivered it, dropping the oldest beyond the bound. */
    synchronized void add(long atMillis, Map<String, Object> event) {
        event.put("at_ms", atMillis);
        if (events.size() == EVENTS_MAX) {
            events.removeFirst();
        }
        events.addLast(event);
    }

    /** {@code {"events": [...]}}, oldest first. */
    synchronized Map<String, Object> json() {
        return Map.of("events", new ArrayList<>(events));
    }
}
