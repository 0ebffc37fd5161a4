package dev.grapevine.runtime;

import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.Address;
import dev.grapevine.core.member.Member;
import dev.grapevine.core.wire.Message;
import dev.grapevine.core.wire.WireSize;
import org.junit.jupiter.api.Test;

import java.io.NotSerializableException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireSerializerTest {
    private final WireSerializer serializer = new WireSerializer();
    private final Address from = new Address("10.0.0.7", 7946);

    @Test
    void roundTripsAndAddsOnlyTheSendersEndpointLifeAndActor() throws Exception {
        Member m = Member.alive("node-7", from, 1_732_450_000_000L, 3, Map.of("role", "db"));
        Message ping = new Message.Ping(42, "node-9", List.of(new Rumor.MemberRumor(m, "node-7")));
        PeerMessage original = new PeerMessage(from, 1_732_450_000_000L, -1_234_567, ping);
        byte[] bytes = serializer.toBinary(original);
        assertEquals(original, serializer.fromBinary(bytes, serializer.manifest(original)));
        assertEquals(2 + "10.0.0.7".length() + 2 + 8 + 4 + WireSize.of(ping), bytes.length);
    }

    @Test
    void aBadFrameIsRefusedWithItsReason() {
        PeerMessage nack = new PeerMessage(from, new Message.Nack(5));
        byte[] good = serializer.toBinary(nack);
        String manifest = serializer.manifest(nack);
        NotSerializableException truncated = assertThrows(NotSerializableException.class,
                () -> serializer.fromBinary(Arrays.copyOf(good, good.length - 1), manifest));
        assertTrue(truncated.getMessage().startsWith("bad Grapevine frame"), truncated.getMessage());
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(new byte[]{0x7f, 0x7f, 1}, manifest));
        // A header cut inside the epoch and uid: refused, not read past.
        assertThrows(NotSerializableException.class,
                () -> serializer.fromBinary(Arrays.copyOf(good, 2 + "10.0.0.7".length() + 2 + 5), manifest));
        NotSerializableException older = assertThrows(NotSerializableException.class, () -> serializer.fromBinary(good, "G1"));
        assertTrue(older.getMessage().contains("this node speaks G2"), older.getMessage());
    }
}
