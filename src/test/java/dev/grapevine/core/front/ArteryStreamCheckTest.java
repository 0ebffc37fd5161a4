package dev.grapevine.core.front;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArteryStreamCheckTest {
    private static final List<byte[]> MAGICS = List.of("AKKA".getBytes(StandardCharsets.US_ASCII),
            "PEKK".getBytes(StandardCharsets.US_ASCII));
    private static final ArteryStreamCheck.Rules PLAIN = new ArteryStreamCheck.Rules(false, MAGICS, 1000, 5000);
    private static final ArteryStreamCheck.Rules TLS = new ArteryStreamCheck.Rules(true, MAGICS, 1000, 5000);

    private static ByteBuffer stream(String magic, int streamId, int... lengths) {
        ByteBuffer b = ByteBuffer.allocate(16 + 20_000).order(ByteOrder.LITTLE_ENDIAN);
        b.put(magic.getBytes(StandardCharsets.US_ASCII)).put((byte) streamId);
        for (int length : lengths) {
            b.putInt(length);
            if (length > 0 && length <= 10_000) {
                b.position(b.position() + length);
            }
        }
        b.flip();
        return b;
    }

    private static ArteryStreamCheck.Verdict whole(ArteryStreamCheck.Rules rules, ByteBuffer b) {
        return new ArteryStreamCheck(rules).feed(b, 0, b.limit());
    }

    @Test
    void framesWithinTheBoundsPass() {
        ArteryStreamCheck check = new ArteryStreamCheck(PLAIN);
        ByteBuffer b = stream("PEKK", 2, 1, 1000, 17);
        assertEquals(ArteryStreamCheck.Verdict.OK, check.feed(b, 0, b.limit()));
        assertTrue(check.headerDone());
        assertEquals(0, b.position(), "the bytes are read where they lie");
        assertEquals(ArteryStreamCheck.Verdict.OK, whole(PLAIN, stream("AKKA", 1, 5)));
    }

    @Test
    void theLargeStreamTakesLargerFrames() {
        assertEquals(ArteryStreamCheck.Verdict.OK, whole(PLAIN, stream("PEKK", 3, 5000)));
        assertEquals(ArteryStreamCheck.Verdict.BAD_FRAME, whole(PLAIN, stream("PEKK", 2, 5000)));
        assertEquals(ArteryStreamCheck.Verdict.BAD_FRAME, whole(PLAIN, stream("PEKK", 3, 5001)));
    }

    @Test
    void aZeroNegativeOrHugeLengthIsABadFrame() {
        for (int length : new int[]{0, -1, -5, Integer.MIN_VALUE, 1001, Integer.MAX_VALUE}) {
            ArteryStreamCheck check = new ArteryStreamCheck(PLAIN);
            ByteBuffer b = stream("PEKK", 2, 10, length);
            assertEquals(ArteryStreamCheck.Verdict.BAD_FRAME, check.feed(b, 0, b.limit()), "length " + length);
            assertEquals(length, check.badLength());
        }
    }

    @Test
    void anUnknownMagicOrStreamIdIsABadHeader() {
        assertEquals(ArteryStreamCheck.Verdict.BAD_MAGIC, whole(PLAIN, stream("GET ", 2)));
        assertEquals(ArteryStreamCheck.Verdict.BAD_MAGIC, whole(PLAIN, stream("PEKK", 0)));
        assertEquals(ArteryStreamCheck.Verdict.BAD_MAGIC, whole(PLAIN, stream("PEKK", 4)));
        ArteryStreamCheck partial = new ArteryStreamCheck(PLAIN);
        assertEquals(ArteryStreamCheck.Verdict.OK, partial.feed(stream("PEKK", 2), 0, 4));
        assertFalse(partial.headerDone(), "the stream id is still to come");
    }

    @Test
    void withTlsOnlyAHandshakeRecordMayOpen() {
        ByteBuffer hello = ByteBuffer.wrap(new byte[]{0x16, 3, 1, 0, 5, 'P', 'E', 'K', 'K'});
        ArteryStreamCheck check = new ArteryStreamCheck(TLS);
        assertEquals(ArteryStreamCheck.Verdict.OK, check.feed(hello, 0, hello.limit()));
        assertTrue(check.headerDone());
        assertEquals(ArteryStreamCheck.Verdict.PLAINTEXT, whole(TLS, stream("PEKK", 2, 10)));
    }

    @Test
    void aVerdictSticks() {
        ArteryStreamCheck check = new ArteryStreamCheck(PLAIN);
        ByteBuffer bad = stream("XXXX", 2);
        assertEquals(ArteryStreamCheck.Verdict.BAD_MAGIC, check.feed(bad, 0, bad.limit()));
        ByteBuffer good = stream("PEKK", 2, 1);
        assertEquals(ArteryStreamCheck.Verdict.BAD_MAGIC, check.feed(good, 0, good.limit()));
    }

    /** However TCP splits the bytes, the verdict is the one for the whole stream. */
    @Property(tries = 300)
    void theVerdictDoesNotDependOnHowTheBytesArrive(@ForAll @IntRange(min = -3, max = 1200) int first,
                                                    @ForAll @IntRange(min = -3, max = 1200) int second,
                                                    @ForAll @IntRange(min = 1, max = 40) int chunk) {
        ByteBuffer b = stream("PEKK", 2, first, second);
        ArteryStreamCheck.Verdict expected = whole(PLAIN, b);
        ArteryStreamCheck check = new ArteryStreamCheck(PLAIN);
        ArteryStreamCheck.Verdict verdict = ArteryStreamCheck.Verdict.OK;
        for (int from = 0; from < b.limit(); from += chunk) {
            verdict = check.feed(b, from, Math.min(b.limit(), from + chunk));
        }
        assertEquals(expected, verdict);
        boolean inBounds = first >= 1 && first <= 1000 && second >= 1 && second <= 1000;
        assertEquals(inBounds ? ArteryStreamCheck.Verdict.OK : ArteryStreamCheck.Verdict.BAD_FRAME, verdict);
    }
}
