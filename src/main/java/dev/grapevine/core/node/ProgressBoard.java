package dev.grapevine.core.node;

import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.recovery.Progress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest recovery progress this node holds of each member, its own included. Progress travels
 * apart from member records ({@link Rumor.ProgressRumor}): as a tag it raised the member's
 * incarnation and sent its whole record, tags and all, to every member, once per member per epoch.
 * Bounded by the view: a word is taken only about a member the view holds live, and is dropped when
 * that member is reaped.
 */
final class ProgressBoard {
    private final Map<String, Rumor.ProgressRumor> latest = new HashMap<>();
    /** This node's publications in this life; a new life (a restart, or membership starting over) starts again at 1. */
    private long seq;

    /** This node's progress, as its next publication. */
    Rumor.ProgressRumor publish(Member self, Progress progress) {
        Rumor.ProgressRumor mine = Rumor.ProgressRumor.of(self.name(), self.epoch(), ++seq, progress);
        latest.put(self.name(), mine);
        return mine;
    }

    /**
     * Takes a peer's word if it is news: about another member that {@code known} (the view's entry)
     * shows live, from that life or a later one the view has not heard of yet, and newer than what is
     * held. Returns whether it was taken.
     */
    boolean offer(Rumor.ProgressRumor word, Member known, String selfName) {
        if (known == null || !known.status().isLive() || word.member().equals(selfName) || word.life() < known.epoch()) {
            return false;
        }
        Rumor.ProgressRumor held = latest.get(word.member());
        if (held != null && !word.newerThan(held)) {
            return false;
        }
        latest.put(word.member(), word);
        return true;
    }

    void forget(String member) {
        latest.remove(member);
    }

    /** What a push-pull carries: the word held of each of {@code members} that is live, in the life listed. */
    List<Rumor.ProgressRumor> of(List<Member> members) {
        List<Rumor.ProgressRumor> out = new ArrayList<>();
        for (Member m : members) {
            Rumor.ProgressRumor word = latest.get(m.name());
            if (word != null && m.status().isLive() && word.life() == m.epoch()) {
                out.add(word);
            }
        }
        return out;
    }

    /** Every word held, for a subscriber that starts (or starts over) and must catch up. */
    List<Rumor.ProgressRumor> all() {
        return List.copyOf(latest.values());
    }
}
