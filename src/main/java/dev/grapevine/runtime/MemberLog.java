package dev.grapevine.runtime;

import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.log.GrapevineLogs;
import org.slf4j.Logger;

/**
 * One line per change of this node's view, under {@value GrapevineLogs#MEMBERSHIP}: who, at which
 * address, epoch and incarnation, and who said so when it was someone else.
 *
 * <p>Levels. A failed member is WARN: it is what an operator must look at, and what a log-based
 * alert should catch. Serf logs EventMemberFailed at INFO, but its WARN channel carries routine
 * noise too; ours holds refused input and failures only. A suspicion is INFO, as in memberlist: under
 * load it is routine and mostly refuted, and a WARN for each would cry wolf. Joins, refutations,
 * leaves, reaps and restarts are INFO.
 */
final class MemberLog {
    private static final Logger LOG = GrapevineLogs.logger(GrapevineLogs.MEMBERSHIP);

    private final String self;

    MemberLog(String self) {
        this.self = self;
    }

    void log(MemberEvent e) {
        String line = line(e);
        GrapevineLogs.asNode(self, () -> {
            if (e.kind() == MemberEvent.Kind.FAILED) {
                // Two members failing within a minute read alike once numbers are masked; each is news.
                LOG.warn(GrapevineLogs.UNTHROTTLED, line);
            } else if (onlyOwnTagsChanged(e)) {
                // The node's own tags (its load, every 30 s at most) are routine: a line per member and
                // change would bury the changes an operator made.
                LOG.debug(line);
            } else {
                LOG.info(line);
            }
        });
    }

    /** An update that changed nothing but tags under the reserved prefix (same epoch, address, status). */
    static boolean onlyOwnTagsChanged(MemberEvent e) {
        Member was = e.previous();
        Member now = e.member();
        return e.kind() == MemberEvent.Kind.UPDATED && was != null && was.epoch() == now.epoch()
                && was.address().equals(now.address()) && userTags(was).equals(userTags(now));
    }

    private static java.util.Map<String, String> userTags(Member m) {
        java.util.Map<String, String> user = new java.util.TreeMap<>(m.tags());
        user.keySet().removeIf(k -> k.startsWith(dev.grapevine.core.node.Membership.RESERVED_TAG_PREFIX));
        return user;
    }

    /** The line for {@code e}. */
    static String line(MemberEvent e) {
        Member m = e.member();
        Member was = e.previous();
        String by = e.source() == null || e.source().equals(m.name()) ? "" : ", by " + e.source();
        return switch (e.kind()) {
            case JOINED -> m.name() + " joined" + (m.status() == MemberStatus.SUSPECT ? " (suspected)" : "") + ": " + where(m) + by;
            case SUSPECTED -> m.name() + " is suspected" + by + ": " + where(m);
            case ALIVE_AGAIN -> m.name() + " is alive again" + again(was, m) + ": " + where(m);
            case FAILED -> m.name() + " failed" + (e.source() == null || e.source().equals(m.name()) ? "" : ", declared by " + e.source())
                    + ": " + where(m);
            case LEFT -> m.name() + " left: " + where(m);
            case REAPED -> m.name() + " was reaped (forgotten " + (m.status() == MemberStatus.LEFT ? "after leaving" : "as the longest dead")
                    + "): " + where(m);
            case UPDATED -> updated(was, m);
        };
    }

    private static String again(Member was, Member now) {
        if (was == null) {
            return "";
        }
        if (was.epoch() != now.epoch()) {
            return " (restarted: epoch " + was.epoch() + " -> " + now.epoch()
                    + (was.address().equals(now.address()) ? "" : ", address " + was.address() + " -> " + now.address())
                    + ", was " + status(was) + ")";
        }
        return switch (was.status()) {
            case SUSPECT -> " (refuted the suspicion: incarnation " + was.incarnation() + " -> " + now.incarnation() + ")";
            case DEAD -> " (after it failed: incarnation " + was.incarnation() + " -> " + now.incarnation() + ")";
            case LEFT -> " (after it left: incarnation " + was.incarnation() + " -> " + now.incarnation() + ")";
            case ALIVE -> "";
        };
    }

    private static String updated(Member was, Member now) {
        if (was != null && was.epoch() != now.epoch()) {
            return now.name() + " restarted: epoch " + was.epoch() + " -> " + now.epoch()
                    + (was.address().equals(now.address()) ? "" : ", address " + was.address() + " -> " + now.address())
                    + ": " + where(now);
        }
        if (was != null && !was.address().equals(now.address())) {
            return now.name() + " moved: address " + was.address() + " -> " + now.address() + ": " + where(now);
        }
        return now.name() + " changed its tags: " + where(now) + ", tags " + now.tags();
    }

    private static String where(Member m) {
        return m.address() + ", epoch " + m.epoch() + ", incarnation " + m.incarnation();
    }

    private static String status(Member m) {
        return m.status().name().toLowerCase(java.util.Locale.ROOT);
    }
}
