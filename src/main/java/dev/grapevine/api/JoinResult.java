package dev.grapevine.api;

import java.util.List;
import java.util.Map;

/**
 * What came of {@link Grapevine#join}: the addresses whose node answered with its view within
 * {@link Grapevine#JOIN_ANSWER_WAIT}, those that did not (nobody listening, or too slow), and those
 * whose node belongs to another cluster and refused, each with that cluster's name (see
 * {@code grapevine.cluster-name}); nothing of a refusing node's view is adopted.
 */
public record JoinResult(List<String> joined, List<String> failed, Map<String, String> refused) {
    public JoinResult {
        joined = List.copyOf(joined);
        failed = List.copyOf(failed);
        refused = Map.copyOf(refused);
    }

    /** No address refused. */
    public JoinResult(List<String> joined, List<String> failed) {
        this(joined, failed, Map.of());
    }
}
