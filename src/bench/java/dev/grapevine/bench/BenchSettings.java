package dev.grapevine.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a benchmark run is set up: where the jars are, the JVM options of both JVM systems, and the
 * length of every scenario. {@link Bench} fills it from its flags.
 */
record BenchSettings(Path root, Path workDir, List<String> javaOpts, boolean grapevineKv,
                     String pekkoPause, String pekkoStableAfter,
                     int events, Duration eventInterval, Duration idleWindow, Duration idleSettle,
                     int crashes,
                     Duration churnWindow, Duration churnEvery, Duration churnDown,
                     Duration fpWindow, List<Integer> lossPercents, Duration pause, Duration pauseEvery,
                     boolean lossAllowed) {

    /** The JVM running the harness, with the nodes' options: both JVM systems get the same. */
    List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(javaOpts);
        return cmd;
    }
}
