package dev.grapevine.runtime;

import dev.grapevine.core.member.Address;
import dev.grapevine.core.node.SystemNameTag;
import dev.grapevine.core.wire.WireCodec;
import dev.grapevine.core.wire.WireFormatException;
import org.apache.pekko.serialization.SerializerWithStringManifest;

import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Puts {@link PeerMessage}s on Artery with the core's wire codec: the sender's endpoint (host, port),
 * its epoch (8 bytes) and actor uid (4 bytes), its actor system's name (1 byte of length, then at
 * most {@link SystemNameTag#BYTES_MAX} ASCII bytes; 0: not said), then the message as
 * {@link WireCodec} encodes it (with its sender's cluster id in its header). A
 * frame that does not decode is refused with the codec's reason; Artery logs and drops it, and the
 * association survives.
 */
public final class WireSerializer extends SerializerWithStringManifest {
    /** Registered serializer id; never change it, peers rely on it. Ids up to 40 are Pekko's own. */
    public static final int IDENTIFIER = 7_946_001;
    /**
     * The frame format, checked before anything is read. G1 had no epoch and uid; G2 no system name.
     * A G2 node cannot reach a node whose system is not named as its own anyway.
     */
    static final String MANIFEST = "G3";

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
        if (!pm.fromSystem().isEmpty() && !SystemNameTag.valid(pm.fromSystem())) {
            throw new IllegalArgumentException("system name '" + pm.fromSystem() + "' "
                    + SystemNameTag.problem(pm.fromSystem()));
        }
        byte[] system = pm.fromSystem().getBytes(StandardCharsets.US_ASCII);
        byte[] body = WireCodec.encode(pm.cluster(), pm.message());
        return ByteBuffer.allocate(2 + host.length + 2 + 8 + 4 + 1 + system.length + body.length)
                .putShort((short) host.length).put(host).putShort((short) pm.from().port())
                .putLong(pm.fromEpoch()).putInt(pm.fromUid())
                .put((byte) system.length).put(system).put(body)
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
            if (hostLength > Address.HOST_BYTES_MAX || hostLength > in.remaining() - 2 - 8 - 4 - 1) {
                throw new WireFormatException("sender host length " + hostLength + " is out of bounds");
            }
            String host = new String(bytes, 2, hostLength, StandardCharsets.UTF_8);
            in.position(2 + hostLength);
            int port = Short.toUnsignedInt(in.getShort());
            long epoch = in.getLong();
            int uid = in.getInt();
            String system = systemName(bytes, in);
            int bodyOffset = in.position();
            WireCodec.Frame frame = WireCodec.decodeFrame(bytes, bodyOffset, bytes.length - bodyOffset);
            return new PeerMessage(new Address(host, port), epoch, uid, frame.cluster(), frame.message(), system);
        } catch (WireFormatException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            NotSerializableException failure = new NotSerializableException("bad Grapevine frame of " + bytes.length
                    + " bytes: " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }

    /** The sender's system name at {@code in}'s position: bounded, and one Pekko accepts, or the frame is refused. */
    private static String systemName(byte[] bytes, ByteBuffer in) throws WireFormatException {
        int length = Byte.toUnsignedInt(in.get());
        if (length > SystemNameTag.BYTES_MAX || length > in.remaining()) {
            throw new WireFormatException("sender system name length " + length + " is out of bounds (at most "
                    + SystemNameTag.BYTES_MAX + " bytes)");
        }
        String system = new String(bytes, in.position(), length, StandardCharsets.US_ASCII);
        in.position(in.position() + length);
        if (length > 0 && !SystemNameTag.valid(system)) {
            throw new WireFormatException("sender system name " + SystemNameTag.problem(system));
        }
        return system;
    }
}
