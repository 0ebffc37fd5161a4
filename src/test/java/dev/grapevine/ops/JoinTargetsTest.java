package dev.grapevine.ops;

import dev.grapevine.api.JoinResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A join's addresses whose host name does not resolve are named as such, not waited for as silent. */
class JoinTargetsTest {
    private static final Set<String> KNOWN = Set.of("127.0.0.1", "seed.example");

    @Test
    void theAddressesWhoseHostDoesNotResolveAreFound() {
        assertEquals(List.of("nosuch.invalid:7946", "sys@gone.invalid:7946"), JoinTargets.unresolved(
                List.of("127.0.0.1:7946", "nosuch.invalid:7946", "seed.example:7946", "sys@gone.invalid:7946", "malformed"),
                KNOWN::contains, () -> 0L));
        assertEquals(List.of(), JoinTargets.unresolved(List.of("seed.example:7946"), KNOWN::contains, () -> 0L));
    }

    @Test
    void eachHostIsLookedUpOnceAndTheLookupsStopWhenTheirTimeIsSpent() {
        List<String> asked = new ArrayList<>();
        long[] nowNanos = {0};
        List<String> unresolved = JoinTargets.unresolved(
                List.of("a.invalid:1", "a.invalid:2", "b.invalid:1", "c.invalid:1", "a.invalid:3"),
                host -> {
                    asked.add(host);
                    nowNanos[0] += JoinTargets.LOOKUPS_BUDGET_NANOS / 2; // a resolver that answers slowly
                    return false;
                }, () -> nowNanos[0]);
        assertEquals(List.of("a.invalid", "b.invalid"), asked, "c.invalid is left to the join: time is up");
        assertEquals(List.of("a.invalid:1", "a.invalid:2", "b.invalid:1", "a.invalid:3"), unresolved);
    }

    @Test
    void aJoinNamesAtMost64Addresses() throws Exception {
        StringBuilder body = new StringBuilder("{\"addresses\":[");
        for (int i = 0; i <= JsonBodies.JOIN_ADDRESSES_MAX; i++) {
            body.append(i == 0 ? "" : ",").append("\"10.0.0.1:").append(7000 + i).append('"');
        }
        byte[] tooMany = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        JsonBodies.BadBody e = assertThrows(JsonBodies.BadBody.class, () -> JsonBodies.joinAddresses(tooMany));
        assertEquals("a join names at most 64 addresses, not 65", e.getMessage());
    }

    @Test
    void anIpLiteralResolvesWithoutALookup() {
        assertTrue(JoinTargets.resolves("127.0.0.1"));
        assertTrue(JoinTargets.resolves("::1"));
    }

    @Test
    void whenNoneResolvesTheAnswerSaysSoAndAsksNobody() {
        HttpReply reply = JoinTargets.noneResolves(List.of("nosuch.invalid:7946"));
        assertEquals(400, reply.status());
        assertEquals("{\"error\":\"the host name of nosuch.invalid:7946 does not resolve on this node\",\"joined\":[],"
                + "\"failed\":[\"nosuch.invalid:7946\"]}", Json.write(reply.body()));
        assertEquals("the host name of a.invalid:1, b.invalid:1 do not resolve on this node",
                JoinTargets.reason(List.of("a.invalid:1", "b.invalid:1")));
    }

    @Test
    void theUnresolvedCountAmongTheFailed() {
        JoinResult r = JoinTargets.including(new JoinResult(List.of("127.0.0.1:7946"), List.of("127.0.0.1:1"), Map.of()),
                List.of("nosuch.invalid:7946"));
        assertEquals(List.of("127.0.0.1:7946"), r.joined());
        assertEquals(List.of("127.0.0.1:1", "nosuch.invalid:7946"), r.failed());
    }
}
