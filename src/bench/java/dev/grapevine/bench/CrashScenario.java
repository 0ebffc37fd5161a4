package dev.grapevine.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * kill -9 of node N; per survivor, the time from the kill to its verdict on N, as its tap reported it:
 * Grapevine "dead", Serf "failed", Pekko "unreachable" (its reversible verdict) and, separately, Pekko's
 * "down" (the split-brain resolver's irreversible verdict, the counterpart of "dead") and "removed"
 * (the leader's removal once every node has seen the down). Then node N is started again with the
 * same name and address, and the time until every node lists it alive is measured from when it answers.
 *
 * <p>With several cycles, each time is the median over the cycles, and {@code samples} keeps every
 * cycle's: a single crash of a SWIM cluster lands anywhere in a probe round, so one sample says little.
 */
final class CrashScenario {
    /** Pekko's SBR default (stable-after 20 s) stays well inside it. */
    static final Duration DEADLINE = Duration.ofSeconds(120);

    /** Between a restarted node listed alive everywhere and the next kill. */
    static final Duration BETWEEN_CYCLES = Duration.ofSeconds(5);

    private CrashScenario() {}

    static void run(Cluster c, ObjectNode out, int cycles) {
        ArrayNode samples = Http.JSON.createArrayNode();
        List<Long> rejoins = new ArrayList<>();
        try {
            for (int i = 0; i < cycles; i++) {
                if (i > 0) Poll.sleep(BETWEEN_CYCLES);
                ObjectNode sample = samples.addObject();
                cycle(c, sample);
                rejoins.add(sample.get("rejoin_ms").asLong());
            }
        } finally {
            ObjectNode crash = out.putObject("crash");
            if (!samples.isEmpty() && samples.get(0).get("crash") instanceof ObjectNode first) {
                crash.put("failed_status", first.get("failed_status").asText());
                first.fieldNames().forEachRemaining(field -> {
                    if (!field.endsWith("_ms")) return;
                    List<Double> values = new ArrayList<>();
                    for (var sample : samples) {
                        var v = sample.path("crash").path(field);
                        if (v.isNumber()) values.add(v.asDouble());
                    }
                    // A cycle without this verdict in time leaves no median: the run failed.
                    Stats.put(crash, field, values.size() == samples.size() ? Stats.median(values) : null);
                });
            }
            if (cycles > 1) crash.set("samples", samples);
            if (!rejoins.isEmpty()) out.put("rejoin_ms", Stats.median(rejoins).longValue());
        }
    }

    private static void cycle(Cluster c, ObjectNode out) {
        int victim = c.size();
        String name = SystemUnderTest.nodeName(victim);
        boolean pekko = c.system() instanceof PekkoSystem;
        Observations.Kind verdict = pekko ? Observations.Kind.SUSPECT : Observations.Kind.FAILED;
        long tKill = System.currentTimeMillis();
        c.crash(victim);
        List<Integer> survivors = c.nodes().subList(0, victim - 1);
        ObjectNode crash = out.putObject("crash");
        crash.put("failed_status", pekko ? "unreachable" : c.system() instanceof SerfSystem ? "failed" : "dead");
        String error = null;
        try {
            Poll.until(DEADLINE, Cluster.POLL, "every survivor to mark " + name + " failed" + (pekko ? ", down and removed" : ""),
                    () -> firsts(c, survivors, name, verdict, tKill).size() == survivors.size()
                            && (!pekko || (firsts(c, survivors, name, Observations.Kind.FAILED, tKill).size() == survivors.size()
                                && firsts(c, survivors, name, Observations.Kind.REMOVED, tKill).size() == survivors.size())));
        } catch (BenchFailure e) {
            error = e.getMessage();
        }
        putRange(crash, "failed", firsts(c, survivors, name, verdict, tKill), survivors.size(), tKill);
        if (pekko) {
            putRange(crash, "down", firsts(c, survivors, name, Observations.Kind.FAILED, tKill), survivors.size(), tKill);
            putRange(crash, "removed", firsts(c, survivors, name, Observations.Kind.REMOVED, tKill), survivors.size(), tKill);
        }
        if (error != null) throw new BenchFailure(error);

        c.launch(victim);
        c.awaitAnswering(List.of(victim));
        long tUp = System.currentTimeMillis();
        Poll.until(Cluster.formDeadline(c.size()), Cluster.POLL, "every node to list the restarted " + name + " " + c.system().aliveWord(),
                () -> c.allSee(victim));
        out.put("rejoin_ms", System.currentTimeMillis() - tUp);
    }

    /** Per observer, the time of its first verdict of this kind on the subject after t0. */
    private static List<Long> firsts(Cluster c, List<Integer> observers, String subject, Observations.Kind kind, long t0) {
        List<Long> out = new ArrayList<>();
        for (int i : observers) {
            String observer = SystemUnderTest.nodeName(i);
            OptionalLong first = c.observations().verdicts(v -> v.observer().equals(observer) && v.subject().equals(subject)
                    && v.kind() == kind && v.ms() >= t0).stream().mapToLong(Observations.Verdict::ms).min();
            first.ifPresent(out::add);
        }
        return out;
    }

    private static void putRange(ObjectNode crash, String what, List<Long> times, int expected, long t0) {
        boolean all = times.size() == expected;
        Stats.put(crash, what + "_first_ms", all ? Stats.min(times).doubleValue() - t0 : null);
        Stats.put(crash, what + "_all_ms", all ? Stats.max(times).doubleValue() - t0 : null);
    }
}
