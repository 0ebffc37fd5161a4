package dev.grapevine.core.node;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one node counted: every bound that was hit and every input it ignored, so nothing is dropped
 * silently. Read by metrics and {@code grapevine info}; written only by the node's own thread.
 */
public final class Counters {
    long probes;
    long probesFailed;
    long indirectProbes;
    /** Acks and nacks that reached this node's failure detector, late ones included. */
    long acksReceived;
    long nacksReceived;
    long suspicionsRaised;
    long refutations;
    long deathsDeclared;
    /** Of those, declared by a quorum of accusers before Lifeguard's timeout. */
    long deathsByQuorum;
    /** Suspects this node checked out of turn as one of their observers, and the checks that failed. */
    long checks;
    long checksFailed;
    /** Checks not started: {@link FailureDetector#CHECKS_MAX} were in flight. */
    long checksOverBound;
    /** Failed probes and checks not reported, and deaths not declared, while this node's health was poor. */
    long accusationsWithheld;
    /** Verdicts of this node's death it held off refuting because it was deaf lately (see Membership). */
    long rejoinsHeld;
    /** Suspicions of this node it held off refuting because it was deaf lately. */
    long refutationsDeferred;
    long relaysRefused;
    long misdirectedPings;
    long staleAcks;
    long identityConflicts;
    long gossipMessages;
    long directSends;
    long directEventsNotGossiped;
    long broadcastsRetiredEarly;
    long pushPulls;
    long viewDigestsSent;
    long viewDigestsAlike;
    long reconnectAttempts;
    long deadReapedOverBound;
    long progressRefused;
    long progressTooLarge;
    long rumorsTooLarge;
    /** Application state values refused: of a member this node does not know, of an earlier life, or over the keys bound. */
    long appStateRefused;
    /** Application state values a push-pull left out: more than its byte bound (they go in later ones). */
    long appStateLeftOut;
    long forceLeaves;
    /** Claims about members refused as implausible ({@link Claims#judge}). */
    long claimsRefused;
    /** Claims about live members from senders that are not live members ({@link Claims#strangerMay}). */
    long rumorsFromStrangers;
    /** Messages from nodes of another cluster, dropped unread (see {@link ClusterGuard}). */
    long foreignClusterRefused;
    /** Joins that a node of another cluster refused. */
    long joinsRefusedByForeignCluster;

    /** A state delegate refused a recovery-progress value that conflicts with the one held. */
    public void progressRefused() {
        progressRefused++;
    }

    /** A state delegate left a recovery-progress value out of a push-pull: it did not fit. */
    public void progressTooLarge() {
        progressTooLarge++;
    }

    public long probes() {
        return probes;
    }

    public long probesFailed() {
        return probesFailed;
    }

    public long refutations() {
        return refutations;
    }

    public long deathsDeclared() {
        return deathsDeclared;
    }

    public long deathsByQuorum() {
        return deathsByQuorum;
    }

    public long accusationsWithheld() {
        return accusationsWithheld;
    }

    public long rejoinsHeld() {
        return rejoinsHeld;
    }

    public long suspicionsRaised() {
        return suspicionsRaised;
    }

    public long relaysRefused() {
        return relaysRefused;
    }

    public long forceLeaves() {
        return forceLeaves;
    }

    public long claimsRefused() {
        return claimsRefused;
    }

    public long rumorsFromStrangers() {
        return rumorsFromStrangers;
    }

    public long foreignClusterRefused() {
        return foreignClusterRefused;
    }

    public long joinsRefusedByForeignCluster() {
        return joinsRefusedByForeignCluster;
    }

    public long identityConflicts() {
        return identityConflicts;
    }

    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("probes", probes);
        m.put("probes_failed", probesFailed);
        m.put("indirect_probes", indirectProbes);
        m.put("acks_received", acksReceived);
        m.put("nacks_received", nacksReceived);
        m.put("suspicions_raised", suspicionsRaised);
        m.put("refutations", refutations);
        m.put("deaths_declared", deathsDeclared);
        m.put("deaths_by_quorum", deathsByQuorum);
        m.put("checks", checks);
        m.put("checks_failed", checksFailed);
        m.put("checks_over_bound", checksOverBound);
        m.put("accusations_withheld", accusationsWithheld);
        m.put("rejoins_held", rejoinsHeld);
        m.put("refutations_deferred", refutationsDeferred);
        m.put("relays_refused", relaysRefused);
        m.put("misdirected_pings", misdirectedPings);
        m.put("stale_acks", staleAcks);
        m.put("identity_conflicts", identityConflicts);
        m.put("gossip_messages", gossipMessages);
        m.put("direct_sends", directSends);
        m.put("direct_events_not_gossiped", directEventsNotGossiped);
        m.put("broadcasts_retired_early", broadcastsRetiredEarly);
        m.put("push_pulls", pushPulls);
        m.put("view_digests_sent", viewDigestsSent);
        m.put("view_digests_alike", viewDigestsAlike);
        m.put("reconnect_attempts", reconnectAttempts);
        m.put("dead_reaped_over_bound", deadReapedOverBound);
        m.put("progress_refused", progressRefused);
        m.put("progress_too_large", progressTooLarge);
        m.put("rumors_too_large", rumorsTooLarge);
        m.put("app_state_refused", appStateRefused);
        m.put("app_state_left_out", appStateLeftOut);
        m.put("force_leaves", forceLeaves);
        m.put("claims_refused", claimsRefused);
        m.put("rumors_from_strangers", rumorsFromStrangers);
        m.put("foreign_cluster_refused", foreignClusterRefused);
        m.put("joins_refused_by_foreign_cluster", joinsRefusedByForeignCluster);
        return m;
    }
}
