package dev.grapevine.sim;

import dev.grapevine.core.events.UserEvent;
import dev.grapevine.core.gossip.Rumor;
import dev.grapevine.core.member.MemberEvent;

/** What a scenario watches: each node's published effects, at simulated time. */
public interface SimObserver {
    default void onMemberEvent(int node, MemberEvent event, long nowMillis) {
    }

    default void onUserEvent(int node, UserEvent event, long nowMillis) {
    }

    default void onProgress(int node, Rumor.ProgressRumor progress, long nowMillis) {
    }
}
