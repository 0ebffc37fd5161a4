package dev.grapevine.runtime;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.ConfigFactory;
import dev.grapevine.kv.KvMessage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Coverage-guided fuzzing of what a node decodes from its peers' frames over Artery: the gossip
 * frames of {@link WireSerializer}, and the Jackson CBOR messages of recovery repair and the
 * key-value store. Without {@code JAZZER_FUZZ} it replays the kept inputs under
 * {@code WireSerializerFuzzTestInputs/}.
 */
class WireSerializerFuzzTest {
    private static final WireSerializer WIRE = new WireSerializer();
    /** The CBOR messages a peer may send, by manifest (their class names). */
    private static final List<Class<?>> CBOR_MESSAGES = cborMessages();
    private static ActorSystem<Void> system;
    private static Serialization serialization;

    @BeforeAll
    static void start() {
        system = ActorSystem.create(Behaviors.empty(), "fuzz", ConfigFactory.parseString("pekko.loglevel = ERROR\npekko.actor.provider = local")
                .withFallback(ConfigFactory.load()));
        serialization = SerializationExtension.get(Adapter.toClassic(system));
    }

    @AfterAll
    static void stop() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }

    /** A frame from the network: a PeerMessage or NotSerializableException (Artery drops the frame), nothing else. */
    @FuzzTest(maxDuration = "3m")
    void gossipFrames(byte[] bytes) {
        Object decoded;
        try {
            decoded = WIRE.fromBinary(bytes, WireSerializer.MANIFEST);
        } catch (NotSerializableException refused) {
            assertNotNull(refused.getMessage());
            return;
        }
        PeerMessage pm = (PeerMessage) decoded;
        PeerMessage again = (PeerMessage) fromBinary(WIRE.toBinary(pm));
        assertEquals(pm.from(), again.from());
        assertEquals(pm.fromEpoch(), again.fromEpoch());
        assertEquals(pm.fromUid(), again.fromUid());
        assertEquals(pm.fromSystem(), again.fromSystem());
    }

    /**
     * A repair or key-value message from the network: decoded or refused with an IOException (Jackson's
     * and Pekko's refusals are IOExceptions), never another throwable, never an unbounded allocation.
     */
    @FuzzTest(maxDuration = "3m")
    void cborMessages(FuzzedDataProvider data) throws NotSerializableException {
        Class<?> type = data.pickValue(CBOR_MESSAGES);
        byte[] bytes = data.consumeRemainingAsBytes();
        Serializer serializer = serialization.serializerFor(type);
        scala.util.Try<Object> decoded = serialization.deserialize(bytes, serializer.identifier(), type.getName());
        if (decoded.isFailure()) {
            Throwable refused = decoded.failed().get();
            if (!(refused instanceof IOException)) {
                throw new AssertionError("a " + type.getSimpleName() + " of " + bytes.length + " bytes failed with "
                        + refused, refused);
            }
        }
    }

    private static Object fromBinary(byte[] bytes) {
        try {
            return WIRE.fromBinary(bytes, WireSerializer.MANIFEST);
        } catch (NotSerializableException e) {
            throw new AssertionError("a frame this serializer wrote does not decode: " + e.getMessage(), e);
        }
    }

    private static List<Class<?>> cborMessages() {
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> sealed : List.of(RepairMessage.class, KvMessage.class)) {
            types.addAll(List.of(sealed.getPermittedSubclasses()));
        }
        return types;
    }
}
