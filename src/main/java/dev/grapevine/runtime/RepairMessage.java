package dev.grapevine.runtime;

import dev.grapevine.api.RecoveryEntry;
import org.apache.pekko.actor.typed.ActorRef;

import java.util.List;

/**
 * The messages of a Merkle exchange between two nodes' repair actors (CBOR over Artery, see
 * reference.conf). The initiator asks for tree hashes level by level, pushes its entries of the
 * differing leaves in chunks, then pulls the peer's in pages; each request has one reply, so at most
 * one chunk per exchange is in flight.
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
     * The responder's entries in {@code leaves} of a tree of {@code depth} (all of the partition if
     * {@code leaves} is null), in key order after {@code afterKey} (null: from the start), up to
     * {@code maxBytes}.
     */
    record Pull(long session, String domain, int partition, int depth, int[] leaves, String afterKey, int maxBytes,
                ActorRef<RepairMessage> replyTo) implements RepairMessage {
    }

    /** @param resumeAfter the last key sent if more entries remain, else null */
    record PullReply(long session, List<RecoveryEntry> entries, String resumeAfter) implements RepairMessage {
    }

    /** The responder could not serve a request (no such domain, an error in the domain). */
    record Refused(long session, String reason) implements RepairMessage {
    }
}
