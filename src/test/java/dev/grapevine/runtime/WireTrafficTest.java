package dev.grapevine.runtime;

import dev.grapevine.core.wire.Message;
import dev.grapevine.kv.KvMessage;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The message type names that label the traffic metrics: a fixed set, from the sealed message interfaces. */
class WireTrafficTest {

    @Test
    void typesAreNamedFromTheirSealedInterface() {
        assertEquals("ping", WireTraffic.typeName(Message.Ping.class));
        assertEquals("ping_req", WireTraffic.typeName(Message.PingReq.class));
        assertEquals("push_pull", WireTraffic.typeName(Message.PushPull.class));
        assertEquals("repair_tree_request", WireTraffic.typeName(RepairMessage.TreeRequest.class));
        assertEquals("kv_write_ack", WireTraffic.typeName(KvMessage.WriteAck.class));
        assertEquals(WireTraffic.OTHER, WireTraffic.typeName(String.class));
        assertEquals(WireTraffic.OTHER, WireTraffic.typeName(PeerMessage.class));
    }

    @Test
    void everyProtocolTypeHasADistinctName() {
        Set<String> names = Arrays.stream(Message.class.getPermittedSubclasses()).map(WireTraffic::typeName)
                .collect(Collectors.toSet());
        assertEquals(Message.class.getPermittedSubclasses().length, names.size(), names.toString());
        assertTrue(names.stream().allMatch(n -> n.matches("[a-z_]+") && !n.equals(WireTraffic.OTHER)), names.toString());
    }
}
