package dev.grapevine.kv;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One version of one key: written at hybrid time {@code hlc} (see {@link Hlc}) by node {@code writer},
 * either a value or a tombstone (a delete, kept so that the delete wins over older copies that
 * anti-entropy would otherwise bring back). A tombstone's value is empty.
 *
 * <p>Immutable: the value array is copied in and out. Versions of a key are ordered by
 * {@link #supersedes}, a total order, so any two replicas that have seen the same versions keep
 * the same one, whatever order the versions arrived in.
 */
public record KvRecord(long hlc, String writer, boolean tombstone, byte[] value) {
    /** Largest value: a record travels in one gossip/repair message, so it must stay small. */
    public static final int VALUE_BYTES_MAX = 64 * 1024;
    /** Largest writer (node name), in UTF-8 bytes: its length is one byte in the encoding. */
    public static final int WRITER_BYTES_MAX = 255;

    /**
     * First byte of {@link #encode()}. Records are stored on disk and sent between nodes of possibly
     * different versions: a new layout gets a new number, and {@link #decode} must keep reading the
     * old ones.
     */
    public static final byte FORMAT_V1 = 1;

    private static final int FLAG_TOMBSTONE = 1;
    /** version, hlc, flags, writer length, value length. */
    private static final int HEADER_BYTES = 1 + Long.BYTES + 1 + 1 + Integer.BYTES;
    private static final byte[] EMPTY = new byte[0];

    public KvRecord {
        if (hlc < 0) {
            throw new IllegalArgumentException("hlc must be >= 0, but was " + hlc);
        }
        if (writer == null || writer.isEmpty()) {
            throw new IllegalArgumentException("writer must be a non-empty node name, but was " + quoted(writer));
        }
        byte[] w = writer.getBytes(StandardCharsets.UTF_8);
        if (!new String(w, StandardCharsets.UTF_8).equals(writer)) {
            // an unpaired surrogate would be encoded as '?' and come back as a different writer
            throw new IllegalArgumentException("writer must be valid Unicode, but was " + quoted(writer));
        }
        int writerBytes = w.length;
        if (writerBytes > WRITER_BYTES_MAX) {
            throw new IllegalArgumentException("writer must be at most " + WRITER_BYTES_MAX
                    + " UTF-8 bytes, but was " + writerBytes);
        }
        if (value == null) {
            throw new IllegalArgumentException("value must not be null (use an empty array)");
        }
        if (value.length > VALUE_BYTES_MAX) {
            throw new IllegalArgumentException("value must be at most " + VALUE_BYTES_MAX
                    + " bytes, but was " + value.length);
        }
        if (tombstone && value.length > 0) {
            throw new IllegalArgumentException("a tombstone has an empty value, but found " + value.length + " bytes");
        }
        value = value.length == 0 ? EMPTY : value.clone();
    }

    /** A write of {@code value} (may be empty, which is not a delete). */
    public static KvRecord put(long hlc, String writer, byte[] value) {
        return new KvRecord(hlc, writer, false, value);
    }

    /** A delete: a tombstone with an empty value. */
    public static KvRecord delete(long hlc, String writer) {
        return new KvRecord(hlc, writer, true, EMPTY);
    }

    /** A copy of the value: records are immutable. */
    @Override
    public byte[] value() {
        return value.length == 0 ? EMPTY : value.clone();
    }

    /**
     * Last-write-wins: whether this version replaces {@code other}. In order: the higher hlc wins;
     * then the larger writer name (two nodes can issue the same hlc); then a tombstone beats a value
     * (deleting is the conservative answer to a true tie); then the larger value, compared as
     * unsigned bytes (only a misbehaving writer reuses an hlc for two values, but without this step
     * two replicas holding different values would both refuse the other's, and repair would run
     * forever). Equal records supersede neither way.
     */
    public boolean supersedes(KvRecord other) {
        if (hlc != other.hlc) {
            return hlc > other.hlc;
        }
        int byWriter = writer.compareTo(other.writer);
        if (byWriter != 0) {
            return byWriter > 0;
        }
        if (tombstone != other.tombstone) {
            return tombstone;
        }
        return Arrays.compareUnsigned(value, other.value) > 0;
    }

    /**
     * A 64-bit hash of every field, the same on every JVM and version (unlike {@code hashCode}):
     * replicas compare digests, in Merkle trees, to find keys that differ. FNV-1a over the fields,
     * each length-prefixed so that no two records feed the same bytes, then SplitMix64's finaliser
     * so that a one-bit change flips about half the output bits. Independent of {@link #encode()}'s
     * layout, so a new storage format does not make every replica look different.
     */
    public long digest() {
        long h = FNV_OFFSET;
        h = fnvLong(h, hlc);
        byte[] w = writer.getBytes(StandardCharsets.UTF_8);
        h = fnvLong(h, w.length);
        h = fnvBytes(h, w);
        h = fnvByte(h, tombstone ? 1 : 0);
        h = fnvLong(h, value.length);
        h = fnvBytes(h, value);
        return splitMix64(h);
    }

    /**
     * The record as bytes, for storage and the wire: {@code [format=1][hlc: 8][flags: 1, bit 0 =
     * tombstone][writer length: 1][writer: UTF-8][value length: 4][value]}, big-endian.
     */
    public byte[] encode() {
        byte[] w = writer.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + w.length + value.length);
        buf.put(FORMAT_V1).putLong(hlc).put((byte) (tombstone ? FLAG_TOMBSTONE : 0));
        buf.put((byte) w.length).put(w);
        buf.putInt(value.length).put(value);
        return buf.array();
    }

    /**
     * Reads what {@link #encode()} wrote.
     *
     * @throws IllegalArgumentException if the bytes are truncated, have trailing bytes, an unknown
     *     format or flag, a writer that is not UTF-8, or break a record invariant
     */
    public static KvRecord decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES) {
            throw new IllegalArgumentException("not a KvRecord: expected at least " + HEADER_BYTES
                    + " bytes, but found " + (bytes == null ? "null" : bytes.length));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte format = buf.get();
        if (format != FORMAT_V1) {
            throw new IllegalArgumentException(
                    "not a KvRecord: expected format " + FORMAT_V1 + ", but found " + format);
        }
        long hlc = buf.getLong();
        int flags = buf.get() & 0xff;
        if ((flags & ~FLAG_TOMBSTONE) != 0) {
            throw new IllegalArgumentException("not a KvRecord: unknown flags 0x" + Integer.toHexString(flags));
        }
        int writerLength = buf.get() & 0xff;
        need(buf, writerLength, "writer");
        byte[] w = new byte[writerLength];
        buf.get(w);
        String writer = utf8(w);
        need(buf, Integer.BYTES, "value length");
        int valueLength = buf.getInt();
        if (valueLength < 0 || valueLength > VALUE_BYTES_MAX) {
            throw new IllegalArgumentException("not a KvRecord: value length must be in 0.." + VALUE_BYTES_MAX
                    + ", but was " + valueLength);
        }
        need(buf, valueLength, "value");
        byte[] value = new byte[valueLength];
        buf.get(value);
        if (buf.hasRemaining()) {
            throw new IllegalArgumentException("not a KvRecord: " + buf.remaining() + " trailing bytes");
        }
        return new KvRecord(hlc, writer, (flags & FLAG_TOMBSTONE) != 0, value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvRecord r && hlc == r.hlc && tombstone == r.tombstone
                && writer.equals(r.writer) && Arrays.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        return (int) digest();
    }

    @Override
    public String toString() {
        return "KvRecord[" + Hlc.toString(hlc) + " by " + writer
                + (tombstone ? ", tombstone]" : ", " + value.length + " bytes]");
    }

    private static void need(ByteBuffer buf, int bytes, String field) {
        if (buf.remaining() < bytes) {
            throw new IllegalArgumentException("not a KvRecord: truncated " + field + ": expected " + bytes
                    + " bytes, but found " + buf.remaining());
        }
    }

    /** Strict: a lenient decode would replace bad bytes, and the record would no longer match its digest. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not a KvRecord: writer is not valid UTF-8", e);
        }
    }

    private static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private static long fnvByte(long h, int b) {
        return (h ^ (b & 0xff)) * FNV_PRIME;
    }

    private static long fnvLong(long h, long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            h = fnvByte(h, (int) (v >>> shift));
        }
        return h;
    }

    private static long fnvBytes(long h, byte[] bytes) {
        for (byte b : bytes) {
            h = fnvByte(h, b);
        }
        return h;
    }

    private static long splitMix64(long z) {
        return dev.grapevine.core.Hash64.mix(z);
    }
}
