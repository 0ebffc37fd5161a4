package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import org.apache.pekko.actor.typed.ActorRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The join requests waiting for their addresses to answer (membership's core reports each answer as
 * {@code Effect.JoinAnswered}). A request is answered when every address has, or at its deadline
 * with those that did. Bounded by {@link #WAITING_MAX}; not thread-safe (one actor's state).
 */
final class JoinWaits {
    /** Join requests waiting at once; more are answered at once as unanswered (an operator repeats the command). */
    static final int WAITING_MAX = 16;

    private record Waiting(List<Address> asked, Set<Address> answered, Map<Address, String> refused,
                           ActorRef<MembershipActor.Joined> replyTo) {
    }

    private final Map<Long, Waiting> waiting = new LinkedHashMap<>();
    private long nextId;
    private long refused;

    /** @return the request's id, for its deadline; -1 if too many wait (it was answered already) */
    long add(List<Address> asked, ActorRef<MembershipActor.Joined> replyTo) {
        if (waiting.size() >= WAITING_MAX) {
            if (refused++ % 100 == 0) { // a script looping on `grapevine join` must not flood the log
                dev.grapevine.log.GrapevineLogs.logger(dev.grapevine.log.GrapevineLogs.MEMBERSHIP).warn("{} join requests wait already; answering another "
                        + "at once as unanswered ({} so far)", WAITING_MAX, refused);
            }
            replyTo.tell(new MembershipActor.Joined(List.of(), List.copyOf(asked), false));
            return -1;
        }
        long id = nextId++;
        waiting.put(id, new Waiting(List.copyOf(asked), new LinkedHashSet<>(), new LinkedHashMap<>(), replyTo));
        return id;
    }

    /** Join requests answered at once because {@link #WAITING_MAX} waited already. */
    long refused() {
        return refused;
    }

    /** The node at {@code from} answered: requests it completes are answered now. */
    void answered(Address from) {
        heard(from, null);
    }

    /**
     * The node at {@code from} is of cluster {@code cluster} and refused: an answer too, so that the
     * request need not wait for its deadline, but reported as a refusal.
     */
    void refused(Address from, String cluster) {
        heard(from, cluster);
    }

    private void heard(Address from, String refusedBy) {
        for (var it = waiting.values().iterator(); it.hasNext(); ) {
            Waiting w = it.next();
            if (w.asked().contains(from)) {
                w.answered().add(from);
                if (refusedBy != null) {
                    w.refused().put(from, refusedBy);
                }
                if (w.answered().containsAll(w.asked())) {
                    reply(w);
                    it.remove();
                }
            }
        }
    }

    /** The request's time is up: it is answered with the addresses that answered so far. */
    void deadline(long id) {
        Waiting w = waiting.remove(id);
        if (w != null) {
            reply(w);
        }
    }

    private static void reply(Waiting w) {
        List<Address> answered = new ArrayList<>();
        List<Address> silent = new ArrayList<>();
        for (Address a : w.asked()) {
            if (!w.refused().containsKey(a)) {
                (w.answered().contains(a) ? answered : silent).add(a);
            }
        }
        w.replyTo().tell(new MembershipActor.Joined(answered, silent, false, Map.copyOf(w.refused())));
    }
}
