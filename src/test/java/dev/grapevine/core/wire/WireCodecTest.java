package dev.grapevine.core.wire;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.AppState;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.recovery.EpochProgress;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class WireCodecTest {

    // ----- fixtures ---------------------------------------------------------------------------------

    private static final long EPOCH = 1_732_450_000_000L;
    /** The version byte every hand-built message starts with. */
    private static final byte V = WireCodec.VERSION;

    private static Member member(String name, String host, int port, long epoch, long incarnation,
                                 MemberStatus status, Map<String, String> tags) {
        return new Member(name, new Address(host, port), epoch, incarnation, status, new TreeMap<>(tags));
    }

    /** The "typical" member of the report: no tags, millisecond epoch, small incarnation. */
    private static Member typicalMember() {
        return member("node-17", "10.0.0.17", 7946, EPOCH, 3, MemberStatus.ALIVE, Map.of());
    }

    private static Rumor.MemberRumor typicalRumor() {
        return new Rumor.MemberRumor(typicalMember(), "node-17");
    }

    private static Rumor.EventRumor event(String origin, long ltime, String name, byte[] payload) {
        return new Rumor.EventRumor(new UserEvent(origin, ltime, name, payload));
    }

    private static List<Rumor> mixedRumors() {
        byte[] allByteValues = new byte[256];
        for (int i = 0; i < 256; i++) {
            allByteValues[i] = (byte) i;
        }
        return List.of(
                typicalRumor(),
                new Rumor.MemberRumor(member("nœud-ü", "::1", 65_535, 0, Long.MAX_VALUE, MemberStatus.SUSPECT,
                        Map.of("role", "db", "zone", "eu-west-1a", "émoji", "😀🚀")), "节点-3"),
                new Rumor.MemberRumor(member("x", "h", 1, Long.MAX_VALUE, 0, MemberStatus.DEAD, Map.of("", "")), ""),
                new Rumor.MemberRumor(typicalMember().withStatus(MemberStatus.LEFT), "node-17"),
                event("node-1", 0, "deploy", new byte[0]),
                event("", Long.MAX_VALUE, "ünïcødé-𝄞", allByteValues),
                // strings past 42 chars take the writer's measure-first path; 64+ 'ü' need a 2-byte length
                new Rumor.MemberRumor(member("long", "h".repeat(200), 9, 1, 1, MemberStatus.ALIVE,
                        Map.of("t", "ü".repeat(300))), "s".repeat(43)),
                event("o".repeat(42), 1, "ü".repeat(100), new byte[]{7}),
                typicalProgress(),
                // the largest publication number and counts, a word not heard, and a member past 127
                new Rumor.ProgressRumor(EpochProgress.empty(-1L, 200).with(0, EpochProgress.SEQ_MAX, Integer.MAX_VALUE,
                        Integer.MAX_VALUE).with(199, 1, 0, 1)),
                new Rumor.ProgressRumor(EpochProgress.empty(Long.MIN_VALUE, 1)));
    }

    /**
     * An epoch of 20 after a death: 17 members said done (in their first to third publications), one
     * has 4 exchanges pending, and two have not been heard from yet.
     */
    private static Rumor.ProgressRumor typicalProgress() {
        EpochProgress p = EpochProgress.empty(0x9f3c61d2a07be415L, 20);
        for (int i = 0; i < 17; i++) {
            p = p.with(i, 1 + i % 3, 0, 0);
        }
        return new Rumor.ProgressRumor(p.with(17, 2, 4, 0));
    }

    /** Encodes, checks the size promise and the round trip, and returns the bytes. */
    private static byte[] roundTrip(Message m) {
        byte[] bytes = WireCodec.encode(m);
        assertEquals(WireSize.of(m), bytes.length, () -> "WireSize of " + m);
        assertEquals(m, WireCodec.decode(bytes));
        return bytes;
    }

    private static List<Message> samples() {
        List<Rumor> manyRumors = new ArrayList<>();
        for (int i = 0; i < 200; i++) { // past 127, so the count varint takes two bytes
            manyRumors.add(event("n" + i, i, "e", new byte[]{(byte) i}));
        }
        return List.of(
                new Message.Ping(1, "n1", List.of()),
                new Message.Ping(Long.MAX_VALUE, "节点-😀", mixedRumors()),
                new Message.Ping(0, "", List.of()),
                new Message.Ack(0, List.of()),
                new Message.Ack(Long.MAX_VALUE, mixedRumors()),
                new Message.Nack(0),
                new Message.Nack(Long.MAX_VALUE),
                new Message.PingReq(7, "node-17", new Address("10.0.0.17", 7946)),
                new Message.PingReq(Long.MAX_VALUE, "ü", new Address("fe80::1%eth0", 65_535)),
                new Message.PingReq(1, "€".repeat(42), new Address("x".repeat(255), 1)),
                new Message.Gossip(List.of()),
                new Message.Gossip(mixedRumors()),
                new Message.Gossip(manyRumors),
                new Message.ViewDigest(0, 0),
                new Message.ViewDigest(-1L, Long.MAX_VALUE),
                new Message.ViewDigest(0x8000_0000_0000_0001L, 300),
                new Message.Event(new UserEvent("n1", 0, "x", new byte[0]), 0),
                new Message.Event(new UserEvent("节点-😀", Long.MAX_VALUE, "deploy", new byte[] {0, -1, 127}), -1L),
                new Message.PushPull(false, false, 0, List.of()),
                new Message.PushPull(true, false, 5, List.of(typicalMember())),
                new Message.PushPull(false, true, Long.MAX_VALUE, List.of(typicalMember(),
                        member("b", "10.0.0.2", 7946, 2, 9, MemberStatus.SUSPECT, Map.of("k", "v")))),
                new Message.PushPull(true, true, 1, List.of(typicalMember().withStatus(MemberStatus.DEAD))),
                new Message.PushPull(false, false, 3, List.of(typicalMember()), List.of(),
                        List.of(typicalProgress().progress(), EpochProgress.empty(0, 2).with(1, 1, 4, 1))),
                new Message.Gossip(List.of(new Rumor.StateRumor(new AppState("n1", "schema", 7, 1, new byte[0])),
                        new Rumor.StateRumor(new AppState("节点-😀", "ü", Long.MAX_VALUE, Long.MAX_VALUE, new byte[250])))),
                new Message.PushPull(true, false, 3, List.of(typicalMember()), List.of(), List.of(), "prod",
                        List.of(new AppState("n1", "schema", 7, 300, new byte[] {1, 2, 3}))),
                new Message.PushPull(false, true, 3, List.of(typicalMember()), List.of(), List.of(), "",
                        List.of(new AppState("n1", "a", 0, 1, new byte[0]), new AppState("n2", "a", 1, 1, new byte[] {-1}))));
    }

    @Test
    void applicationStateOutsideItsFormIsRefused() {
        // Push-pull, flags: state, no cluster; clock 0; no members, events or progress; then the states.
        assertMentions(rejects(frame(6, 8, 0, 0, 0, 0, 0)), "the state flag is set but no state follows");
        Raw zeroVersion = new Raw().header().u8(5).u8(1).u8(WireCodec.RUMOR_STATE).str("n1").str("k").varint(1).varint(0).varint(0);
        assertMentions(rejects(zeroVersion.toBytes()), "invalid application state at offset 12", "version >= 1");
        Raw tooLarge = new Raw().header().u8(5).u8(1).u8(WireCodec.RUMOR_STATE).str("n1").str("k").varint(1).varint(1)
                .varint(AppState.BYTES_MAX);
        for (int i = 0; i < AppState.BYTES_MAX; i++) {
            tooLarge.u8(0);
        }
        assertMentions(rejects(tooLarge.toBytes()), "takes 257 bytes (key plus value); the limit is 256");
    }

    @Test
    void aPushPullWithoutApplicationStateIsTheBytesItWasBeforeThereWasAny() {
        Message.PushPull without = new Message.PushPull(false, true, 3, List.of(typicalMember()), List.of(), List.of(), "prod");
        byte[] bytes = roundTrip(without);
        assertEquals(WireCodec.FLAG_REPLY | WireCodec.FLAG_CLUSTER, bytes[10], "no state flag");
        assertEquals(roundTrip(Message.PushPull.of(false, true, 3, List.of(typicalMember()), List.of(), List.of(), "prod")).length,
                bytes.length);
    }

    // ----- round trips and sizes --------------------------------------------------------------------

    @Test
    void everySampleRoundTripsAndHasTheSizeWireSizeComputes() {
        for (Message m : samples()) {
            roundTrip(m);
        }
    }

    @Test
    void decodesFromTheMiddleOfALargerBuffer() {
        for (Message m : samples()) {
            byte[] bytes = WireCodec.encode(m);
            byte[] framed = new byte[bytes.length + 7];
            Arrays.fill(framed, (byte) 0xEE);
            System.arraycopy(bytes, 0, framed, 3, bytes.length);
            assertEquals(m, WireCodec.decode(framed, 3, bytes.length));
        }
    }

    @Test
    void userEventPayloadBytesSurviveExactly() {
        Message.Gossip g = new Message.Gossip(mixedRumors());
        Message.Gossip back = (Message.Gossip) WireCodec.decode(WireCodec.encode(g));
        UserEvent sent = ((Rumor.EventRumor) g.rumors().get(5)).event();
        UserEvent received = ((Rumor.EventRumor) back.rumors().get(5)).event();
        assertArrayEquals(sent.payload(), received.payload());
        assertEquals(256, received.payload().length);
    }

    @Test
    void rumorAndMemberSizesAddUpToTheMessageSize() {
        List<Rumor> rumors = mixedRumors();
        int rumorBytes = 0;
        for (Rumor r : rumors) {
            rumorBytes += WireSize.of(r);
        }
        assertEquals(WireCodec.encode(new Message.Gossip(rumors)).length, WireSize.gossipSize(rumors.size(), rumorBytes));
        assertEquals(WireCodec.encode(new Message.Ping(300, "node-17", rumors)).length,
                WireSize.pingSize(300, "node-17", rumors.size(), rumorBytes));
        assertEquals(WireCodec.encode(new Message.Ack(300, rumors)).length, WireSize.ackSize(300, rumors.size(), rumorBytes));
        // a rumor inside a list is exactly its WireSize: the list minus that rumor is that much shorter
        for (Rumor r : rumors) {
            assertEquals(WireSize.of(r), WireCodec.encode(new Message.Gossip(List.of(r))).length
                    - WireCodec.encode(new Message.Gossip(List.of())).length);
        }
        Member m = typicalMember();
        assertEquals(WireSize.of(m), WireCodec.encode(new Message.PushPull(false, false, 0, List.of(m))).length
                - WireCodec.encode(new Message.PushPull(false, false, 0, List.of())).length);
    }

    @Test
    void varintSizesAtTheSevenBitBoundaries() {
        long[][] table = {
                {0, 1}, {1, 1}, {127, 1}, {128, 2}, {16_383, 2}, {16_384, 3}, {(1L << 21) - 1, 3}, {1L << 21, 4},
                {(1L << 56) - 1, 8}, {1L << 56, 9}, {Long.MAX_VALUE, 9}};
        for (long[] row : table) {
            assertEquals(row[1], WireSize.varintSize(row[0]), "varint size of " + row[0]);
            // and the encoder agrees: a Nack is the header (version, cluster id, type) plus the seq varint
            assertEquals(WireSize.HEADER_BYTES + row[1], roundTrip(new Message.Nack(row[0])).length, "nack with seq " + row[0]);
        }
        assertEquals(1, WireSize.listOverhead(127));
        assertEquals(2, WireSize.listOverhead(128));
    }

    // ----- compactness: hand-checked sizes ----------------------------------------------------------

    @Test
    void smallPingIsSevenBytesLaidOutAsDocumented() {
        // version 05 | cluster id, 8 bytes | type Ping 01 | seq 1 -> 01 | target: length 02, 'n' '1' | rumor count 00  = 7 bytes
        byte[] bytes = roundTrip(new Message.Ping(1, "n1", List.of()));
        assertArrayEquals(frame(1, 1, 2, 'n', '1', 0), bytes);
    }

    @Test
    void pingReqLaysOutThePortAsAVarint() {
        // 01 04 | seq 01 | target 02 'n' '1' | host 08 "10.0.0.1" | port 7946 = 0x1F0A -> 8A 3E  = 17 bytes
        byte[] bytes = roundTrip(new Message.PingReq(1, "n1", new Address("10.0.0.1", 7946)));
        byte[] expected = new Raw().header().u8(4).u8(1).str("n1").str("10.0.0.1").u8(0x8A).u8(0x3E).toBytes();
        assertArrayEquals(expected, bytes);
    }

    @Test
    void handCheckedSizes() {
        // typical member: name 1+7, host 1+9, port 7946 -> 2, epoch 1_732_450_000_000 (41 bits) -> 6,
        // incarnation 3 -> 1, status 1, tag count 0 -> 1                                  = 29 bytes
        assertEquals(29, WireSize.of(typicalMember()));
        // member rumor: type 1 + member 29 + source "node-17" 1+7                        = 38 bytes
        assertEquals(38, WireSize.of(typicalRumor()));
        Object[][] table = {
                // header 2 + seq 1 + target 1+2 + count 1
                {new Message.Ping(1, "n1", List.of()), 7},
                // header 2 + seq 12_345 (2 bytes) + target 1+7 + count 1
                {new Message.Ping(12_345, "node-17", List.of()), 13},
                // the same plus one typical member rumor
                {new Message.Ping(12_345, "node-17", List.of(typicalRumor())), 13 + 38},
                // header 2 + seq 2 + count 1
                {new Message.Ack(12_345, List.of()), 5},
                {new Message.Ack(12_345, List.of(typicalRumor())), 5 + 38},
                // header 2 + seq 1
                {new Message.Nack(1), 3},
                // header 2 + count 1
                {new Message.Gossip(List.of()), 3},
                // header 2 + flags 1 + clock 1 + count 1 + member 29 + event count 1 + progress count 1
                {new Message.PushPull(true, false, 0, List.of(typicalMember())), 36},
                // progress of an epoch of 20: type 1 + epoch 8 + count 1 + 17 done words of 1 + a pending word
                // 1+1+1 + two unheard of 1 = 32, where one rumor per member took 26 each
                {new Message.Gossip(List.of(typicalProgress())), 3 + 32},
                // header 2 + digest 8 + clock 1: what an idle push-pull round sends, instead of two views
                {new Message.ViewDigest(0x9f3c61d2a07be415L, 12), 11},
                // event rumor: type 1 + origin 1+2 + ltime 1 + name 1+6 + payload 1+3 = 16, in a gossip of 3 + 16
                {new Message.Gossip(List.of(event("n1", 5, "deploy", new byte[]{1, 2, 3}))), 19},
                // sent straight by its origin: header 2 + the same event 15 + the origin's live-members digest 8, no rumor type or count
                {new Message.Event(new UserEvent("n1", 5, "deploy", new byte[]{1, 2, 3}), 42), 25},
        };
        for (Object[] row : table) {
            Message m = (Message) row[0];
            // Since version 5 every message also carries its cluster's id, 8 bytes, which the sizes above leave out.
            assertEquals((Integer) row[1] + 8, roundTrip(m).length, () -> "encoded size of " + m);
        }
    }

    // ----- encoding edge cases ----------------------------------------------------------------------

    @Test
    void loneSurrogateIsWrittenAsReplacementCharacterWithTheCountedSize() {
        Message.Ping ping = new Message.Ping(1, "a\uD800b", List.of());
        byte[] bytes = WireCodec.encode(ping);
        assertEquals(WireSize.of(ping), bytes.length);
        assertEquals(new Message.Ping(1, "a\uFFFDb", List.of()), WireCodec.decode(bytes));
    }

    @Test
    void tagsSortedByAnotherComparatorAreWrittenInNaturalOrder() {
        TreeMap<String, String> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.put("a", "1");
        reversed.put("b", "2");
        SortedMap<String, String> frozen = Collections.unmodifiableSortedMap(reversed);
        Member m = new Member("n", new Address("h", 1), 0, 0, MemberStatus.ALIVE, frozen);
        roundTrip(new Message.PushPull(false, false, 0, List.of(m)));
    }

    @Test
    void encodeRejectsWhatThePeerCouldNotDecode() {
        assertThrows(IllegalArgumentException.class, () -> WireCodec.encode(new Message.Nack(-1)));
        assertThrows(IllegalArgumentException.class, () -> WireCodec.encode(new Message.Ping(-5, "n", List.of())));
        assertThrows(IllegalArgumentException.class, () -> WireCodec.encode(new Message.PushPull(false, false, -1, List.of())));
        assertThrows(IllegalArgumentException.class, () -> WireSize.varintSize(-1));
        String tooLong = "x".repeat(WireCodec.MAX_STRING_BYTES + 1);
        assertThrows(IllegalArgumentException.class, () -> WireCodec.encode(new Message.Ping(1, tooLong, List.of())));
        byte[] huge = new byte[WireCodec.MAX_MESSAGE_BYTES];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WireCodec.encode(new Message.Gossip(List.of(event("n", 1, "big", huge)))));
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
    }

    // ----- bad input --------------------------------------------------------------------------------

    private static WireFormatException rejects(byte[] bytes) {
        return assertThrows(WireFormatException.class, () -> WireCodec.decode(bytes));
    }

    private static void assertMentions(WireFormatException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }

    @Test
    void emptyInput() {
        assertMentions(rejects(new byte[0]), "empty message");
    }

    @Test
    void wrongVersion() {
        assertMentions(rejects(new byte[]{9, 1, 1, 2, 'n', '1', 0}), "unsupported wire version 9 (this node speaks 6)");
        assertMentions(rejects(new byte[]{0}), "unsupported wire version 0");
    }

    @Test
    void unknownMessageType() {
        assertMentions(rejects(frame(42)), "unknown message type 42");
        assertMentions(rejects(frame(0)), "unknown message type 0");
    }

    @Test
    void everyProperPrefixOfEveryValidEncodingIsRejected() {
        for (Message m : samples()) {
            byte[] bytes = WireCodec.encode(m);
            for (int length = 0; length < bytes.length; length++) {
                int n = length;
                try {
                    WireCodec.decode(bytes, 0, n);
                    fail("a " + n + "-byte prefix of " + m + " decoded");
                } catch (WireFormatException expected) {
                    // the only acceptable outcome
                } catch (RuntimeException other) {
                    throw new AssertionError("prefix of " + n + " bytes of " + m + " threw " + other, other);
                }
            }
        }
    }

    @Test
    void truncationNamesTheFieldAndOffset() {
        // a gossip whose only rumor's member name says 5 bytes but only 1 follows
        byte[] bytes = new Raw().header().u8(5).u8(1).u8(1).u8(5).u8('a').toBytes();
        assertMentions(rejects(bytes), "truncated message: needed 4 more bytes for member name at offset 13");
    }

    @Test
    void trailingGarbage() {
        byte[] valid = WireCodec.encode(new Message.Nack(3));
        byte[] longer = Arrays.copyOf(valid, valid.length + 1);
        assertMentions(rejects(longer), "trailing garbage: 1 bytes after a complete Nack at offset 11");
    }

    @Test
    void hugeDeclaredListCount() {
        assertMentions(rejects(new Raw().header().u8(5).varint(1_000_000_000L).toBytes()), "gossip rumor count 1000000000");
        assertMentions(rejects(new Raw().header().u8(6).u8(0).u8(0).varint(Long.MAX_VALUE).toBytes()), "push-pull member count");
        assertMentions(rejects(new Raw().header().u8(2).u8(1).varint(3).u8(2).toBytes()), "exceeds the 1 bytes remaining");
    }

    @Test
    void stringLongerThanRemaining() {
        assertMentions(rejects(new Raw().header().u8(1).u8(1).varint(10).u8('a').toBytes()),
                "truncated message: needed 9 more bytes for ping target");
    }

    @Test
    void stringLongerThanTheLimit() {
        Raw raw = new Raw().header().u8(1).u8(1).varint(70_000);
        for (int i = 0; i < 70_000; i++) {
            raw.u8('a');
        }
        raw.u8(0);
        assertMentions(rejects(raw.toBytes()), "ping target length 70000", "exceeds the limit of 65536 bytes");
    }

    @Test
    void payloadLongerThanRemaining() {
        byte[] bytes = new Raw().header().u8(5).u8(1).u8(2).str("o").u8(1).str("e").varint(50).u8(1).toBytes();
        assertMentions(rejects(bytes), "event payload length 50");
    }

    @Test
    void messageLongerThanTheLimit() {
        assertMentions(rejects(new byte[WireCodec.MAX_MESSAGE_BYTES + 1]), "exceeds the limit of 2097152 bytes");
    }

    /** A gossip of one member rumor, built by hand so that any field can be made invalid. */
    private static Raw memberGossip(String name, int port, int status) {
        return new Raw().header().u8(5).u8(1).u8(1).str(name).str("h").varint(port).u8(0).u8(0).u8(status);
    }

    @Test
    void handBuiltMemberDecodes() {
        Message m = WireCodec.decode(memberGossip("a", 7946, 0).u8(0).str("a").toBytes());
        assertEquals(new Message.Gossip(List.of(new Rumor.MemberRumor(
                member("a", "h", 7946, 0, 0, MemberStatus.ALIVE, Map.of()), "a"))), m);
    }

    @Test
    void invalidPortInsideAMemberIsAWireFormatErrorWithTheCause() {
        WireFormatException e = rejects(memberGossip("a", 0, 0).u8(0).str("a").toBytes());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertMentions(e, "invalid address at offset 14", "port must be in 1..65535, but was 0");
        assertMentions(rejects(memberGossip("a", 70_000, 0).u8(0).str("a").toBytes()), "member port 70000");
        assertMentions(rejects(memberGossip("a", 1, 0).toBytes()), "truncated"); // sanity: the fixture alone is short
    }

    @Test
    void invalidMemberFieldsAreWireFormatErrors() {
        WireFormatException emptyName = rejects(memberGossip("", 1, 0).u8(0).str("a").toBytes());
        assertInstanceOf(IllegalArgumentException.class, emptyName.getCause());
        assertMentions(emptyName, "invalid member at offset 12", "name must not be empty");

        WireFormatException badStatus = rejects(memberGossip("a", 1, 7).u8(0).str("a").toBytes());
        assertInstanceOf(IllegalArgumentException.class, badStatus.getCause());
        assertMentions(badStatus, "unknown member status id 7");

        WireFormatException longName = rejects(memberGossip("n".repeat(Member.NAME_BYTES_MAX + 1), 1, 0).u8(0).str("a").toBytes());
        assertMentions(longName, "longer than 128 bytes");
    }

    @Test
    void invalidUserEventIsAWireFormatError() {
        WireFormatException e = rejects(new Raw().header().u8(5).u8(1).u8(2).str("o").u8(1).str("").u8(0).toBytes());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertMentions(e, "invalid user event at offset 12"); // the event's fields start after the rumor type byte
    }

    /** A gossip of one progress rumor of {@code count} members, up to its first word. */
    private static Raw progressGossip(long count) {
        return new Raw().header().u8(5).u8(1).u8(WireCodec.RUMOR_PROGRESS).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0xe1)
                .varint(count);
    }

    @Test
    void progressOutsideItsFormIsRefused() {
        assertEquals(new Message.Gossip(List.of(new Rumor.ProgressRumor(EpochProgress.empty(0xe1, 2).with(1, 3, 2, 0)))),
                WireCodec.decode(progressGossip(2).varint(0).varint(13).varint(2).varint(0).toBytes()), "the form itself");
        assertEquals(new Message.Gossip(List.of(new Rumor.ProgressRumor(EpochProgress.empty(0xe1, 1).with(0, 2, 0, 0, 1_700_000_000L)))),
                WireCodec.decode(progressGossip(1).varint(10).varint(1_700_000_000L).toBytes()), "done, repaired since a second");
        Raw tooMany = progressGossip(EpochProgress.MEMBERS_MAX + 1);
        for (int i = 0; i <= EpochProgress.MEMBERS_MAX; i++) {
            tooMany.u8(0);
        }
        assertAll(
                () -> assertMentions(rejects(progressGossip(0).toBytes()), "lists 0 members"),
                () -> assertMentions(rejects(tooMany.toBytes()), "lists 65537 members"),
                () -> assertMentions(rejects(progressGossip(1).varint(5).varint(0).varint(0).toBytes()),
                        "say done in the form for not done"),
                () -> assertMentions(rejects(progressGossip(1).varint(1).varint(4).varint(0).toBytes()),
                        "a member with no word (seq 0) has no counts"),
                () -> assertMentions(rejects(progressGossip(1).varint(2).varint(7).toBytes()),
                        "-1 for a member with no word"),
                () -> assertMentions(rejects(progressGossip(1).varint(5).varint(1L << 31).varint(0).toBytes()),
                        "out of range"));
    }

    @Test
    void unknownRumorType() {
        assertMentions(rejects(new Raw().header().u8(5).u8(1).u8(9).toBytes()), "unknown rumor type 9 at offset 11");
    }

    @Test
    void tagsMustAscendWithoutDuplicatesAndStayWithinTheLimit() {
        assertMentions(rejects(memberGossip("a", 1, 0).u8(2).str("b").str("1").str("a").str("2").str("a").toBytes()),
                "out of order");
        assertMentions(rejects(memberGossip("a", 1, 0).u8(2).str("a").str("1").str("a").str("2").str("a").toBytes()),
                "is a duplicate");
        String big = "v".repeat(600);
        assertMentions(rejects(memberGossip("a", 1, 0).u8(2).str("a").str(big).str("b").str(big).str("a").toBytes()),
                "exceed the limit of 1024 bytes");
    }

    @Test
    void unknownPushPullFlags() {
        // bit 2 is the cluster name, since version 5; bit 3 application state
        assertMentions(rejects(frame(6, 16, 0, 0)), "unknown push-pull flag bits 0x10 at offset 10");
    }

    @Test
    void malformedVarints() {
        Raw overflow = new Raw().header().u8(3);
        for (int i = 0; i < 9; i++) {
            overflow.u8(0xFF);
        }
        assertMentions(rejects(overflow.u8(0x01).toBytes()), "overflows a signed 64-bit value");
        Raw tooLong = new Raw().header().u8(3);
        for (int i = 0; i < 10; i++) {
            tooLong.u8(0x80);
        }
        assertMentions(rejects(tooLong.u8(0x00).toBytes()), "longer than 10 bytes");
        assertMentions(rejects(frame(3, (byte) 0x81, 0x00)), "over-long varint for nack seq");
        assertMentions(rejects(frame(3, (byte) 0x80)), "truncated message: needed 1 more byte for nack seq at offset 11");
    }

    @Test
    void malformedUtf8() {
        byte[] bytes = new Raw().header().u8(1).u8(1).u8(2).u8(0xC3).u8(0x28).u8(0).toBytes();
        assertMentions(rejects(bytes), "ping target at offset 12 is not valid UTF-8");
        // an encoded surrogate (CESU-8) is not UTF-8 either
        assertMentions(rejects(new Raw().header().u8(1).u8(1).u8(3).u8(0xED).u8(0xA0).u8(0x80).u8(0).toBytes()), "not valid UTF-8");
    }

    @Test
    void rangeOutsideTheArrayIsACallerBugNotBadInput() {
        assertThrows(IndexOutOfBoundsException.class, () -> WireCodec.decode(new byte[3], 2, 2));
    }

    /** Builds byte strings by hand, so tests state the layout independently of the encoder. */
    /** A message of the default cluster: the header, then {@code rest} (type and body). */
    static byte[] frame(int... rest) {
        Raw raw = new Raw().header();
        for (int b : rest) {
            raw.u8(b);
        }
        return raw.toBytes();
    }

    static final class Raw {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Raw u8(int b) {
            out.write(b);
            return this;
        }

        /** Version, then the default cluster's id (big-endian), as every message starts. */
        Raw header() {
            u8(V);
            long id = ClusterName.DEFAULT.id();
            for (int shift = 56; shift >= 0; shift -= 8) {
                u8((int) (id >>> shift) & 0xff);
            }
            return this;
        }

        Raw varint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        Raw str(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length);
            out.writeBytes(utf8);
            return this;
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
