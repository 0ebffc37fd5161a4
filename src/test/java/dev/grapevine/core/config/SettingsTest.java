package dev.grapevine.core.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SettingsTest {

    private static final Settings LAN = Profile.LAN.settings();

    // ---- profiles ----

    @ParameterizedTest
    @EnumSource(Profile.class)
    void everyProfileBuildsAndRebuilds(Profile profile) {
        Settings s = profile.settings();
        assertTrue(s.probeTimeout().compareTo(s.probeInterval()) < 0);
        assertEquals(s, s.toBuilder().build(), "toBuilder().build() keeps every field");
        assertSame(profile, Profile.parse(profile.id()));
    }

    @Test
    void lanMatchesMemberlistDefaultLanConfig() {
        assertAll(
                () -> assertEquals(Duration.ofSeconds(1), LAN.probeInterval()),
                () -> assertEquals(1000, LAN.probeIntervalMillis()),
                () -> assertEquals(Duration.ofMillis(500), LAN.probeTimeout()),
                () -> assertEquals(500, LAN.probeTimeoutMillis()),
                () -> assertEquals(3, LAN.indirectChecks()),
                () -> assertEquals(Duration.ofMillis(200), LAN.gossipInterval()),
                () -> assertEquals(200, LAN.gossipIntervalMillis()),
                () -> assertEquals(3, LAN.gossipFanout()),
                () -> assertEquals(4, LAN.suspicionMult()),
                () -> assertEquals(6, LAN.suspicionMaxMult()),
                () -> assertEquals(Duration.ofSeconds(30), LAN.pushPullInterval()),
                () -> assertEquals(Duration.ofSeconds(30), LAN.gossipToTheDead()),
                // deliberately not memberlist's 4: retransmits scale with log2, see Settings#retransmitLimit
                () -> assertEquals(3, LAN.retransmitMult()));
    }

    // ---- derived timings (expected values computed by hand) ----

    @ParameterizedTest(name = "n={0}: suspicion min {1} ms, max {2} ms")
    @CsvSource({
            // n,    min,   max (= 6 x min)
            "1,     4000,  24000",
            "5,     4000,  24000",
            "10,    4000,  24000",
            "20,    5204,  31224", // 4 * log10(20) = 5.20412
            "50,    6796,  40776", // 4 * log10(50) = 6.79588
            "100,   8000,  48000",
            "1000,  12000, 72000",
            "10000, 16000, 96000",
    })
    void lanSuspicionTimeout(int n, long minMillis, long maxMillis) {
        assertEquals(minMillis, LAN.suspicionMinMillis(n), "suspicionMinMillis(" + n + ")");
        assertEquals(maxMillis, LAN.suspicionMaxMillis(n), "suspicionMaxMillis(" + n + ")");
    }

    @ParameterizedTest(name = "n={0}: {1} retransmits")
    @CsvSource({
            // n,    3 * ceil(log2(n + 1))
            "1,     3",  // ceil(log2 2) = 1
            "2,     6",  // ceil(log2 3) = 2
            "5,     9",  // ceil(log2 6) = 3
            "7,     9",  // ceil(log2 8) = 3
            "8,     12", // ceil(log2 9) = 4: powers of two need one more than log2 n
            "9,     12", // ceil(log2 10) = 4
            "10,    12", // ceil(log2 11) = 4
            "1000,  30", // ceil(log2 1001) = 10
            "1024,  33", // ceil(log2 1025) = 11
            "10000, 42", // ceil(log2 10001) = 14
    })
    void lanRetransmitLimit(int n, int expected) {
        assertEquals(expected, LAN.retransmitLimit(n));
    }

    @ParameterizedTest(name = "n={0}: push-pull every {1} ms")
    @CsvSource({
            // n,    base * (ceil(log2 n - 5) + 1) above 32
            "10,    30000",
            "32,    30000",
            "33,    60000",  // log2 33 = 5.04 -> ceil(0.04) = 1 -> x2
            "64,    60000",  // log2 64 = 6 -> ceil(1) = 1 -> x2
            "65,    90000",  // log2 65 = 6.02 -> ceil(1.02) = 2 -> x3
            "128,   90000",  // log2 128 = 7 -> ceil(2) = 2 -> x3
            "129,   120000", // log2 129 = 7.01 -> ceil(2.01) = 3 -> x4
            "1000,  180000", // log2 1000 = 9.97 -> ceil(4.97) = 5 -> x6
            "10000, 300000", // log2 10000 = 13.29 -> ceil(8.29) = 9 -> x10
    })
    void lanPushPullInterval(int n, long expectedMillis) {
        assertEquals(expectedMillis, LAN.pushPullIntervalMillis(n));
    }

    // ---- validation ----

    static Stream<Arguments> invalid() {
        return Stream.of(
                invalid("probe-timeout equal to probe-interval",
                        b -> b.probeTimeout(Duration.ofSeconds(1)), "probe-timeout", "probe-interval"),
                invalid("probe-timeout longer than probe-interval",
                        b -> b.probeTimeout(Duration.ofSeconds(2)), "probe-timeout", "probe-interval"),
                invalid("fanout 0", b -> b.gossipFanout(0), "gossip-fanout = 0", "1..16"),
                invalid("zero probe-interval", b -> b.probeInterval(Duration.ZERO), "probe-interval"),
                invalid("zero probe-timeout", b -> b.probeTimeout(Duration.ZERO), "probe-timeout"),
                invalid("zero gossip-interval", b -> b.gossipInterval(Duration.ZERO), "gossip-interval"),
                invalid("zero gossip-to-the-dead", b -> b.gossipToTheDead(Duration.ZERO), "gossip-to-the-dead"),
                invalid("zero push-pull-interval", b -> b.pushPullInterval(Duration.ZERO), "push-pull-interval"),
                invalid("zero reconnect-interval", b -> b.reconnectInterval(Duration.ZERO), "reconnect-interval"),
                invalid("sub-millisecond gossip-interval", b -> b.gossipInterval(Duration.ofNanos(999_999)),
                        "gossip-interval", "at least 1 ms"),
                invalid("negative probe-interval", b -> b.probeInterval(Duration.ofMillis(-1)), "probe-interval"),
                invalid("missing gossip-interval", b -> b.gossipInterval(null), "gossip-interval", "missing"),
                invalid("8 days reconnect-interval", b -> b.reconnectInterval(Duration.ofDays(8)),
                        "reconnect-interval", "7 days"),
                invalid("suspicion-mult 0", b -> b.suspicionMult(0), "suspicion-mult"),
                invalid("retransmit-mult 0", b -> b.retransmitMult(0), "retransmit-mult"),
                invalid("indirect-checks 17", b -> b.indirectChecks(17), "indirect-checks"),
                invalid("user event larger than the gossip budget", b -> b.gossipBytesMax(1024).userEventBytesMax(1024),
                        "user-event-max-bytes", "gossip-max-bytes"));
    }

    private static Arguments invalid(String what, UnaryOperator<Settings.Builder> change, String... fragments) {
        return Arguments.of(what, change, fragments);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidSettingsNameTheKey(String what, UnaryOperator<Settings.Builder> change, String[] fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> change.apply(LAN.toBuilder()).build());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    () -> what + ": message '" + e.getMessage() + "' should mention '" + fragment + "'");
        }
    }

    @Test
    void everyErrorIsReportedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LAN.toBuilder().gossipFanout(0).relaysMax(0).gossipInterval(Duration.ZERO).build());
        assertTrue(e.getMessage().contains("gossip-fanout"), e.getMessage());
        assertTrue(e.getMessage().contains("relays-max"), e.getMessage());
        assertTrue(e.getMessage().contains("gossip-interval"), e.getMessage());
    }

    @Test
    void overridesApplyOnlyToTheirField() {
        Settings s = LAN.toBuilder().gossipFanout(5).probeTimeout(Duration.ofMillis(300)).build();
        assertEquals(5, s.gossipFanout());
        assertEquals(Duration.ofMillis(300), s.probeTimeout());
        assertEquals(LAN.toBuilder().gossipFanout(5).probeTimeout(Duration.ofMillis(300)).build(), s);
        assertEquals(LAN.probeInterval(), s.probeInterval());
        assertEquals(LAN.pushPullInterval(), s.pushPullInterval());
        assertEquals(3, LAN.gossipFanout(), "the profile itself is unchanged");
    }

    // ---- Profile.parse ----

    @Test
    void parseAcceptsAnyCaseAndSurroundingSpace() {
        assertSame(Profile.LAN, Profile.parse("LAN"));
        assertSame(Profile.WAN, Profile.parse(" wan "));
        assertSame(Profile.LOCAL, Profile.parse("Local"));
    }

    @Test
    void parseOfAnUnknownProfileListsTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Profile.parse("lab"));
        assertTrue(e.getMessage().contains("'lab'"), e.getMessage());
        assertTrue(e.getMessage().contains("lan, wan, local"), e.getMessage());
    }
}
