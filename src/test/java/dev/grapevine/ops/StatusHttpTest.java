package dev.grapevine.ops;

import dev.grapevine.api.Member;
import dev.grapevine.api.MemberStatus;
import dev.grapevine.api.RecoveryStatus;
import dev.grapevine.spi.StoreLoad;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@code GET /v1/status}'s rows: whose load is shown, and from where. */
class StatusHttpTest {
    private static Member member(String name, MemberStatus status) {
        return new Member(name, "127.0.0.1:1", status, 1, 0, Map.of("grapevine.load", "10,4096"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(List<Member> members) {
        RecoveryStatus recovery = new RecoveryStatus(null, 0, false, 0, Map.of(), Map.of());
        return (List<Map<String, Object>>) StatusHttp.body("a", Optional.of(new StoreLoad(7, 2048)), members, recovery).get("members");
    }

    @Test
    void aMemberThatLeftShowsNoLoadADeadOneItsLast() {
        List<Map<String, Object>> rows = rows(List.of(member("a", MemberStatus.ALIVE), member("b", MemberStatus.ALIVE),
                member("c", MemberStatus.DEAD), member("d", MemberStatus.LEFT)));
        assertEquals(List.of(7L, "local"), List.of(rows.get(0).get("keys"), rows.get(0).get("load_from")), "this node's own, now");
        assertEquals(List.of(10L, 4096L, "gossip"), List.of(rows.get(1).get("keys"), rows.get(1).get("bytes"), rows.get(1).get("load_from")));
        assertEquals(10L, rows.get(2).get("keys"), "a dead member's last load, as nodetool shows a DN's");
        assertNull(rows.get(3).get("keys"), "a member that left holds nothing for the cluster");
        assertNull(rows.get(3).get("bytes"));
        assertNull(rows.get(3).get("load_from"));
    }
}
