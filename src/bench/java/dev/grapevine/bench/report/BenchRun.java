package dev.grapevine.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One result line: one system at one N in one run. Metrics are read when the line is, so that a
 * malformed value is reported with its file and line rather than surfacing later in a table.
 *
 * @param source "file:line", for messages and the failed-runs table
 * @param run    the run's timestamp when the harness gave one, else null
 * @param error  why the harness gave up on this run, else null; such a run is kept out of all figures
 * @param scenarioErrors scenarios that failed inside a run that otherwise went on ("scenario_errors"):
 *               their figures are simply absent, and the report says why
 * @param sharedJvm how many of the nodes ran in one process ("shared_jvm"), else 0
 */
record BenchRun(String source, BenchSystem system, int nodes, String run, String error, List<String> scenarioErrors,
        Map<Metric, Double> values, int sharedJvm) {

    boolean failed() {
        return error != null;
    }

    static BenchRun parse(JsonNode line, String source) throws BadInputException {
        if (!line.isObject()) {
            throw new BadInputException(source + ": expected a JSON object, found " + line.getNodeType());
        }
        BenchSystem system = BenchSystem.byKey(line.path("system").asText(""));
        if (system == null) {
            throw new BadInputException(source + ": \"system\" must be grapevine, serf or pekko, found " + line.get("system")
                    + " (SecurityReport reads the lines of grapevine-tls and serf-encrypt)");
        }
        JsonNode nodes = line.path("nodes");
        if (!nodes.canConvertToExactIntegral() || nodes.asInt() < 1) {
            throw new BadInputException(source + ": \"nodes\" must be a positive integer, found " + line.get("nodes"));
        }
        String run = line.hasNonNull("run") ? line.get("run").asText() : null;
        JsonNode e = line.path("error");
        String error = e.isMissingNode() || e.isNull() || e.asText().isBlank() ? null : e.isTextual() ? e.asText() : e.toString();

        List<String> scenarioErrors = new ArrayList<>();
        line.path("scenario_errors").forEach(x -> scenarioErrors.add(x.isTextual() ? x.asText() : x.toString()));

        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        if (error == null) {
            for (Metric m : Metric.values()) {
                if (!m.appliesTo(system)) {
                    continue;
                }
                JsonNode v = m.locate(system, line);
                if (v.isNumber()) {
                    values.put(m, v.doubleValue());
                } else if (!v.isMissingNode() && !v.isNull()) {
                    throw new BadInputException(source + ": " + m.key + " must be a number or null, found " + v);
                }
            }
        }
        return new BenchRun(source, system, nodes.asInt(), run, error, List.copyOf(scenarioErrors), values,
                line.path("shared_jvm").size());
    }
}
