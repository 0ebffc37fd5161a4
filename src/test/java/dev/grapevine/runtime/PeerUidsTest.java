package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.node.Role;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static dev.grapevine.core.node.Role.FAILURE_DETECTOR;
import static dev.grapevine.core.node.Role.GOSSIPER;
import static dev.grapevine.core.node.Role.MEMBERSHIP;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PeerUidsTest {
    private final PeerUids uids = new PeerUids();
    private final Address at = new Address("10.0.0.2", 7946);
    private final Member life1 = Member.alive("b", at, 100, 0, Map.of());
    private final Member life2 = Member.alive("b", at, 200, 0, Map.of());

    @Test
    void aUidIsLearntPerRoleForTheLifeTheViewHolds() {
        uids.heard(FAILURE_DETECTOR, at, 100, 11);
        assertEquals(0, uids.uidFor(FAILURE_DETECTOR, at), "not a member yet: reached by path");

        uids.viewChanged(life1, null);
        uids.heard(FAILURE_DETECTOR, at, 100, 11);
        uids.heard(GOSSIPER, at, 100, 12);
        uids.heard(MEMBERSHIP, at, 100, 0); // the sender did not know its uid yet
        assertEquals(11, uids.uidFor(FAILURE_DETECTOR, at));
        assertEquals(12, uids.uidFor(GOSSIPER, at));
        assertEquals(0, uids.uidFor(MEMBERSHIP, at));
        assertEquals(1, uids.known(FAILURE_DETECTOR));
        assertEquals(0, uids.known(MEMBERSHIP));
    }

    @Test
    void newTagsKeepTheUid() {
        uids.viewChanged(life1, null);
        uids.heard(FAILURE_DETECTOR, at, 100, 11);
        uids.viewChanged(Member.alive("b", at, 100, 1, Map.of("zone", "a")), life1);
        assertEquals(11, uids.uidFor(FAILURE_DETECTOR, at));
    }

    @Test
    void aNewLifeInTheViewRetiresTheOldUidsUntilItSpeaks() {
        uids.viewChanged(life1, null);
        uids.heard(FAILURE_DETECTOR, at, 100, 11);
        uids.viewChanged(life2, life1);
        assertEquals(0, uids.uidFor(FAILURE_DETECTOR, at));
        assertEquals(0, uids.known(FAILURE_DETECTOR));

        uids.heard(FAILURE_DETECTOR, at, 100, 11); // late, from the old life
        assertEquals(0, uids.uidFor(FAILURE_DETECTOR, at));
        uids.heard(FAILURE_DETECTOR, at, 200, 21);
        assertEquals(21, uids.uidFor(FAILURE_DETECTOR, at));
    }

    @Test
    void aMessageFromALaterLifeRetiresTheOldUidsBeforeTheViewKnowsIt() {
        uids.viewChanged(life1, null);
        uids.heard(FAILURE_DETECTOR, at, 100, 11);
        uids.heard(GOSSIPER, at, 100, 12);
        uids.heard(MEMBERSHIP, at, 200, 0); // the new life's join, before its uid is known
        assertEquals(0, uids.uidFor(FAILURE_DETECTOR, at));
        assertEquals(0, uids.uidFor(GOSSIPER, at));
        uids.heard(FAILURE_DETECTOR, at, 100, 11); // late, from the old life: not learnt again
        uids.heard(FAILURE_DETECTOR, at, 200, 21); // not learnt: the view still holds life 1
        assertEquals(0, uids.uidFor(FAILURE_DETECTOR, at));
        uids.viewChanged(life2, life1);
        uids.heard(FAILURE_DETECTOR, at, 200, 21);
        assertEquals(21, uids.uidFor(FAILURE_DETECTOR, at));
    }

    @Test
    void anotherUidFromTheSameLifeReplacesTheOne() {
        uids.viewChanged(life1, null);
        uids.heard(FAILURE_DETECTOR, at, 100, 11);
        uids.heard(FAILURE_DETECTOR, at, 100, 13);
        assertEquals(13, uids.uidFor(FAILURE_DETECTOR, at));
    }

    @Test
    void aGoneMemberIsReachedByPathAndARefutationBringsItsUidBack() {
        uids.viewChanged(life1, null);
        uids.heard(FAILURE_DETECTOR, at, 100, 11);
        Member dead = life1.withStatus(MemberStatus.DEAD);
        uids.viewChanged(dead, life1);
        assertEquals(0, uids.uidFor(FAILURE_DETECTOR, at));

        uids.viewChanged(life1.withIncarnation(1), dead);
        uids.heard(FAILURE_DETECTOR, at, 100, 11);
        assertEquals(11, uids.uidFor(FAILURE_DETECTOR, at));
    }

    @Test
    void aMemberThatMovedIsLearntAtItsNewAddressOnly() {
        uids.viewChanged(life1, null);
        uids.heard(FAILURE_DETECTOR, at, 100, 11);
        Address elsewhere = new Address("10.0.0.3", 7946);
        Member moved = new Member("b", elsewhere, 200, 0, MemberStatus.ALIVE, new TreeMap<>());
        uids.viewChanged(moved, life1);
        assertEquals(0, uids.uidFor(FAILURE_DETECTOR, at));
        uids.heard(FAILURE_DETECTOR, elsewhere, 200, 21);
        assertEquals(21, uids.uidFor(FAILURE_DETECTOR, elsewhere));
        uids.heard(FAILURE_DETECTOR, at, 100, 11);
        assertEquals(0, uids.uidFor(FAILURE_DETECTOR, at), "nobody lives at the old address");
    }

    @Test
    void twoLiveMembersAtOneAddressAreReachedByPathUntilOneIsGone() {
        Member a = Member.alive("a", at, 300, 0, Map.of()); // crashed, not yet found out
        uids.viewChanged(a, null);
        uids.heard(FAILURE_DETECTOR, at, 300, 31);
        assertEquals(31, uids.uidFor(FAILURE_DETECTOR, at));

        uids.viewChanged(life1, null); // b starts on a's address, with an older epoch (another clock)
        assertEquals(0, uids.uidFor(FAILURE_DETECTOR, at));
        Member suspect = a.withStatus(MemberStatus.SUSPECT);
        uids.viewChanged(suspect, a);
        uids.heard(FAILURE_DETECTOR, at, 100, 11);
        assertEquals(0, uids.uidFor(FAILURE_DETECTOR, at));

        uids.viewChanged(suspect.withStatus(MemberStatus.DEAD), suspect);
        assertEquals(0, uids.uidFor(FAILURE_DETECTOR, at), "a's uid is not b's");
        uids.heard(FAILURE_DETECTOR, at, 100, 11);
        assertEquals(11, uids.uidFor(FAILURE_DETECTOR, at));
    }

    @Test
    void clearForgetsEverything() {
        uids.viewChanged(life1, null);
        uids.heard(FAILURE_DETECTOR, at, 100, 11);
        uids.clear();
        assertEquals(0, uids.uidFor(FAILURE_DETECTOR, at));
        uids.viewChanged(life1, null);
        assertEquals(0, uids.uidFor(FAILURE_DETECTOR, at), "learnt again only when it speaks");
    }

    @Test
    void learningStopsAtTheBoundAndPeersBeyondItAreReachedByPath() {
        for (int i = 0; i <= PeerUids.LEARNT_MAX; i++) {
            Address a = new Address("10.1." + (i / 250) + "." + (i % 250), 7946);
            uids.viewChanged(Member.alive("n" + i, a, 1, 0, Map.of()), null);
            uids.heard(GOSSIPER, a, 1, 1 + i);
        }
        assertEquals(PeerUids.LEARNT_MAX, uids.known(GOSSIPER));
        Address last = new Address("10.1." + (PeerUids.LEARNT_MAX / 250) + "." + (PeerUids.LEARNT_MAX % 250), 7946);
        assertEquals(0, uids.uidFor(GOSSIPER, last));
    }

    @Test
    void ownUidsAreZeroUntilSet() {
        assertEquals(0, uids.own(Role.GOSSIPER));
        uids.own(Role.GOSSIPER, 42);
        assertEquals(42, uids.own(Role.GOSSIPER));
    }
}
