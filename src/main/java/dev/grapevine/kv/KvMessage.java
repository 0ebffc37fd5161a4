package dev.grapevine.kv;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * What key-value actors on different nodes say to each other (CBOR over Artery; see reference.conf).
 * Records travel encoded ({@link KvRecord#encode}), so the wire never depends on Jackson's view of them.
 */
public sealed interface KvMessage extends KvActor.Command {

    /** Store {@code record} for {@code key} if it is newer than what the replica holds; ack once durable. */
    record ReplicaWrite(long id, int partition, String key, byte[] record, ActorRef<KvMessage> replyTo) implements KvMessage {
    }

    record WriteAck(long id, String node) implements KvMessage {
    }

    record ReplicaRead(long id, int partition, String key, ActorRef<KvMessage> replyTo) implements KvMessage {
    }

    /** @param record the replica's version, encoded, or null if it has none */
    record ReadReply(long id, String node, byte[] record) implements KvMessage {
    }
}
