package dev.grapevine.api;

import java.util.List;

/**
 * The members currently live (alive or suspect), sorted by name, as one numbered version. Every node
 * that has seen the same membership changes holds the same list: the input from which recovery
 * computes who owns what. A suspect still counts, so a member that is only slow causes no churn.
 */
public record LiveMembers(long version, List<String> names) {
    public LiveMembers {
        names = List.copyOf(names);
    }
}
