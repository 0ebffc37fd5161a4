package dev.grapevine.core.wire;

/**
 * The bytes handed to {@link WireCodec#decode} are not a message this node understands: truncated,
 * corrupt, from an incompatible version, or describing an invalid value (an empty member name, port 0).
 *
 * <p>It is the only exception decoding throws for bad input, so a transport can catch exactly this,
 * count the datagram as garbage and carry on. The message says what was wrong and where (offsets are
 * relative to the start of the message), so a dump of the bytes can be checked by hand.
 */
public final class WireFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
