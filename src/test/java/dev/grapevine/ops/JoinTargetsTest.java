package dev.grapevine.ops;

import dev.grapevine.api.JoinResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A join's addresses whose host name does not resolve are named as such, not waited for as silent. */
class JoinTargetsTest {
    private static final Set<String> KNOWN = Set.of("127.0.0.1", "seed.example");

    @Test
    void theAddressesWhoseHostDoesNotResolveAreFound() {
        assertEquals(List.of("nosuch.invalid:7946", "sys@gone.invalid:7946"), JoinTargets.unresolved(
                List.of("127.0.0.1:7946", "nosuch.invalid:7946", "seed.example:7946", "sys@gone.invalid:7946", "malformed"),
                KNOWN::contains));
        assertEquals(List.of(), JoinTargets.unresolved(List.of("seed.example:7946"), KNOWN::contains));
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
