package dev.grapevine.core.node;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The plausibility rules, one claim against one held record, at a clock of 1,000,000,000 ms. */
class ClaimsTest {
    private static final long NOW = 1_000_000_000L;
    private static final Address HOME = new Address("n2.test", 7946);
    private static final Address ELSEWHERE = new Address("evil.test", 7946);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // case,                               epoch,              inc,      address,   status, verdict
            "same life newer incarnation,          1000000000,         1,        home,      ALIVE,  PLAUSIBLE",
            "dead at held life,                    1000000000,         0,        home,      DEAD,   PLAUSIBLE",
            "restart a minute later,               1000060000,         0,        home,      ALIVE,  PLAUSIBLE",
            "rejoin under a new address,           1000060000,         0,        elsewhere, ALIVE,  PLAUSIBLE",
            "restart 59 minutes ahead (skew),      1003540000,         0,        home,      ALIVE,  PLAUSIBLE",
            "dead at a far-future epoch,           9000000000000,      0,        elsewhere, DEAD,   EPOCH_AHEAD",
            "alive 61 minutes ahead,               1003660000,         0,        home,      ALIVE,  EPOCH_AHEAD",
            "moved within its life,                1000000000,         5,        elsewhere, DEAD,   ADDRESS_MOVED",
            "moved within its life while alive,    1000000000,         5,        elsewhere, ALIVE,  ADDRESS_MOVED",
            "incarnation jump at the bound,        1000000000,         1000000,  home,      ALIVE,  PLAUSIBLE",
            "incarnation jump over the bound,      1000000000,         1000001,  home,      SUSPECT,INCARNATION_JUMP",
            "older life,                           999000000,          9,        elsewhere, DEAD,   PLAUSIBLE",
    })
    void judgesAClaimAgainstTheHeldRecord(String name, long epoch, long incarnation, String where,
                                          MemberStatus status, Claims.Verdict verdict) {
        Member held = Member.alive("n2", HOME, NOW, 0, Map.of());
        Member claim = Member.alive("n2", where.equals("home") ? HOME : ELSEWHERE, epoch, incarnation, Map.of())
                .withStatus(status);
        assertEquals(verdict, Claims.judge(claim, held, NOW + 1000), name);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // case,                                   claim about, claim address, held status, may
            "a joiner about itself,                    n9,          sender,        NONE,        true",
            "a stranger about a live member,           n2,          elsewhere,     ALIVE,       false",
            "a stranger about a suspect member,        n2,          elsewhere,     SUSPECT,     false",
            "a stranger about a dead member,           n2,          elsewhere,     DEAD,        true",
            "a stranger about an unknown member,       n7,          elsewhere,     NONE,        true",
            "a stranger about this node,               n1,          elsewhere,     ALIVE,       true",
            "a dead member back about itself,          n3,          sender,        DEAD,        true",
    })
    void aSenderThatIsNotALiveMemberMayNotAccuseOne(String name, String about, String where, String held, boolean may) {
        Address sender = new Address("sender.test", 7946);
        Member claim = Member.alive(about, where.equals("sender") ? sender : ELSEWHERE, NOW, 0, Map.of())
                .withStatus(MemberStatus.DEAD);
        Member current = held.equals("NONE") ? null
                : Member.alive(about, where.equals("sender") ? sender : HOME, NOW, 0, Map.of()).withStatus(MemberStatus.valueOf(held));
        assertEquals(may, Claims.strangerMay(claim, current, sender, "n1"), name);
    }
}
