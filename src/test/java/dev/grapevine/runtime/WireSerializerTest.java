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
        assertEquals(2 + "10.0.0.7".length() + 2 + 8 + 4 + 1 + WireSize.of(ping), bytes.length);
    }

    @Test
    void carriesTheSendersActorSystemName() throws Exception {
        PeerMessage original = new PeerMessage(from, 7, 9, dev.grapevine.core.wire.ClusterName.of("shop").id(),
                new Message.Nack(5), "shop-eu_1");
        byte[] bytes = serializer.toBinary(original);
        PeerMessage decoded = (PeerMessage) serializer.fromBinary(bytes, serializer.manifest(original));
        assertEquals(original, decoded);
        assertEquals("shop-eu_1", decoded.fromSystem());
        String longest = "s".repeat(dev.grapevine.core.node.SystemNameTag.BYTES_MAX);
        assertEquals(longest, ((PeerMessage) serializer.fromBinary(serializer.toBinary(
                new PeerMessage(from, 7, 9, 1L, new Message.Nack(5), longest)), "G3")).fromSystem());
    }

    @Test
    void aBadSystemNameIsRefusedBothWays() {
        IllegalArgumentException unsendable = assertThrows(IllegalArgumentException.class,
                () -> serializer.toBinary(new PeerMessage(from, 7, 9, 1L, new Message.Nack(5), "shop/eu")));
        assertTrue(unsendable.getMessage().contains("may hold only letters"), unsendable.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> serializer.toBinary(new PeerMessage(from, 7, 9, 1L, new Message.Nack(5), "s".repeat(65))));

        byte[] good = serializer.toBinary(new PeerMessage(from, 7, 9, 1L, new Message.Nack(5), "shop"));
        int nameAt = 2 + "10.0.0.7".length() + 2 + 8 + 4;
        assertEquals(4, good[nameAt]);
        byte[] slash = good.clone();
        slash[nameAt + 1] = '/';
        NotSerializableException badChar = assertThrows(NotSerializableException.class, () -> serializer.fromBinary(slash, "G3"));
        assertTrue(badChar.getMessage().contains("sender system name may hold only"), badChar.getMessage());
        byte[] leadingDash = good.clone();
        leadingDash[nameAt + 1] = '-';
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(leadingDash, "G3"));
        byte[] tooLong = good.clone();
        tooLong[nameAt] = (byte) 65;
        NotSerializableException length = assertThrows(NotSerializableException.class, () -> serializer.fromBinary(tooLong, "G3"));
        assertTrue(length.getMessage().contains("sender system name length 65 is out of bounds (at most 64 bytes)"), length.getMessage());
        byte[] pastTheEnd = Arrays.copyOf(good, nameAt + 3);
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(pastTheEnd, "G3"));
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
        assertTrue(older.getMessage().contains("this node speaks G3"), older.getMessage());
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(good, "G2"));
    }

    /** The fuzz corpus's kept frames are real frames of this format: each decodes, none is merely refused. */
    @Test
    void theKeptFuzzFramesAreOfTheCurrentFormat() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of("src/test/resources/dev/grapevine/runtime/WireSerializerFuzzTestInputs/gossipFrames");
        List<java.nio.file.Path> frames;
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            frames = files.sorted().toList();
        }
        assertTrue(frames.size() >= 10, "kept frames: " + frames);
        for (java.nio.file.Path frame : frames) {
            PeerMessage pm = (PeerMessage) serializer.fromBinary(java.nio.file.Files.readAllBytes(frame), WireSerializer.MANIFEST);
            assertEquals("grapevine", pm.fromSystem(), frame.toString());
        }
    }
}
