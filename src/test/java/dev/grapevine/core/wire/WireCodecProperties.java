package dev.grapevine.core.wire;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.member.MemberStatus;
import dev.grapevine.core.recovery.EpochProgress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WireCodecProperties {

    // ----- properties -------------------------------------------------------------------------------

    @Property
    void everyMessageRoundTripsAndHasItsComputedSize(@ForAll("messages") Message m) {
        byte[] bytes = WireCodec.encode(m);
        assertEquals(WireSize.of(m), bytes.length);
        assertEquals(m, WireCodec.decode(bytes));
    }

    @Property
    void rumorSizesAddUpToTheGossipSize(@ForAll("rumorLists") List<Rumor> rumors) {
        int rumorBytes = rumors.stream().mapToInt(WireSize::of).sum();
        assertEquals(WireCodec.encode(new Message.Gossip(rumors)).length, WireSize.gossipSize(rumors.size(), rumorBytes));
    }

    @Property(tries = 2000)
    void arbitraryBytesDecodeOrFailWithAWireFormatException(@ForAll @Size(max = 64) byte[] bytes) {
        decodeOnlyFailsCleanly(bytes);
    }

    /**
     * Random bytes rarely get past the version byte; a valid header followed by small byte values
     * (which look like short lengths, counts and type ids) gets deep into the decoder.
     */
    @Property(tries = 5000)
    void plausibleBytesDecodeOrFailWithAWireFormatException(@ForAll @IntRange(min = 1, max = 6) int type,
                                                          @ForAll("smallByteTails") byte[] tail) {
        byte[] bytes = new byte[tail.length + 2];
        bytes[0] = (byte) WireCodec.VERSION;
        bytes[1] = (byte) type;
        System.arraycopy(tail, 0, bytes, 2, tail.length);
        decodeOnlyFailsCleanly(bytes);
    }

    /** One corruption of a real encoding: replace, insert or delete a byte, or cut the message short. */
    @Property(tries = 3000)
    void corruptedEncodingsDecodeOrFailWithAWireFormatException(@ForAll("messages") Message m,
                                                              @ForAll @IntRange(min = 0, max = 3) int kind,
                                                              @ForAll @IntRange(min = 0, max = 100_000) int where,
                                                              @ForAll byte value) {
        byte[] bytes = WireCodec.encode(m);
        int at = where % bytes.length;
        byte[] corrupt = switch (kind) {
            case 0 -> {
                byte[] b = bytes.clone();
                b[at] = value;
                yield b;
            }
            case 1 -> {
                byte[] b = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, b, 0, at);
                b[at] = value;
                System.arraycopy(bytes, at, b, at + 1, bytes.length - at);
                yield b;
            }
            case 2 -> {
                byte[] b = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, b, 0, at);
                System.arraycopy(bytes, at + 1, b, at, bytes.length - at - 1);
                yield b;
            }
            default -> Arrays.copyOf(bytes, at);
        };
        decodeOnlyFailsCleanly(corrupt);
    }

    /**
     * The contract for untrusted input: a message or a {@link WireFormatException}, nothing else.
     * Whatever decodes must re-encode to the same bytes, since the decoder accepts only the canonical form.
     */
    private static void decodeOnlyFailsCleanly(byte[] bytes) {
        WireCodec.Frame frame;
        try {
            frame = WireCodec.decodeFrame(bytes, 0, bytes.length);
        } catch (WireFormatException expected) {
            return;
        } catch (RuntimeException | Error other) {
            throw new AssertionError("decode threw " + other + " for " + Arrays.toString(bytes), other);
        }
        Message m = frame.message();
        assertArrayEquals(bytes, WireCodec.encode(frame.cluster(), m), () -> "re-encoding of " + m);
    }

    // ----- generators -------------------------------------------------------------------------------

    /**
     * Strings over the whole BMP except surrogates (which cannot be valid on their own), optionally
     * followed by a supplementary character, so 1-, 2-, 3- and 4-byte UTF-8 sequences all occur.
     */
    private static Arbitrary<String> text(int minLength, int maxLength) {
        Arbitrary<String> bmp = Arbitraries.strings()
                .withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFF')
                .ofMinLength(minLength).ofMaxLength(maxLength);
        Arbitrary<String> suffix = Arbitraries.of("", "", "😀", "𝄞", "\uFFFF");
        return Combinators.combine(bmp, suffix).as(String::concat);
    }

    private static Arbitrary<Long> nonNegative() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE);
    }

    private static Arbitrary<Member> members() {
        Arbitrary<Address> addresses = Combinators.combine(text(1, 20), Arbitraries.integers().between(1, 65_535))
                .as(Address::new);
        Arbitrary<TreeMap<String, String>> tags = Arbitraries.maps(text(0, 8), text(0, 8)).ofMaxSize(4)
                .map(TreeMap::new);
        return Combinators.combine(text(1, 12), addresses, nonNegative(), nonNegative(),
                        Arbitraries.of(MemberStatus.class), tags)
                .as(Member::new);
    }

    private static Arbitrary<Rumor> rumors() {
        Arbitrary<Rumor> memberRumors = Combinators.combine(members(), text(0, 10)).as(Rumor.MemberRumor::new);
        return Arbitraries.oneOf(memberRumors, events().map(Rumor.EventRumor::new), progress().map(Rumor.ProgressRumor::new));
    }

    /** Names up to 60 chars: past 42 the encoder measures strings before writing them. */
    private static Arbitrary<UserEvent> events() {
        return Combinators.combine(text(0, 10), nonNegative(), text(1, 60), Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
                .as(UserEvent::new);
    }

    @Provide
    Arbitrary<List<Rumor>> rumorLists() {
        return rumors().list().ofMaxSize(6);
    }

    /** Up to 40 members (past 32 the count is still one byte; words of 1 to 19 bytes), any epoch. */
    private static Arbitrary<EpochProgress> progress() {
        Arbitrary<Integer> counts = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<long[]> word = Combinators.combine(Arbitraries.longs().between(0, EpochProgress.SEQ_MAX), counts, counts)
                .as((seq, pending, failed) -> seq == 0 ? new long[3] : new long[] {seq, pending, failed});
        return Combinators.combine(Arbitraries.longs(), word.list().ofMinSize(1).ofMaxSize(40)).as((epoch, words) -> {
            EpochProgress p = EpochProgress.empty(epoch, words.size());
            for (int i = 0; i < words.size(); i++) {
                long[] w = words.get(i);
                p = p.with(i, w[0], (int) w[1], (int) w[2]);
            }
            return p;
        });
    }

    @Provide
    Arbitrary<byte[]> smallByteTails() {
        return Arbitraries.bytes().between((byte) 0, (byte) 8).array(byte[].class).ofMaxSize(40);
    }

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<List<Rumor>> rumorLists = rumorLists();
        Arbitrary<Address> addresses = Combinators.combine(text(1, 20), Arbitraries.integers().between(1, 65_535))
                .as(Address::new);
        return Arbitraries.oneOf(
                Combinators.combine(nonNegative(), text(0, 12), rumorLists).as(Message.Ping::new),
                Combinators.combine(nonNegative(), rumorLists).as(Message.Ack::new),
                nonNegative().map(Message.Nack::new),
                Combinators.combine(nonNegative(), text(0, 12), addresses).as(Message.PingReq::new),
                rumorLists.map(Message.Gossip::new),
                Combinators.combine(Arbitraries.longs(), nonNegative()).as(Message.ViewDigest::new),
                Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false), nonNegative(),
                        members().list().ofMaxSize(4), events().list().ofMaxSize(3), progress().list().ofMaxSize(3))
                        .as(Message.PushPull::new));
    }
}
