package dev.grapevine.core.recovery;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LiveViewTest {
    private static MemberEvent event(MemberEvent.Kind kind, String name, MemberStatus status) {
        Member m = Member.alive(name, new Address(name, 7946), 1, 0, Map.of()).withStatus(status);
        return new MemberEvent(kind, m, null, name);
    }

    @Test
    void onlyChangesToTheLiveSetMakeANewVersion() {
        LiveView view = new LiveView();
        assertEquals(new LiveView.Snapshot(1, List.of("b")), view.apply(event(MemberEvent.Kind.JOINED, "b", MemberStatus.ALIVE)));
        assertEquals(new LiveView.Snapshot(2, List.of("a", "b")), view.apply(event(MemberEvent.Kind.JOINED, "a", MemberStatus.ALIVE)));
        assertNull(view.apply(event(MemberEvent.Kind.SUSPECTED, "a", MemberStatus.SUSPECT)), "a suspect stays live: no churn");
        assertNull(view.apply(event(MemberEvent.Kind.UPDATED, "b", MemberStatus.ALIVE)));
        assertEquals(new LiveView.Snapshot(3, List.of("b")), view.apply(event(MemberEvent.Kind.FAILED, "a", MemberStatus.DEAD)));
        assertEquals(new LiveView.Snapshot(4, List.of("a", "b")), view.apply(event(MemberEvent.Kind.ALIVE_AGAIN, "a", MemberStatus.ALIVE)));
        assertEquals(new LiveView.Snapshot(5, List.of("a")), view.apply(event(MemberEvent.Kind.LEFT, "b", MemberStatus.LEFT)));
        assertNull(view.apply(event(MemberEvent.Kind.REAPED, "b", MemberStatus.LEFT)));
        assertEquals(new LiveView.Snapshot(5, List.of("a")), view.snapshot());
    }
}
