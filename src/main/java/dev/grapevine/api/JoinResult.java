package dev.grapevine.api;

import java.util.List;

/**
 * What came of {@link Grapevine#join}: the addresses whose node answered with its view within
 * {@link Grapevine#JOIN_ANSWER_WAIT}, and those that did not (nobody listening, or too slow).
 */
public record JoinResult(List<String> joined, List<String> failed) {
    public JoinResult {
        joined = List.copyOf(joined);
        failed = List.copyOf(failed);
    }
}
