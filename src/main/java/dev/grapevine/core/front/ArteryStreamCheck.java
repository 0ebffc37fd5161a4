package dev.grapevine.core.front;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Follows the bytes a peer sends to the gossip port and says when they cannot be an Artery
 * connection, before Pekko parses them. Pekko's TCP framing trusts the 4-byte length in front of each
 * frame: a negative or huge one leaves its parser failing over and over, a core busy for nothing.
 *
 * <p>Plaintext: a connection starts with a 4-byte magic and a stream id (1 control, 2 ordinary,
 * 3 large), then frames, each a little-endian 4-byte length and that many bytes. A length must be in
 * 1..{@code frameBytesMax} ({@code largeFrameBytesMax} on the large stream). With TLS the bytes are
 * encrypted, and only the first is checked: a TLS handshake record (0x16), so that a plaintext peer is
 * refused here and counted rather than in the TLS engine.
 *
 * <p>The check reads the bytes where they lie and keeps a few counters: a frame's payload is skipped
 * by arithmetic, never copied. One instance per connection; a verdict other than {@link Verdict#OK}
 * sticks.
 */
public final class ArteryStreamCheck {
    /** What the bytes so far say. */
    public enum Verdict { OK, PLAINTEXT, BAD_MAGIC, BAD_FRAME }

    /** A TLS record of type handshake: the first byte of every TLS client's first flight. */
    static final int TLS_HANDSHAKE = 0x16;
    static final int MAGIC_BYTES = Rules.MAGIC_BYTES;
    static final int CONTROL_STREAM = 1;
    static final int LARGE_STREAM = 3;

    /**
     * @param tls                the port runs TLS
     * @param magics             the accepted 4-byte magics (Pekko's {@code tcp-magic})
     * @param frameBytesMax      the largest frame on the control and ordinary streams
     * @param largeFrameBytesMax the largest frame on the large stream
     */
    public record Rules(boolean tls, List<byte[]> magics, int frameBytesMax, int largeFrameBytesMax) {
        public static final int MAGIC_BYTES = 4;

        public Rules {
            magics = List.copyOf(magics);
            for (byte[] m : magics) {
                if (m.length != MAGIC_BYTES) {
                    throw new IllegalArgumentException("a magic has " + MAGIC_BYTES + " bytes, not " + m.length);
                }
            }
            if (frameBytesMax < 1 || largeFrameBytesMax < 1) {
                throw new IllegalArgumentException("frame size bounds must be positive");
            }
        }
    }

    private final Rules rules;
    private final byte[] header = new byte[MAGIC_BYTES + 1];
    private int headerBytes;
    private int frameLimit;
    /** Length bytes of the current frame read so far (0..3), and their value. */
    private int lengthBytes;
    private int length;
    /** Payload bytes of the current frame not yet seen. */
    private int payloadLeft;
    private Verdict verdict = Verdict.OK;

    public ArteryStreamCheck(Rules rules) {
        this.rules = rules;
    }

    /** True once the connection header (plaintext) or first byte (TLS) has arrived and passed. */
    public boolean headerDone() {
        return verdict == Verdict.OK && headerBytes == (rules.tls() ? 1 : header.length);
    }

    public Verdict verdict() {
        return verdict;
    }

    /** The length that failed, for the log line (0 if none). */
    public int badLength() {
        return verdict == Verdict.BAD_FRAME ? length : 0;
    }

    /** Follows {@code buf}'s bytes at indexes {@code from} (inclusive) to {@code to}; its position is left alone. */
    public Verdict feed(ByteBuffer buf, int from, int to) {
        int i = from;
        while (i < to && verdict == Verdict.OK) {
            if (rules.tls()) {
                if (headerBytes == 0) {
                    headerBytes = 1;
                    if ((buf.get(i) & 0xff) != TLS_HANDSHAKE) {
                        verdict = Verdict.PLAINTEXT;
                    }
                }
                return verdict; // the rest is encrypted: the TLS engine's business
            }
            if (headerBytes < header.length) {
                header[headerBytes++] = buf.get(i++);
                if (headerBytes == MAGIC_BYTES && !knownMagic()) {
                    verdict = Verdict.BAD_MAGIC;
                } else if (headerBytes == header.length) {
                    int stream = header[MAGIC_BYTES];
                    if (stream < CONTROL_STREAM || stream > LARGE_STREAM) {
                        verdict = Verdict.BAD_MAGIC;
                    }
                    frameLimit = stream == LARGE_STREAM ? rules.largeFrameBytesMax() : rules.frameBytesMax();
                }
            } else if (payloadLeft > 0) {
                int skip = Math.min(payloadLeft, to - i);
                payloadLeft -= skip;
                i += skip;
            } else {
                length |= (buf.get(i++) & 0xff) << (8 * lengthBytes);
                if (++lengthBytes == 4) {
                    if (length < 1 || length > frameLimit) {
                        verdict = Verdict.BAD_FRAME;
                    } else {
                        payloadLeft = length;
                        length = 0;
                        lengthBytes = 0;
                    }
                }
            }
        }
        return verdict;
    }

    private boolean knownMagic() {
        for (byte[] m : rules.magics()) {
            if (m[0] == header[0] && m[1] == header[1] && m[2] == header[2] && m[3] == header[3]) {
                return true;
            }
        }
        return false;
    }
}
