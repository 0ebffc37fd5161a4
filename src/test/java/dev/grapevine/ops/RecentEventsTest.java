package dev.grapevine.ops;

import dev.grapevine.api.Member;
import dev.grapevine.api.MemberStatus;
import dev.grapevine.api.MembershipEvent;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's list of a node's latest events: its bound, and which updates it leaves out. */
class RecentEventsTest {

    @Test
    void theLatestEventsAreBoundedTheOldestDroppedFirst() {
        RecentEvents recent = new RecentEvents();
        for (int i = 0; i < RecentEvents.EVENTS_MAX + 7; i++) {
            recent.add(1000 + i, new LinkedHashMap<>(Map.of("type", "user", "name", "e" + i)));
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) recent.json().get("events");
        assertEquals(RecentEvents.EVENTS_MAX, events.size());
        assertEquals("e7", events.get(0).get("name"), "the oldest seven are gone");
        assertEquals(1000L + RecentEvents.EVENTS_MAX + 6, events.get(events.size() - 1).get("at_ms"));
    }

    private static Member n2(String address, long epoch, Map<String, String> tags) {
        return new Member("n2", address, MemberStatus.ALIVE, epoch, 3, tags);
    }

    private static MembershipEvent updated(Member before, Member now) {
        return new MembershipEvent(MembershipEvent.Kind.UPDATED, now, before, "n2");
    }

    @Test
    void anUpdateOfTheNodesOwnTagsAloneIsNoLineButARestartAMoveOrAnOperatorsTagIs() {
        Member before = n2("127.0.0.1:7001", 5, Map.of("role", "db", "grapevine.load", "10,2048"));
        assertTrue(RecentEvents.onlyNodeTagsChanged(updated(before,
                n2("127.0.0.1:7001", 5, Map.of("role", "db", "grapevine.load", "12,4096")))), "the load, every 30 s");
        assertFalse(RecentEvents.onlyNodeTagsChanged(updated(before,
                n2("127.0.0.1:7001", 6, Map.of("role", "db", "grapevine.load", "0,0")))), "a restart at the same address");
        assertFalse(RecentEvents.onlyNodeTagsChanged(updated(before,
                n2("127.0.0.1:7002", 5, Map.of("role", "db", "grapevine.load", "10,2048")))), "a new address");
        assertFalse(RecentEvents.onlyNodeTagsChanged(updated(before,
                n2("127.0.0.1:7001", 5, Map.of("role", "web", "grapevine.load", "10,2048")))), "an operator's tag");
        assertFalse(RecentEvents.onlyNodeTagsChanged(new MembershipEvent(MembershipEvent.Kind.FAILED, before, before, "n1")),
                "a failure is always a line");
    }
}
