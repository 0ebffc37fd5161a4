package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.node.SystemNameTag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PeerSystemsTest {
    private final Address seed = new Address("10.0.0.1", 7946);
    private final Address other = new Address("10.0.0.2", 7946);
    private final PeerSystems systems = new PeerSystems("mine", SystemNameTag.DEFAULT, Map.of(seed, "inventory"));

    private static Member member(String name, Address at, String system) {
        return Member.alive(name, at, 1, 0, system == null ? Map.of() : Map.of(SystemNameTag.KEY, system));
    }

    @Test
    void aMemberRecordWinsOverASeedsNameWhichWinsOverFramesWhichWinOverTheDefault() {
        assertEquals("mine", systems.own());
        assertEquals("grapevine", systems.nameFor(other));
        systems.heard(other, "shop");
        assertEquals("shop", systems.nameFor(other), "learnt from an admitted frame");
        assertEquals("inventory", systems.nameFor(seed));
        systems.heard(seed, "shop");
        assertEquals("inventory", systems.nameFor(seed), "a frame does not override what the operator configured");
        systems.viewChanged(member("s", seed, "inventory-2"), null);
        assertEquals("inventory-2", systems.nameFor(seed), "the member's own word wins");
    }

    @Test
    void aFrameNeverChangesTheNameOfAKnownMember() {
        Member shop = member("shop", other, "shop");
        systems.viewChanged(shop, null);
        systems.heard(other, "impostor");
        assertEquals("shop", systems.nameFor(other));
        assertEquals("shop", systems.nameForAnswer(other, "impostor"), "nor does an answer to a refused frame");
        // Only the member record changes it: a restart under another system name, say.
        systems.viewChanged(member("shop", other, "shop-v2"), shop);
        assertEquals("shop-v2", systems.nameFor(other));
        // A dead member keeps its name: reconnect probes still reach it.
        systems.viewChanged(member("shop", other, "shop-v2").withStatus(MemberStatus.DEAD), null);
        assertEquals("shop-v2", systems.nameFor(other));
    }

    @Test
    void aRefusalGoesBackUnderTheStatedNameWithoutLearningIt() {
        assertEquals("blue", systems.nameForAnswer(other, "blue"));
        assertEquals("grapevine", systems.nameFor(other), "nothing learnt");
        assertEquals("grapevine", systems.nameForAnswer(other, ""), "nothing stated: the default");
        assertEquals("grapevine", systems.nameForAnswer(other, "bad/name"));
    }

    @Test
    void aMemberThatMovesTakesItsNameAlongAndARecordWithoutTheTagSaysNothing() {
        Member shop = member("shop", other, "shop");
        systems.viewChanged(shop, null);
        Address moved = new Address("10.0.0.3", 7946);
        systems.viewChanged(member("shop", moved, "shop"), shop);
        assertEquals("shop", systems.nameFor(moved));
        assertEquals("grapevine", systems.nameFor(other), "the old endpoint is forgotten");
        systems.heard(other, "cafe");
        systems.viewChanged(member("old", other, null), null);
        assertEquals("cafe", systems.nameFor(other), "a record without the tag leaves the frames' word");
    }

    @Test
    void framesFromTooManyEndpointsAreForgottenNotKeptWithoutBound() {
        for (int i = 0; i <= PeerSystems.HEARD_MAX; i++) {
            systems.heard(new Address("10.1." + (i / 256) + "." + (i % 256), 7946), "s" + i);
        }
        assertEquals("s" + PeerSystems.HEARD_MAX, systems.nameFor(new Address("10.1." + (PeerSystems.HEARD_MAX / 256) + "."
                + (PeerSystems.HEARD_MAX % 256), 7946)));
        assertEquals("grapevine", systems.nameFor(new Address("10.1.0.0", 7946)), "cleared when the bound was hit");
    }
}
