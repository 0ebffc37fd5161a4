package dev.grapevine.runtime;

import java.util.Map;

/** The recovery coordinator's counts of hand-offs and leaves, as the admin API's metrics show them. */
final class HandOffFigures {
    static final String SOURCE = "handoff";

    /** Partitions handed to their owners and dropped here. */
    long dropped;
    /** Hand-offs that ended with the partition kept here (a failed exchange, a new epoch...). */
    long kept;
    /** Leaves whose hand-off finished: every partition and hint reached its owners. */
    long decommissionsHandedOff;
    /** Leaves that went on when grapevine.recovery.decommission-timeout ran out, with data still held. */
    long decommissionTimeouts;

    Map<String, Long> asMap() {
        return Map.of("handoff_partitions_dropped", dropped, "handoff_partitions_kept", kept,
                "decommissions_handed_off", decommissionsHandedOff, "decommission_timeouts", decommissionTimeouts);
    }
}
