package dev.grapevine.core.member;

import static dev.grapevine.core.member.MemberEvent.Kind.ALIVE_AGAIN;
import static dev.grapevine.core.member.MemberEvent.Kind.FAILED;
import static dev.grapevine.core.member.MemberEvent.Kind.JOINED;
import static dev.grapevine.core.member.MemberEvent.Kind.SUSPECTED;
import static dev.grapevine.core.member.MemberEvent.Kind.UPDATED;
import static dev.grapevine.core.member.MemberEventTest.Change.ADDRESS;
import static dev.grapevine.core.member.MemberEventTest.Change.EPOCH;
import static dev.grapevine.core.member.MemberEventTest.Change.INCARNATION;
import static dev.grapevine.core.member.MemberEventTest.Change.STATUS;
import static dev.grapevine.core.member.MemberEventTest.Change.TAGS;
import static dev.grapevine.core.member.MemberStatus.ALIVE;
import static dev.grapevine.core.member.MemberStatus.DEAD;
import static dev.grapevine.core.member.MemberStatus.LEFT;
import static dev.grapevine.core.member.MemberStatus.SUSPECT;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MemberEventTest {

    /**
     * What differs between the previous and the next belief, besides the status. Every change keeps the
     * replacement legal (the next belief {@link Precedence#overrides} the previous one), as
     * {@link MemberEvent#between} is only called after that check.
     */
    enum Change {
        /** Only the status; the incarnation is raised when the status alone would not win. */
        STATUS,
        /** Same status, a higher incarnation (a refutation). */
        INCARNATION,
        /** A higher incarnation with different tags. */
        TAGS,
        /** A higher incarnation from another address. */
        ADDRESS,
        /** A restart: higher epoch, incarnation 0. */
        EPOCH
    }

    private static final Address ADDR = new Address("10.0.0.1", 7946);
    private static final Address OTHER_ADDR = new Address("10.0.0.2", 7946);
    private static final Map<String, String> TAGS_1 = Map.of("role", "db");
    private static final Map<String, String> TAGS_2 = Map.of("role", "db", "zone", "eu-1");

    private static Member previous(MemberStatus status) {
        return status == null ? null : new Member("node-1", ADDR, 3, 4, status, new TreeMap<>(TAGS_1));
    }

    private static Member next(Member previous, MemberStatus status, Change change) {
        if (previous == null) {
            return new Member("node-1", ADDR, 3, 4, status, new TreeMap<>(TAGS_1));
        }
        return switch (change) {
            case STATUS -> status.ordinal() > previous.status().ordinal()
                    ? previous.withStatus(status)
                    : previous.withStatus(status).withIncarnation(previous.incarnation() + 1);
            case INCARNATION -> previous.withStatus(status).withIncarnation(previous.incarnation() + 1);
            case TAGS -> previous.withStatus(status).withIncarnation(previous.incarnation() + 1).withTags(TAGS_2);
            case ADDRESS -> new Member("node-1", OTHER_ADDR, previous.epoch(), previous.incarnation() + 1, status,
                    previous.tags());
            case EPOCH -> new Member("node-1", previous.address(), previous.epoch() + 1, 0, status, previous.tags());
        };
    }

    private static Arguments row(MemberStatus previous, MemberStatus next, Change change, MemberEvent.Kind expected) {
        return Arguments.of(previous, next, change, expected);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // first heard of: alive or suspect is a join, a tombstone is not news
                row(null, ALIVE, STATUS, JOINED),
                row(null, SUSPECT, STATUS, JOINED),
                row(null, DEAD, STATUS, null),
                row(null, MemberStatus.LEFT, STATUS, null),
                // from ALIVE
                row(ALIVE, ALIVE, STATUS, null),
                row(ALIVE, SUSPECT, STATUS, SUSPECTED),
                row(ALIVE, DEAD, STATUS, FAILED),
                row(ALIVE, LEFT, STATUS, MemberEvent.Kind.LEFT),
                // from SUSPECT
                row(SUSPECT, ALIVE, STATUS, ALIVE_AGAIN),
                row(SUSPECT, SUSPECT, STATUS, null),
                row(SUSPECT, DEAD, STATUS, FAILED),
                row(SUSPECT, LEFT, STATUS, MemberEvent.Kind.LEFT),
                // from DEAD
                row(DEAD, ALIVE, STATUS, ALIVE_AGAIN),
                row(DEAD, SUSPECT, STATUS, SUSPECTED),
                row(DEAD, DEAD, STATUS, null),
                row(DEAD, LEFT, STATUS, MemberEvent.Kind.LEFT),
                // from LEFT
                row(LEFT, ALIVE, STATUS, ALIVE_AGAIN),
                row(LEFT, SUSPECT, STATUS, SUSPECTED),
                row(LEFT, DEAD, STATUS, FAILED),
                row(LEFT, LEFT, STATUS, null),
                // still alive: only a changed address, epoch or tags is news
                row(ALIVE, ALIVE, INCARNATION, null),
                row(ALIVE, ALIVE, TAGS, UPDATED),
                row(ALIVE, ALIVE, ADDRESS, UPDATED),
                row(ALIVE, ALIVE, EPOCH, UPDATED),
                // coming back is ALIVE_AGAIN even when other fields changed too
                row(SUSPECT, ALIVE, TAGS, ALIVE_AGAIN),
                row(DEAD, ALIVE, EPOCH, ALIVE_AGAIN),
                row(LEFT, ALIVE, ADDRESS, ALIVE_AGAIN));
    }

    @ParameterizedTest(name = "{0} -> {1} ({2}): {3}")
    @MethodSource("table")
    void eventFor(MemberStatus was, MemberStatus is, Change change, MemberEvent.Kind expected) {
        Member prev = previous(was);
        Member next = next(prev, is, change);
        assertTrue(Precedence.overrides(next, prev), "test setup: " + next + " must override " + prev);

        MemberEvent event = MemberEvent.between(prev, next, "node-9");

        if (expected == null) {
            assertNull(event, () -> "no event expected, got " + event);
        } else {
            assertAll(
                    () -> assertEquals(expected, event == null ? null : event.kind()),
                    () -> assertSame(next, event.member()),
                    () -> assertSame(prev, event.previous()),
                    () -> assertEquals("node-9", event.source()));
        }
    }

    @Test
    void tableCoversAllTwentyStatusTransitions() {
        long statusRows = table().filter(r -> r.get()[2] == STATUS).count();
        long distinct = table().filter(r -> r.get()[2] == STATUS)
                .map(r -> String.valueOf(r.get()[0]) + "->" + r.get()[1]).distinct().count();
        assertEquals(20, statusRows);
        assertEquals(20, distinct);
    }

    @Test
    void eventRequiresKindAndMember() {
        Member m = previous(ALIVE);
        assertThrows(NullPointerException.class, () -> new MemberEvent(null, m, null, "x"));
        assertThrows(NullPointerException.class, () -> new MemberEvent(JOINED, null, null, "x"));
    }
}
