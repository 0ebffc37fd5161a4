package dev.grapevine.api;

import dev.grapevine.core.recovery.Ownership;

import java.util.List;
import java.util.Map;

/** For tests outside the api package: a partition map as recovery would publish it. */
public final class PartitionMaps {
    private PartitionMaps() {
    }

    public static PartitionMap of(List<String> members, int partitions, int replicationFactor, Map<String, String> addresses) {
        return new PartitionMap(new Ownership(members, partitions, replicationFactor), addresses);
    }
}
