package dev.grapevine.core.gossip;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.AppState;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.recovery.EpochProgress;

import java.util.Objects;

/**
 * One item of piggybacked gossip. Rumor type ids on the wire: ONLY APPEND, never renumber.
 */
public sealed interface Rumor {

    /** What the broadcast queue keys on: a newer rumor with the same subject replaces an older one. */
    Object subject();

    /**
     * A member's state, whole. {@code source} is who asserted it: the accuser of a suspicion or death
     * (Lifeguard counts distinct accusers as confirmations), the member itself for alive and left.
     */
    record MemberRumor(Member member, String source) implements Rumor {
        public MemberRumor {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(source, "source");
        }

        @Override
        public Object subject() {
            return member.name();
        }
    }

    /** A user event; never replaced, it leaves the queue when sent often enough. */
    record EventRumor(UserEvent event) implements Rumor {
        public EventRumor {
            Objects.requireNonNull(event, "event");
        }

        @Override
        public Object subject() {
            return new EventId(event.origin(), event.ltime());
        }
    }

    /** Identity of a user event: its origin's name and Lamport time. */
    record EventId(String origin, long ltime) {
    }

    /**
     * Every member's word on its recovery work in one epoch ({@link EpochProgress}), apart from member
     * records: a progress change is news for recovery alone, so it neither raises an incarnation nor
     * carries addresses and tags. Of two about the same epoch, neither replaces the other: they merge.
     */
    record ProgressRumor(EpochProgress progress) implements Rumor {
        public ProgressRumor {
            Objects.requireNonNull(progress, "progress");
        }

        @Override
        public Object subject() {
            return new ProgressOf(progress.epoch());
        }
    }

    /** What a {@link ProgressRumor} is about: one epoch's progress, a merged value replacing the older. */
    record ProgressOf(long epoch) {
    }

    /**
     * One value of a member's application state ({@link AppState}); a newer value of the same owner
     * and key replaces it in the queue.
     */
    record StateRumor(AppState state) implements Rumor {
        public StateRumor {
            Objects.requireNonNull(state, "state");
        }

        @Override
        public Object subject() {
            return new StateOf(state.owner(), state.key());
        }
    }

    /** What a {@link StateRumor} is about: one key of one member's application state. */
    record StateOf(String owner, String key) {
    }
}
