package dev.grapevine.core.repair;

/** What a step of {@link ExchangeInitiator} or {@link ExchangeResponder} asks its shell to do. */
public sealed interface ExchangeEffect {

    /** Send {@code message} to the peer (initiator: a request; responder: the reply to the requester). */
    record Send(ExchangeMessage message) implements ExchangeEffect {
    }

    /**
     * The initiator's exchange is over: {@code ok} when both sides now hold each other's versions of
     * the partition (as of the exchange), else {@code reason} says why it failed (retry it later).
     */
    record Done(boolean ok, String reason) implements ExchangeEffect {
    }

    /** The responder dropped a malformed request without a reply: count it; the peer times out. */
    record Drop(String reason) implements ExchangeEffect {
    }
}
