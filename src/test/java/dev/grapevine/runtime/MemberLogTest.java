package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberEvent.Kind;
import dev.grapevine.core.member.MemberStatus;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The line an operator reads for each kind of membership change. */
class MemberLogTest {
    private static final Address HERE = new Address("10.0.0.3", 7946);
    private static final Member C = Member.alive("c", HERE, 7, 2, Map.of());

    private static String line(Kind kind, Member now, Member was, String source) {
        return MemberLog.line(new MemberEvent(kind, now, was, source));
    }

    @Test
    void eachChangeNamesTheMemberItsAddressEpochIncarnationAndWhoSaidSo() {
        assertEquals("c joined: 10.0.0.3:7946, epoch 7, incarnation 2", line(Kind.JOINED, C, null, "c"));
        assertEquals("c joined: 10.0.0.3:7946, epoch 7, incarnation 2, by a", line(Kind.JOINED, C, null, "a"));
        assertEquals("c is suspected, by b: 10.0.0.3:7946, epoch 7, incarnation 2",
                line(Kind.SUSPECTED, C.withStatus(MemberStatus.SUSPECT), C, "b"));
        assertEquals("c is alive again (refuted the suspicion: incarnation 2 -> 3): 10.0.0.3:7946, epoch 7, incarnation 3",
                line(Kind.ALIVE_AGAIN, C.withIncarnation(3), C.withStatus(MemberStatus.SUSPECT), "c"));
        assertEquals("c failed, declared by b: 10.0.0.3:7946, epoch 7, incarnation 2",
                line(Kind.FAILED, C.withStatus(MemberStatus.DEAD), C, "b"));
        assertEquals("c left: 10.0.0.3:7946, epoch 7, incarnation 2", line(Kind.LEFT, C.withStatus(MemberStatus.LEFT), C, "c"));
        assertEquals("c was reaped (forgotten after leaving): 10.0.0.3:7946, epoch 7, incarnation 2",
                line(Kind.REAPED, C.withStatus(MemberStatus.LEFT), C.withStatus(MemberStatus.LEFT), "a"));
    }

    @Test
    void aRestartAMoveAndNewTagsAreToldApart() {
        Member restarted = new Member("c", new Address("10.0.0.4", 7946), 9, 0, MemberStatus.ALIVE, C.tags());
        assertEquals("c is alive again (restarted: epoch 7 -> 9, address 10.0.0.3:7946 -> 10.0.0.4:7946, was dead): "
                + "10.0.0.4:7946, epoch 9, incarnation 0", line(Kind.ALIVE_AGAIN, restarted, C.withStatus(MemberStatus.DEAD), "c"));
        assertEquals("c restarted: epoch 7 -> 9, address 10.0.0.3:7946 -> 10.0.0.4:7946: 10.0.0.4:7946, epoch 9, incarnation 0",
                line(Kind.UPDATED, restarted, C, "c"));
        assertEquals("c changed its tags: 10.0.0.3:7946, epoch 7, incarnation 3, tags {version=v43}",
                line(Kind.UPDATED, C.withTags(Map.of("version", "v43")).withIncarnation(3), C, "c"));
    }

    @Test
    void aChangeOfOnlyTheNodesOwnTagsIsRoutineAndAUserTagChangeIsNot() {
        Member loaded = C.withTags(Map.of("grapevine.load", "300,638976")).withIncarnation(3);
        assertTrue(MemberLog.onlyOwnTagsChanged(new MemberEvent(Kind.UPDATED, loaded, C, "c")), "a new load only");
        Member retagged = C.withTags(Map.of("grapevine.load", "300,638976", "version", "v43")).withIncarnation(3);
        assertFalse(MemberLog.onlyOwnTagsChanged(new MemberEvent(Kind.UPDATED, retagged, C, "c")), "a user tag changed");
        Member restarted = new Member("c", HERE, 9, 0, MemberStatus.ALIVE, C.tags());
        assertFalse(MemberLog.onlyOwnTagsChanged(new MemberEvent(Kind.UPDATED, restarted, C, "c")), "a restart");
    }
}
