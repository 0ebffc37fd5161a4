package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.wire.WireCodec;
import dev.grapevine.core.wire.WireFormatException;
import org.apache.pekko.serialization.SerializerWithStringManifest;

import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Puts {@link PeerMessage}s on Artery with the core's wire codec: the sender's endpoint (host, port),
 * its epoch (8 bytes) and actor uid (4 bytes), then the message as {@link WireCodec} encodes it (with
 * its sender's cluster id in its header). A
 * frame that does not decode is refused with the codec's reason; Artery logs and drops it, and the
 * association survives.
 */
public final class WireSerializer extends SerializerWithStringManifest {
    /** Registered serializer id; never change it, peers rely on it. Ids up to 40 are Pekko's own. */
    public static final int IDENTIFIER = 7_946_001;
    /** G1 had no epoch and uid. */
    private static final String MANIFEST = "G2";

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
        return MANIFEST;
    }

    @Override
    public byte[] toBinary(Object o) {
        if (!(o instanceof PeerMessage pm)) {
            throw new IllegalArgumentException("cannot serialize " + o.getClass().getName() + " with " + getClass().getSimpleName());
        }
        byte[] host = pm.from().host().getBytes(StandardCharsets.UTF_8);
        byte[] body = WireCodec.encode(pm.cluster(), pm.message());
        return ByteBuffer.allocate(2 + host.length + 2 + 8 + 4 + body.length)
                .putShort((short) host.length).put(host).putShort((short) pm.from().port())
                .putLong(pm.fromEpoch()).putInt(pm.fromUid()).put(body)
                .array();
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        if (!MANIFEST.equals(manifest)) {
            throw new NotSerializableException("unknown Grapevine manifest '" + manifest + "' (this node speaks " + MANIFEST + ")");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            int hostLength = Short.toUnsignedInt(in.getShort());
            if (hostLength > Address.HOST_BYTES_MAX || hostLength > in.remaining() - 2 - 8 - 4) {
                throw new WireFormatException("sender host length " + hostLength + " is out of bounds");
            }
            String host = new String(bytes, 2, hostLength, StandardCharsets.UTF_8);
            in.position(2 + hostLength);
            int port = Short.toUnsignedInt(in.getShort());
            long epoch = in.getLong();
            int uid = in.getInt();
            int bodyOffset = in.position();
            WireCodec.Frame frame = WireCodec.decodeFrame(bytes, bodyOffset, bytes.length - bodyOffset);
            return new PeerMessage(new Address(host, port), epoch, uid, frame.cluster(), frame.message());
        } catch (WireFormatException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            NotSerializableException failure = new NotSerializableException("bad Grapevine frame of " + bytes.length
                    + " bytes: " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }
}
