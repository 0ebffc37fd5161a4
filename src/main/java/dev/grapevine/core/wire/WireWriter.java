package dev.grapevine.core.wire;

import dev.grapevine.core.member.Utf8;

/**
 * Appends primitives of the wire format to a byte array. {@link WireCodec} sizes the array exactly
 * with {@link WireSize} first, so the common path never grows or copies; the array still grows if a
 * size and a write ever disagree, and {@link #finish} reports that as the bug it is.
 *
 * <p>Strings are encoded to UTF-8 here, straight into the array, rather than with
 * {@code String.getBytes}: that would allocate a temporary array per string, and it writes a lone
 * surrogate as one {@code '?'} byte where {@link Utf8#length} counts three.
 * We write U+FFFD (three bytes) instead, so sizes stay exact; a valid string is unaffected.
 */
final class WireWriter {
    private byte[] buf;
    private int pos;

    WireWriter(int expectedBytes) {
        buf = new byte[expectedBytes];
    }

    void writeByte(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
    }

    /** Eight bytes, most significant first: for values whose every bit is used (hashes), where a varint would take nine or ten. */
    void writeFixed64(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (value >>> shift);
        }
    }

    /** Unsigned LEB128: low 7 bits first, high bit set on every byte but the last. */
    void writeVarint(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0 to be encoded, but was " + value);
        }
        ensure(WireSize.varintSize(value));
        while ((value & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buf[pos++] = (byte) value;
    }

    /**
     * A string's UTF-8 bytes are between its char count and three times that. When both bounds need
     * the same varint size (one byte below 43 chars, two from 128 to 5,461) and the array has room for the upper bound, the
     * length prefix is reserved, the text encoded once, and the prefix filled in afterwards: no
     * separate pass to measure the string. Otherwise (long strings, or the last bytes of an exactly
     * sized array, which must not grow) the string is measured first.
     */
    void writeString(String s, String field) {
        int chars = s.length();
        int prefixBytes = WireSize.varintSize(chars);
        long worstCase = 3L * chars;
        if (prefixBytes != WireSize.varintSize(worstCase) || buf.length - pos < prefixBytes + worstCase) {
            int utf8Bytes = Utf8.length(s);
            checkStringLength(utf8Bytes, field);
            writeVarint(utf8Bytes, field);
            writeUtf8(s, utf8Bytes, field);
            return;
        }
        int prefixAt = pos;
        pos += prefixBytes;
        int utf8Bytes = writeUtf8(s, 3 * chars, field);
        checkStringLength(utf8Bytes, field);
        for (int i = 0; i < prefixBytes - 1; i++) {
            buf[prefixAt + i] = (byte) ((utf8Bytes & 0x7F) | 0x80);
            utf8Bytes >>>= 7;
        }
        buf[prefixAt + prefixBytes - 1] = (byte) utf8Bytes;
    }

    private static void checkStringLength(int utf8Bytes, String field) {
        if (utf8Bytes > WireCodec.MAX_STRING_BYTES) {
            throw new IllegalArgumentException(field + " takes " + utf8Bytes + " bytes in UTF-8; the wire limit is "
                    + WireCodec.MAX_STRING_BYTES);
        }
    }

    /** Writes {@code s} as UTF-8 into at most {@code maxBytes}; returns the bytes written. */
    private int writeUtf8(String s, int maxBytes, String field) {
        ensure(maxBytes);
        int start = pos;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf[pos++] = (byte) c;
            } else if (c < 0x800) {
                buf[pos++] = (byte) (0xC0 | (c >> 6));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[pos++] = (byte) (0xF0 | (cp >> 18));
                buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                char bmp = Character.isSurrogate(c) ? '\uFFFD' : c;
                buf[pos++] = (byte) (0xE0 | (bmp >> 12));
                buf[pos++] = (byte) (0x80 | ((bmp >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (bmp & 0x3F));
            }
        }
        if (pos - start > maxBytes) {
            throw new IllegalStateException("wrote " + (pos - start) + " UTF-8 bytes for " + field + ", expected at most " + maxBytes);
        }
        return pos - start;
    }

    void writeBytes(byte[] bytes, String field) {
        writeVarint(bytes.length, field);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    /** The encoding; fails if it is not exactly the size {@link WireSize} promised. */
    byte[] finish(int expectedBytes) {
        if (pos != expectedBytes || buf.length != expectedBytes) {
            throw new IllegalStateException("encoded " + pos + " bytes but WireSize computed " + expectedBytes);
        }
        return buf;
    }

    private void ensure(int more) {
        if (buf.length - pos < more) {
            byte[] bigger = new byte[Math.max(buf.length * 2, pos + more)];
            System.arraycopy(buf, 0, bigger, 0, pos);
            buf = bigger;
        }
    }
}
