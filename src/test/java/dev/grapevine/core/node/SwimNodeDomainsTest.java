package dev.grapevine.core.node;

import dev.grapevine.core.member.MemberEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.grapevine.core.node.NodeHarness.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwimNodeDomainsTest {
    private final NodeHarness h = new NodeHarness();

    private static List<MemberEvent> published(List<Effect> fx) {
        return fx.stream().filter(Effect.Publish.class::isInstance).map(e -> ((Effect.Publish) e).event()).toList();
    }

    @Test
    void theDomainsTravelAsAReservedTagUnderANewIncarnationOnlyWhenTheyChange() {
        SwimNode n = h.node("N", 1);
        long before = n.self().incarnation();

        List<Effect> fx = step(out -> n.publishDomains(List.of("kv"), 1_000, out));
        assertEquals("kv", n.self().tags().get(DomainsTag.KEY));
        assertEquals(before + 1, n.self().incarnation());
        List<MemberEvent> told = published(fx);
        assertEquals(1, told.size(), "this node's recovery hears of its own domains: " + fx);
        assertEquals(MemberEvent.Kind.UPDATED, told.get(0).kind());
        assertEquals(n.self(), told.get(0).member());

        assertTrue(step(out -> n.publishDomains(List.of("kv"), 2_000, out)).isEmpty(), "the same domains: nothing to say");
        assertEquals(before + 1, n.self().incarnation());

        List<MemberEvent> toldTags = published(step(out -> n.updateTags(Map.of("role", "web"), 3_000, out)));
        assertEquals("kv", n.self().tags().get(DomainsTag.KEY), "a user's tags keep the node's own");
        assertEquals(1, toldTags.size(), "the node tells its own subscribers too");
        assertEquals(MemberEvent.Kind.UPDATED, toldTags.get(0).kind());
        assertEquals("web", toldTags.get(0).member().tags().get("role"));

        step(out -> n.publishDomains(List.of("kv", "index"), 4_000, out));
        assertEquals("index,kv", n.self().tags().get(DomainsTag.KEY));
        step(out -> n.publishDomains(List.of(), 5_000, out));
        assertFalse(n.self().tags().containsKey(DomainsTag.KEY), "running no domain: no tag");
    }
}
