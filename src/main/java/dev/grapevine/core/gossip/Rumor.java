package dev.grapevine.core.gossip;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.recovery.Progress;

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
     * A member's word on its recovery work ({@link Progress}), apart from its member record: a
     * progress change is news for recovery alone, so it neither raises the member's incarnation nor
     * carries its address and tags. Of two from the same member, the later life wins, then the higher
     * {@code seq} (the member counts its publications within a life).
     *
     * @param member the member whose progress this is
     * @param life   the member's epoch (one per process life)
     * @param seq    the member's publication counter in this life
     * @param epoch  the recovery epoch's 64-bit name ({@link Progress#epoch()} is its 16 hex digits)
     */
    record ProgressRumor(String member, long life, long seq, long epoch, int pending, int failed) implements Rumor {
        public ProgressRumor {
            Objects.requireNonNull(member, "member");
            if (life < 0 || seq < 0 || pending < 0 || failed < 0) {
                throw new IllegalArgumentException("life, seq, pending and failed cannot be negative: " + life + ", "
                        + seq + ", " + pending + ", " + failed);
            }
        }

        /** @throws IllegalArgumentException if the progress's epoch is not 16 lowercase hex digits */
        public static ProgressRumor of(String member, long life, long seq, Progress progress) {
            return new ProgressRumor(member, life, seq, Progress.epochBits(progress.epoch()), progress.pending(),
                    progress.failed());
        }

        public Progress progress() {
            return new Progress(Progress.epochName(epoch), pending, failed);
        }

        /** Whether this supersedes {@code other}, a word from the same member. */
        public boolean newerThan(ProgressRumor other) {
            return life != other.life ? life > other.life : seq > other.seq;
        }

        @Override
        public Object subject() {
            return new ProgressOf(member);
        }
    }

    /** What a {@link ProgressRumor} is about: one member's progress, the newest replacing the older. */
    record ProgressOf(String member) {
    }
}
