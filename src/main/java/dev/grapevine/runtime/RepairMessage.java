package dev.grapevine.runtime;

import dev.grapevine.spi.RecoveryEntry;
import org.apache.pekko.actor.typed.ActorRef;

import java.util.List;

/**
 * The messages of a Merkle exchange between two nodes' repair actors (CBOR over Artery, see
 * reference.conf). The initiator asks for tree hashes level by level, then for the per-key digests of
 * the differing leaves, pushes its entries the peer lacks or holds otherwise, and pulls the peer's
 * likewise; each request has one reply, so at most one page per exchange is in flight. These are the
 * wire form of {@link dev.grapevine.core.repair.ExchangeMessage}, field for field ({@link RepairWire}):
 * the initiator numbers its requests in the low bits of {@code session}, which a responder only echoes.
 */
public sealed interface RepairMessage extends RepairActor.Command {

    /** Hashes of {@code nodes} of the responder's tree of {@code partition} at {@code depth}. */
    record TreeRequest(long session, String domain, int partition, int depth, int[] nodes,
                       ActorRef<RepairMessage> replyTo) implements RepairMessage {
    }

    /** @param entries how many entries the responder holds in the partition */
    record TreeReply(long session, int[] nodes, long[] hashes, long entries) implements RepairMessage {
    }

    /** Entries for the responder to merge. */
    record Push(long session, String domain, int partition, List<RecoveryEntry> entries,
                ActorRef<RepairMessage> replyTo) implements RepairMessage {
    }

    record PushAck(long session, int applied) implements RepairMessage {
    }

    /**
     * The responder's per-key digests in {@code leaves} of a tree of {@code depth}, in key order after
     * {@code afterKey} (null: from the start), at most {@link RepairActor#KEYS_PER_PAGE} of them.
     */
    record Digests(long session, String domain, int partition, int depth, int[] leaves, String afterKey,
                   ActorRef<RepairMessage> replyTo) implements RepairMessage {
    }

    /** @param resumeAfter the last key sent if more remain, else null */
    record DigestsReply(long session, String[] keys, long[] digests, String resumeAfter) implements RepairMessage {
    }

    /**
     * The responder's entries for {@code keys} (sorted), or in {@code leaves} of a tree of
     * {@code depth} when {@code keys} is null (all of the partition if both are null), in key order
     * after {@code afterKey} (null: from the start), up to {@code maxBytes}.
     */
    record Pull(long session, String domain, int partition, int depth, int[] leaves, String[] keys, String afterKey,
                int maxBytes, ActorRef<RepairMessage> replyTo) implements RepairMessage {
    }

    /** @param resumeAfter the last key sent if more entries remain, else null */
    record PullReply(long session, List<RecoveryEntry> entries, String resumeAfter) implements RepairMessage {
    }

    /** The responder could not serve a request (no such domain, an error in the domain). */
    record Refused(long session, String reason) implements RepairMessage {
    }
}
