package dev.grapevine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node's OS process: started with its output in a log file, crashed with SIGKILL, paused with
 * SIGSTOP, and read through /proc for its CPU time and resident memory.
 */
final class NodeProcess {
    private final String name;
    /** Bytes of an exit report read from the end of this process's log. */
    private static final int REPORT_BYTES_MAX = 4096;
    private final Path log;
    /** Where this process's output starts: the log is shared by every life of the node and every N. */
    private final long logOffset;
    private final Process process;

    private NodeProcess(String name, Path log, long logOffset, Process process) {
        this.name = name;
        this.log = log;
        this.logOffset = logOffset;
        this.process = process;
    }

    static NodeProcess start(String name, List<String> command, Path log) throws IOException {
        long offset = Files.exists(log) ? Files.size(log) : 0;
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new NodeProcess(name, log, offset, pb.start());
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The last line this process wrote (its exit reason, as a rule), for an error message when it exits early. */
    String lastLogLine() {
        try (var file = new java.io.RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(logOffset, length - REPORT_BYTES_MAX);
            byte[] tail = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(tail);
            String[] lines = new String(tail, java.nio.charset.StandardCharsets.UTF_8).strip().split("\\R");
            String last = lines[lines.length - 1].strip();
            // The file's name only: the directory is a temporary one, gone after the run, or the one
            // --logs named, which the run prints; and the error goes into the JSON that is kept.
            Path name = log.getFileName();
            return last.isEmpty() ? "(nothing in " + name + ")" : last + " (" + name + ")";
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    void crash() {
        kill();
        waitFor(5);
    }

    /** SIGKILL without waiting for the exit: several nodes killed at once. */
    void kill() {
        process.destroyForcibly();   // SIGKILL on Linux: no leave, no shutdown hook
    }

    void pause() {
        signal("STOP");
    }

    void resume() {
        signal("CONT");
    }

    /** SIGTERM (a graceful leave for Grapevine and Serf), then SIGKILL after the grace time. */
    void stop(long graceSeconds) {
        if (!process.isAlive()) return;
        resume();   // a stopped process cannot act on SIGTERM
        process.destroy();
        if (!waitFor(graceSeconds)) {
            process.destroyForcibly();
            waitFor(5);
        }
    }

    /** CPU time per thread in nanoseconds ({@link ProcStat#threadCpuNanos}), or null once the process is gone. */
    Map<Long, Long> threadCpuNanos() {
        return ProcStat.threadCpuNanos(pid());
    }

    /** Resident set in KiB, or -1 once the process is gone. */
    long rssKib() {
        return ProcStat.rssKib(pid());
    }

    private void signal(String sig) {
        if (!process.isAlive()) return;
        try {
            Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid())).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new BenchFailure("could not send SIG" + sig + " to " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean waitFor(long seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
