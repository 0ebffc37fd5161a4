package dev.grapevine.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition: polled with a deadline, never a bare sleep. */
final class Poll {
    private Poll() {}

    /** Polls every {@code every} until {@code done}; throws a {@link BenchFailure} naming what was awaited. */
    static void until(Duration deadline, Duration every, String what, BooleanSupplier done) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) throw new BenchFailure("gave up after " + deadline.toSeconds() + " s waiting for " + what);
            sleep(every);
        }
    }

    /** For paced actions (a send every 500 ms, a measurement window), not for awaiting a condition. */
    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted");
        }
    }
}
