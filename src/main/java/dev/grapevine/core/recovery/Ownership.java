package dev.grapevine.core.recovery;

import dev.grapevine.core.Hash64;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Who owns what: a fixed number of partitions, each owned by the {@code replicationFactor} live
 * members with the highest rendezvous score (Thaler and Ravishankar's highest-random-weight hashing).
 * Every node that holds the same live set computes the same owners, with no coordination, and when a
 * member joins or leaves only the partitions it gains or loses move: about {@code RF / N} of them.
 *
 * <p>Scores are a 64-bit mix of the member's name and the partition number, so they are the same on
 * every JVM and every run. Owners are listed by falling score: the first is the primary.
 */
public final class Ownership {
    private final int partitions;
    private final int replicationFactor;
    private final List<String> members;
    private final String[][] owners;

    public Ownership(Collection<String> liveMembers, int partitions, int replicationFactor) {
        if (partitions < 1 || partitions > 1 << 16) {
            throw new IllegalArgumentException("partitions must be in 1..65536, but was " + partitions);
        }
        if (replicationFactor < 1 || replicationFactor > 16) {
            throw new IllegalArgumentException("replication factor must be in 1..16, but was " + replicationFactor);
        }
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.members = List.copyOf(new TreeSet<>(liveMembers)); // order-free input, sorted once
        long[] nameHashes = new long[members.size()];
        for (int i = 0; i < nameHashes.length; i++) {
            nameHashes[i] = fnv1a64(members.get(i));
        }
        int copies = Math.min(replicationFactor, members.size());
        this.owners = new String[partitions][];
        for (int p = 0; p < partitions; p++) {
            owners[p] = topScores(nameHashes, p, copies);
        }
    }

    private String[] topScores(long[] nameHashes, int partition, int copies) {
        int[] best = new int[copies];
        long[] bestScore = new long[copies];
        int filled = 0;
        for (int m = 0; m < nameHashes.length; m++) {
            long score = mix(nameHashes[m] ^ (partition * 0x9E3779B97F4A7C15L));
            int at = filled;
            while (at > 0 && Long.compareUnsigned(score, bestScore[at - 1]) > 0) {
                at--;
            }
            if (at >= copies) {
                continue;
            }
            int last = Math.min(filled, copies - 1);
            for (int k = last; k > at; k--) {
                best[k] = best[k - 1];
                bestScore[k] = bestScore[k - 1];
            }
            best[at] = m;
            bestScore[at] = score;
            filled = Math.min(filled + 1, copies);
        }
        String[] names = new String[filled];
        for (int k = 0; k < filled; k++) {
            names[k] = members.get(best[k]);
        }
        return names;
    }

    /** The owners of {@code partition}, primary first; fewer than RF when fewer members are live. */
    public List<String> owners(int partition) {
        return List.of(owners[partition]);
    }

    /** The partitions {@code member} owns (as primary or replica), ascending. */
    public List<Integer> partitionsOf(String member) {
        List<Integer> mine = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            for (String o : owners[p]) {
                if (o.equals(member)) {
                    mine.add(p);
                    break;
                }
            }
        }
        return mine;
    }

    /** The partition a key belongs to: the same on every node. */
    public static int partitionOf(String key, int partitions) {
        return (int) Long.remainderUnsigned(mix(fnv1a64(key)), partitions);
    }

    public int partitions() {
        return partitions;
    }

    public int replicationFactor() {
        return replicationFactor;
    }

    public List<String> members() {
        return members;
    }

    static long fnv1a64(String s) {
        return Hash64.fnv(Hash64.FNV_OFFSET, s);
    }

    static long mix(long z) {
        return Hash64.mix(z);
    }
}
