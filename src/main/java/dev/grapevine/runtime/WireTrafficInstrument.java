package dev.grapevine.runtime;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.remote.artery.RemoteInstrument;

import java.nio.ByteBuffer;

/**
 * Counts every message Artery sends and receives into the system's {@link WireTraffic}, with the
 * size of its frame. Registered in {@code pekko.remote.artery.advanced.instruments} (see
 * {@link GrapevineNode#PEKKO_TUNING}). It writes no metadata, so frames on the wire are unchanged
 * (Artery drops an empty metadata section), and asks for no serialization timing, so Artery reads
 * no clock for it: each message costs a class lookup and two counter adds.
 */
public final class WireTrafficInstrument extends RemoteInstrument {
    /** This instrument's id in Artery's metadata section; unique among the system's instruments. */
    private static final byte IDENTIFIER = 17;

    private final WireTraffic traffic;

    public WireTrafficInstrument(ExtendedActorSystem system) {
        this.traffic = WireTraffic.get(system);
    }

    @Override
    public byte identifier() {
        return IDENTIFIER;
    }

    @Override
    public void remoteWriteMetadata(ActorRef recipient, Object message, ActorRef sender, ByteBuffer buffer) {
        // nothing: counting needs no help from the receiver
    }

    @Override
    public void remoteMessageSent(ActorRef recipient, Object message, ActorRef sender, int size, long time) {
        traffic.sent(message, size);
    }

    @Override
    public void remoteReadMetadata(ActorRef recipient, Object message, ActorRef sender, ByteBuffer buffer) {
    }

    @Override
    public void remoteMessageReceived(ActorRef recipient, Object message, ActorRef sender, int size, long time) {
        traffic.received(message, size);
    }
}
