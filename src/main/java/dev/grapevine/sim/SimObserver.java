package dev.grapevine.sim;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.member.MemberEvent;
import dev.grapevine.core.recovery.EpochProgress;
import dev.grapevine.core.wire.Message;

/** What a scenario watches: each node's published effects, at simulated time. */
public interface SimObserver {
    default void onMemberEvent(int node, MemberEvent event, long nowMillis) {
    }

    default void onUserEvent(int node, UserEvent event, long nowMillis) {
    }

    default void onProgress(int node, EpochProgress progress, long nowMillis) {
    }

    /** Node {@code from} sent {@code message} to node {@code to} (whether or not it will arrive). */
    default void onSend(int from, int to, Message message, long nowMillis) {
    }
}
