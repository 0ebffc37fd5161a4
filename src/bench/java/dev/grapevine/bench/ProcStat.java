package dev.grapevine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from /proc (Linux only, as the whole benchmark). */
final class ProcStat {
    private ProcStat() {}

    /**
     * CPU time of every thread of the process, in nanoseconds, or -1 once it is gone. From each
     * thread's schedstat rather than the process's utime + stime, which count 10 ms ticks: too coarse
     * for idle figures of a fraction of a percent over a 10 s window.
     */
    static long cpuNanos(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        long total = 0;
        try (var threads = Files.list(tasks)) {
            for (Path t : threads.toList()) {
                try {
                    total += Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split(" ")[0]);
                } catch (IOException | RuntimeException e) {
                    // a thread that ended while we listed: its time is lost with it, a few µs at most
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
