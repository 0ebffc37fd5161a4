package dev.grapevine.ops;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a clean stop on SIGTERM or SIGINT instead of the JVM's default (exit 143 or 130 after the
 * shutdown hooks). The agent leaves the cluster, stops, and its main thread then returns exit code 0.
 */
final class ShutdownSignals {
    private ShutdownSignals() {
    }

    static void onTermOrInt(Runnable stop) {
        AtomicBoolean once = new AtomicBoolean();
        sun.misc.SignalHandler handler = signal -> {
            if (once.compareAndSet(false, true)) {
                Thread t = new Thread(stop, "grapevine-stop");
                t.start(); // not on the signal thread: a leave takes a few gossip periods
            }
        };
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
    }
}
