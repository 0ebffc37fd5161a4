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
    void roundTripsAndAddsOnlyTheSenderEndpoint() throws Exception {
        Member m = Member.alive("node-7", from, 1_732_450_000_000L, 3, Map.of("role", "db"));
        Message ping = new Message.Ping(42, "node-9", List.of(new Rumor.MemberRumor(m, "node-7")));
        PeerMessage original = new PeerMessage(from, ping);
        byte[] bytes = serializer.toBinary(original);
        assertEquals(original, serializer.fromBinary(bytes, serializer.manifest(original)));
        assertEquals(2 + "10.0.0.7".length() + 2 + WireSize.of(ping), bytes.length);
    }

    @Test
    void aBadFrameIsRefusedWithItsReason() {
        byte[] good = serializer.toBinary(new PeerMessage(from, new Message.Nack(5)));
        NotSerializableException truncated = assertThrows(NotSerializableException.class,
                () -> serializer.fromBinary(Arrays.copyOf(good, good.length - 1), "G1"));
        assertTrue(truncated.getMessage().startsWith("bad Grapevine frame"), truncated.getMessage());
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(new byte[]{0x7f, 0x7f, 1}, "G1"));
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(good, "X9"));
    }
}
