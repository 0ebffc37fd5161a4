package dev.grapevine.core.node;

import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberTable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Uniform random choice of distinct members that pass a test, without scanning the table when most
 * members pass (the usual case: gossip targets, ping-req relays, push-pull peers).
 */
final class MemberSampler {
    private MemberSampler() {
    }

    static List<Member> pick(MemberTable table, int count, Predicate<Member> qualifies, RandomGenerator rng) {
        List<Member> picked = new ArrayList<>(count);
        int bound = table.idBound();
        if (bound == 0 || count <= 0) {
            return picked;
        }
        for (int attempt = 0, attempts = count * 8; attempt < attempts && picked.size() < count; attempt++) {
            Member m = table.get(rng.nextInt(bound));
            if (m != null && qualifies.test(m) && !picked.contains(m)) {
                picked.add(m);
            }
        }
        if (picked.size() == count) {
            return picked;
        }
        // Few qualify (a small or mostly dead view): reservoir-sample a full scan instead.
        picked.clear();
        int seen = 0;
        for (int id = 0; id < bound; id++) {
            Member m = table.get(id);
            if (m == null || !qualifies.test(m)) {
                continue;
            }
            seen++;
            if (picked.size() < count) {
                picked.add(m);
            } else {
                int j = rng.nextInt(seen);
                if (j < count) {
                    picked.set(j, m);
                }
            }
        }
        return picked;
    }
}
