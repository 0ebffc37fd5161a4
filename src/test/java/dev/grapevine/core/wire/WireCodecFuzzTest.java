package dev.grapevine.core.wire;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.recovery.EpochProgress;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the wire codec, complementing {@link WireCodecProperties}: the fuzzer
 * steers bytes into the decoder's deeper branches (a valid header, then a valid rumor, then a
 * member...) that random bytes rarely reach. Without {@code JAZZER_FUZZ} it replays the kept inputs
 * under {@code WireCodecFuzzTestInputs/}: real encodings and every input that once failed.
 */
class WireCodecFuzzTest {

    /** Untrusted bytes: a message that re-encodes to the same bytes, or a WireFormatException; nothing else. */
    @FuzzTest(maxDuration = "3m")
    void decodeArbitraryBytes(byte[] bytes) {
        Message m;
        try {
            m = WireCodec.decode(bytes);
        } catch (WireFormatException expected) {
            return;
        }
        byte[] again = WireCodec.encode(m);
        assertArrayEquals(bytes, again, "a decoded message re-encodes to the bytes it came from");
        assertEquals(bytes.length, WireSize.of(m), "the computed size of a decoded message");
        assertEquals(m.getClass(), WireCodec.decode(again).getClass());
    }

    /** Valid messages built from fuzzed fields: encoded at their computed size, and decoded to the same bytes. */
    @FuzzTest(maxDuration = "3m")
    void encodeBuiltMessages(FuzzedDataProvider data) {
        Message m;
        try {
            m = message(data);
        } catch (IllegalArgumentException invalidField) {
            return; // the fuzzer built a value the model itself refuses (an empty name, port 0, ...)
        }
        int size = WireSize.of(m);
        byte[] bytes;
        try {
            bytes = WireCodec.encode(m);
        } catch (IllegalArgumentException tooLarge) {
            assertTrue(size > WireCodec.MAX_MESSAGE_BYTES, "encode refused a message of " + size + " bytes: " + tooLarge.getMessage());
            return;
        }
        assertEquals(size, bytes.length, "WireSize agrees with the encoding");
        assertTrue(bytes.length <= WireCodec.MAX_MESSAGE_BYTES);
        Message decoded = WireCodec.decode(bytes);
        assertArrayEquals(bytes, WireCodec.encode(decoded), "round trip");
        assertEquals(size, WireSize.of(decoded));
    }

    private static Message message(FuzzedDataProvider d) {
        switch (d.consumeInt(0, 7)) {
            case 0:
                return new Message.Ping(seq(d), d.consumeString(300), rumors(d));
            case 1:
                return new Message.Ack(seq(d), rumors(d));
            case 2:
                return new Message.Nack(seq(d));
            case 3:
                return new Message.PingReq(seq(d), d.consumeString(300), address(d));
            case 4:
                return new Message.Gossip(rumors(d));
            case 5:
                return new Message.ViewDigest(d.consumeLong(), seq(d));
            case 6:
                return new Message.Event(event(d), d.consumeLong());
            default: {
                List<Member> members = new ArrayList<>();
                for (int i = d.consumeInt(0, 8); i > 0; i--) {
                    members.add(member(d));
                }
                List<UserEvent> events = new ArrayList<>();
                for (int i = d.consumeInt(0, 4); i > 0; i--) {
                    events.add(event(d));
                }
                List<EpochProgress> progress = new ArrayList<>();
                for (int i = d.consumeInt(0, 3); i > 0; i--) {
                    progress.add(progress(d));
                }
                return new Message.PushPull(d.consumeBoolean(), d.consumeBoolean(), seq(d), members, events, progress);
            }
        }
    }

    /**
     * A counter the format carries: 0..Long.MAX_VALUE. Masked, because the first run of this test
     * found a negative one from consumeLong(0, Long.MAX_VALUE), which encode rightly refuses: a bug
     * of the test, kept as an input, not of the codec.
     */
    private static long seq(FuzzedDataProvider d) {
        return d.consumeLong() & Long.MAX_VALUE;
    }

    private static List<Rumor> rumors(FuzzedDataProvider d) {
        List<Rumor> rumors = new ArrayList<>();
        for (int i = d.consumeInt(0, 6); i > 0; i--) {
            switch (d.consumeInt(0, 2)) {
                case 0 -> rumors.add(new Rumor.MemberRumor(member(d), d.consumeString(130)));
                case 1 -> rumors.add(new Rumor.EventRumor(event(d)));
                default -> rumors.add(new Rumor.ProgressRumor(progress(d)));
            }
        }
        return rumors;
    }

    private static Address address(FuzzedDataProvider d) {
        return new Address(d.consumeString(260), d.consumeInt(0, 70_000));
    }

    private static Member member(FuzzedDataProvider d) {
        String name = d.consumeString(130);
        Address address = address(d);
        long epoch = seq(d);
        long incarnation = seq(d);
        MemberStatus status = d.pickValue(MemberStatus.values());
        TreeMap<String, String> tags = new TreeMap<>();
        for (int i = d.consumeInt(0, 5); i > 0; i--) {
            tags.put(d.consumeString(40), d.consumeString(300));
        }
        return new Member(name, address, epoch, incarnation, status, tags);
    }

    private static UserEvent event(FuzzedDataProvider d) {
        return new UserEvent(d.consumeString(130), seq(d), d.consumeString(130), d.consumeBytes(d.consumeInt(0, 2000)));
    }

    private static EpochProgress progress(FuzzedDataProvider d) {
        int n = d.consumeInt(1, 40);
        long[] seq = new long[n];
        int[] pending = new int[n];
        int[] failed = new int[n];
        for (int i = 0; i < n; i++) {
            seq[i] = (d.consumeLong() & Long.MAX_VALUE) % (EpochProgress.SEQ_MAX + 1);
            pending[i] = d.consumeInt(0, Integer.MAX_VALUE);
            failed[i] = d.consumeInt(0, Integer.MAX_VALUE);
        }
        return EpochProgress.of(d.consumeLong(), seq, pending, failed);
    }
}
