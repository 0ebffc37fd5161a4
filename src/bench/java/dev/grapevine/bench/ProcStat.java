package dev.grapevine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** CPU time and resident memory of a process, from /proc (Linux only, as the whole benchmark). */
final class ProcStat {
    private ProcStat() {}

    /**
     * CPU time of each thread of the process by thread id, in nanoseconds, or null once it is gone.
     * From each thread's schedstat rather than the process's utime + stime, which count 10 ms ticks:
     * too coarse for idle figures of a fraction of a percent over a 10 s window.
     */
    static Map<Long, Long> threadCpuNanos(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        Map<Long, Long> byThread = new HashMap<>();
        try (var threads = Files.list(tasks)) {
            for (Path t : threads.toList()) {
                try {
                    long nanos = Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split(" ")[0]);
                    byThread.put(Long.parseLong(t.getFileName().toString()), nanos);
                } catch (IOException | RuntimeException e) {
                    // a thread that ended while we listed: see cpuNanosBetween
                }
            }
            return byThread;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * CPU time spent between two samples of {@link #threadCpuNanos}. Summing the threads of each
     * sample and subtracting would count a thread that ended in between (the JVM retires idle
     * compiler threads) as negative time, its whole life's worth; here each thread alive at the end
     * counts what it spent since the first sample (all of it if it is new, or if its id was reused),
     * and a thread that ended counts nothing: at most its last moments are missed.
     */
    static long cpuNanosBetween(Map<Long, Long> before, Map<Long, Long> after) {
        long total = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            long start = before.getOrDefault(e.getKey(), 0L);
            total += e.getValue() >= start ? e.getValue() - start : e.getValue();
        }
        return total;
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
