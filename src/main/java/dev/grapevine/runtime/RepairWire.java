package dev.grapevine.runtime;

import dev.grapevine.core.repair.ExchangeMessage;
import org.apache.pekko.actor.typed.ActorRef;


/**
 * The exchange machines' messages to and from their wire form, {@link RepairMessage}: field for
 * field, requests adding whom to reply to. The wire form is unchanged, so nodes of either side of
 * this change exchange with each other.
 */
final class RepairWire {
    private RepairWire() {
    }

    static RepairMessage toWire(ExchangeMessage m, ActorRef<RepairMessage> self) {
        if (m instanceof ExchangeMessage.TreeRequest r) {
            return new RepairMessage.TreeRequest(r.session(), r.domain(), r.partition(), r.depth(), r.nodes(), self);
        } else if (m instanceof ExchangeMessage.TreeReply r) {
            return new RepairMessage.TreeReply(r.session(), r.nodes(), r.hashes(), r.entries());
        } else if (m instanceof ExchangeMessage.Push r) {
            return new RepairMessage.Push(r.session(), r.domain(), r.partition(), RecoverableExchangeStore.toSpi(r.entries()), self);
        } else if (m instanceof ExchangeMessage.PushAck r) {
            return new RepairMessage.PushAck(r.session(), r.applied());
        } else if (m instanceof ExchangeMessage.Digests r) {
            return new RepairMessage.Digests(r.session(), r.domain(), r.partition(), r.depth(), r.leaves(), r.afterKey(), self);
        } else if (m instanceof ExchangeMessage.DigestsReply r) {
            return new RepairMessage.DigestsReply(r.session(), r.keys(), r.digests(), r.resumeAfter());
        } else if (m instanceof ExchangeMessage.Pull r) {
            return new RepairMessage.Pull(r.session(), r.domain(), r.partition(), r.depth(), r.leaves(), r.keys(), r.afterKey(),
                    r.maxBytes(), self);
        } else if (m instanceof ExchangeMessage.PullReply r) {
            return new RepairMessage.PullReply(r.session(), RecoverableExchangeStore.toSpi(r.entries()), r.resumeAfter());
        }
        ExchangeMessage.Refused r = (ExchangeMessage.Refused) m;
        return new RepairMessage.Refused(r.session(), r.reason());
    }

    static ExchangeMessage toCore(RepairMessage m) {
        if (m instanceof RepairMessage.TreeRequest r) {
            return new ExchangeMessage.TreeRequest(r.session(), r.domain(), r.partition(), r.depth(), r.nodes());
        } else if (m instanceof RepairMessage.TreeReply r) {
            return new ExchangeMessage.TreeReply(r.session(), r.nodes(), r.hashes(), r.entries());
        } else if (m instanceof RepairMessage.Push r) {
            return new ExchangeMessage.Push(r.session(), r.domain(), r.partition(), RecoverableExchangeStore.toCore(r.entries()));
        } else if (m instanceof RepairMessage.PushAck r) {
            return new ExchangeMessage.PushAck(r.session(), r.applied());
        } else if (m instanceof RepairMessage.Digests r) {
            return new ExchangeMessage.Digests(r.session(), r.domain(), r.partition(), r.depth(), r.leaves(), r.afterKey());
        } else if (m instanceof RepairMessage.DigestsReply r) {
            return new ExchangeMessage.DigestsReply(r.session(), r.keys(), r.digests(), r.resumeAfter());
        } else if (m instanceof RepairMessage.Pull r) {
            return new ExchangeMessage.Pull(r.session(), r.domain(), r.partition(), r.depth(), r.leaves(), r.keys(), r.afterKey(),
                    r.maxBytes());
        } else if (m instanceof RepairMessage.PullReply r) {
            return new ExchangeMessage.PullReply(r.session(), RecoverableExchangeStore.toCore(r.entries()), r.resumeAfter());
        }
        RepairMessage.Refused r = (RepairMessage.Refused) m;
        return new ExchangeMessage.Refused(r.session(), r.reason());
    }

    /** Whom a request is to be answered at; null for a reply. */
    static ActorRef<RepairMessage> replyTo(RepairMessage m) {
        if (m instanceof RepairMessage.TreeRequest r) {
            return r.replyTo();
        } else if (m instanceof RepairMessage.Push r) {
            return r.replyTo();
        } else if (m instanceof RepairMessage.Pull r) {
            return r.replyTo();
        } else if (m instanceof RepairMessage.Digests r) {
            return r.replyTo();
        }
        return null;
    }
}
