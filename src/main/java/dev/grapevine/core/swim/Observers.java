package dev.grapevine.core.swim;

import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.member.MemberTable;
import dev.grapevine.core.member.NameIndex;

/**
 * Who checks a suspect: the alive members placed on a ring by a hash of their names
 * ({@link NameIndex#ringHash}), and as a suspect's observers the {@code k} that follow it on the ring
 * (Rapid's monitoring ring, one ring instead of K). Every node with the same view picks the same
 * observers, so a suspicion costs about k checks however large the cluster. Deciding whether this
 * node is one scans the view once, with no memory of its own: a view of N members already costs
 * O(N) on every node, and a sorted copy of it would cost several times that again.
 */
public final class Observers {
    private Observers() {
    }

    /** Whether {@code candidate} is among the {@code k} observers of {@code suspect} in {@code view}. */
    public static boolean observes(MemberTable view, String candidate, String suspect, int k) {
        NameIndex names = view.names();
        int candidateId = names.find(candidate);
        if (k < 1 || candidateId < 0 || candidate.equals(suspect)) {
            return false;
        }
        Member self = view.get(candidateId);
        if (self == null || self.status() != MemberStatus.ALIVE) {
            return false;
        }
        long start = NameIndex.ringHash(suspect);
        long distance = names.ringHash(candidateId) - start; // clockwise distance on the ring, unsigned
        int closer = 0;
        for (int id = 0, n = view.idBound(); id < n; id++) {
            Member m = view.get(id);
            if (m == null || id == candidateId || m.status() != MemberStatus.ALIVE || m.name().equals(suspect)) {
                continue;
            }
            long d = names.ringHash(id) - start;
            if (Long.compareUnsigned(d, distance) < 0 || (d == distance && m.name().compareTo(candidate) < 0)) {
                if (++closer >= k) {
                    return false;
                }
            }
        }
        return true;
    }
}
