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
                     boolean lossAllowed, int sharedJvmFrom, GraySettings gray) {

    /** The JVM running the harness, with the nodes' options: both JVM systems get the same. */
    List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(javaOpts);
        return cmd;
    }

    /** Whether a cluster of n nodes runs nodes 1..n-1 of each JVM system in one process. */
    boolean sharedJvm(int n) {
        return sharedJvmFrom > 0 && n >= sharedJvmFrom;
    }

    /**
     * The JVM options of a process of k nodes: the nodes' options, then a heap that grows with k (a
     * later -Xmx wins). Both JVM systems get the same.
     */
    List<String> sharedJavaCommand(int k) {
        List<String> cmd = javaCommand();
        cmd.add("-Xmx" + (SHARED_HEAP_BASE_MIB + SHARED_HEAP_PER_NODE_MIB * k) + "m");
        return cmd;
    }

    static final int SHARED_HEAP_BASE_MIB = 64;
    /** With 16 MiB, a JVM of 49 Grapevine nodes showed the signs of an exhausted heap within ten minutes. */
    static final int SHARED_HEAP_PER_NODE_MIB = 32;

    /** The classpath of a shared process: the harness's jar (SharedJvm) and its libraries, after {@code first}. */
    String benchClasspath(String... first) {
        List<String> cp = new ArrayList<>(List.of(first));
        cp.add(root.resolve("target/grapevine-bench.jar").toString());
        cp.add(root.resolve("target/lib/*").toString());
        cp.add(root.resolve("target/bench-lib/*").toString());
        return String.join(":", cp);
    }
}
