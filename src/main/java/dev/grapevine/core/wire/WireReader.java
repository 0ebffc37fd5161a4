package dev.grapevine.core.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads primitives of the wire format from untrusted bytes. Every length and count is checked against
 * the bytes that remain <em>before</em> anything is allocated, so a forged header cannot make a node
 * allocate more than a small multiple of the datagram it received.
 *
 * <p>The reader accepts only the canonical encoding (shortest varints, well-formed UTF-8), so any
 * bytes that decode are exactly what {@link WireCodec#encode} writes for the decoded message. The
 * {@code what} arguments name the field for error messages; they are constants, so the happy path
 * builds no strings.
 */
final class WireReader {
    private final byte[] buf;
    private final int start;
    private final int end;
    private int pos;

    WireReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.start = offset;
        this.end = offset + length;
        this.pos = offset;
    }

    /** Position relative to the start of the message, for error messages. */
    int offset() {
        return pos - start;
    }

    int remaining() {
        return end - pos;
    }

    int readUnsignedByte(String what) {
        require(1, what);
        return buf[pos++] & 0xFF;
    }

    /** Eight bytes, most significant first (see {@code WireWriter.writeFixed64}). */
    long readFixed64(String what) {
        require(8, what);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | (buf[pos++] & 0xFF);
        }
        return value;
    }

    /** An unsigned LEB128 varint holding a value in {@code 0..Long.MAX_VALUE}, shortest form only. */
    long readVarint(String what) {
        int at = offset();
        long value = 0;
        for (int i = 0; i < 10; i++) {
            if (pos == end) {
                throw new WireFormatException("truncated message: needed 1 more byte for " + what + " at offset " + offset());
            }
            int b = buf[pos++] & 0xFF;
            long bits = b & 0x7FL;
            if (i == 9 && bits != 0) { // nine bytes carry 63 bits; a tenth would set the sign bit
                throw new WireFormatException("varint for " + what + " at offset " + at + " overflows a signed 64-bit value");
            }
            value |= bits << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new WireFormatException("over-long varint for " + what + " at offset " + at
                            + " (a zero last byte; the shortest form is required)");
                }
                return value;
            }
        }
        throw new WireFormatException("varint for " + what + " at offset " + at + " is longer than 10 bytes");
    }

    /** A count of items that each take at least one byte, so it cannot exceed the bytes that remain. */
    int readCount(String what) {
        int at = offset();
        long count = readVarint(what);
        if (count > remaining()) {
            throw new WireFormatException(what + " " + count + " at offset " + at + " exceeds the " + remaining()
                    + " bytes remaining");
        }
        return (int) count;
    }

    String readString(String what) {
        int at = offset();
        long length = readVarint(what);
        if (length > WireCodec.MAX_STRING_BYTES) {
            throw new WireFormatException(what + " length " + length + " at offset " + at + " exceeds the limit of "
                    + WireCodec.MAX_STRING_BYTES + " bytes");
        }
        int n = (int) length;
        require(n, what);
        int from = pos;
        pos += n;
        for (int i = from; i < pos; i++) {
            if (buf[i] < 0) {
                return decodeStrictUtf8(from, n, what);
            }
        }
        return new String(buf, from, n, StandardCharsets.ISO_8859_1); // all ASCII: a plain copy
    }

    byte[] readBytes(String what) {
        int at = offset();
        long length = readVarint(what);
        if (length > remaining()) {
            throw new WireFormatException("truncated message: " + what + " length " + length + " at offset " + at
                    + " exceeds the " + remaining() + " bytes remaining");
        }
        int n = (int) length;
        byte[] bytes = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return bytes;
    }

    void require(int bytes, String what) {
        if (end - pos < bytes) {
            throw new WireFormatException("truncated message: needed " + (bytes - (end - pos)) + " more "
                    + (bytes - (end - pos) == 1 ? "byte" : "bytes") + " for " + what + " at offset " + offset());
        }
    }

    /**
     * Non-ASCII strings go through a reporting decoder: {@code new String(bytes, UTF_8)} would silently
     * turn malformed input into U+FFFD, so two different byte strings would decode to the same name.
     */
    private String decodeStrictUtf8(int from, int n, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, from, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new WireFormatException(what + " at offset " + (from - start) + " is not valid UTF-8", e);
        }
    }
}
