package dev.grapevine.core.repair;

import java.util.List;

/**
 * The messages of a Merkle exchange, without transport: a node's shell maps them to its wire form
 * and back, adding whom to reply to. Each request has exactly one reply carrying its {@code session};
 * the initiator numbers its requests in the low {@link ExchangeInitiator#SEQUENCE_BITS} bits of the
 * session (tree requests excepted, see {@link ExchangeInitiator}), so that a late reply to an earlier
 * copy of a request is told from the reply to the current one. A responder only echoes the session.
 */
public sealed interface ExchangeMessage {

    long session();

    /** A request the responder answers. */
    sealed interface Request extends ExchangeMessage {
        String domain();

        int partition();
    }

    /** Hashes of {@code nodes} of the responder's tree of {@code partition} at {@code depth}. */
    record TreeRequest(long session, String domain, int partition, int depth, int[] nodes) implements Request {
    }

    /** @param entries how many entries the responder holds in the partition */
    record TreeReply(long session, int[] nodes, long[] hashes, long entries) implements ExchangeMessage {
    }

    /** Entries for the responder to merge. */
    record Push(long session, String domain, int partition, List<ExchangeEntry> entries) implements Request {
    }

    record PushAck(long session, int applied) implements ExchangeMessage {
    }

    /**
     * The responder's key digests in {@code leaves} of a tree of {@code depth}, in key order after
     * {@code afterKey} (null: from the start), at most a page of them.
     */
    record Digests(long session, String domain, int partition, int depth, int[] leaves, String afterKey) implements Request {
    }

    /** @param resumeAfter the last key sent if more remain, else null */
    record DigestsReply(long session, String[] keys, long[] digests, String resumeAfter) implements ExchangeMessage {
    }

    /**
     * The responder's entries for {@code keys} (ascending), or in {@code leaves} of a tree of
     * {@code depth} when {@code keys} is null (all of the partition if both are null), in key order
     * after {@code afterKey} (null: from the start), up to {@code maxBytes}.
     */
    record Pull(long session, String domain, int partition, int depth, int[] leaves, String[] keys, String afterKey,
                int maxBytes) implements Request {
    }

    /** @param resumeAfter the last key sent if more entries remain, else null */
    record PullReply(long session, List<ExchangeEntry> entries, String resumeAfter) implements ExchangeMessage {
    }

    /** The responder could not serve a request (no such domain, a limit, an error in the domain). */
    record Refused(long session, String reason) implements ExchangeMessage {
    }
}
