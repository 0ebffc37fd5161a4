package dev.grapevine.sim;

import java.util.Locale;

/**
 * How a gray-failure scenario degrades its faulty node(s) for the fault window, and how the fault
 * ends. Every fault but {@link #MASS_CRASH} leaves the node running and able to send: it is slow, or
 * deaf, or half deaf, which a failure detector finds harder to judge than a crash.
 */
enum GrayFault {

    /** The faulty node loses {@value #FLAKY_INBOUND_LOSS_PERCENT}% of the messages sent to it, then recovers. */
    FLAKY("flaky", 60_000) {
        @Override
        void start(Simulation sim, int[] faulty, long startMillis, long windowMillis) {
            sim.at(startMillis, () -> sim.network().setInboundLoss(faulty[0], FLAKY_INBOUND_LOSS_PERCENT / 100.0));
            sim.at(startMillis + windowMillis, () -> sim.network().setInboundLoss(faulty[0], 0));
        }
    },

    /**
     * The faulty node hears nothing for {@value #FLIP_FLOP_CUT_MILLIS} ms, then everything for
     * {@value #FLIP_FLOP_RESTORED_MILLIS} ms, again and again: a link that comes and goes.
     */
    FLIP_FLOP("flip-flop", 3 * (GrayFault.FLIP_FLOP_CUT_MILLIS + GrayFault.FLIP_FLOP_RESTORED_MILLIS)) {
        @Override
        void start(Simulation sim, int[] faulty, long startMillis, long windowMillis) {
            long end = startMillis + windowMillis;
            for (long t = startMillis; t < end; t += FLIP_FLOP_CUT_MILLIS + FLIP_FLOP_RESTORED_MILLIS) {
                sim.at(t, () -> sim.network().setInboundLoss(faulty[0], 1.0));
                sim.at(Math.min(end, t + FLIP_FLOP_CUT_MILLIS), () -> sim.network().setInboundLoss(faulty[0], 0));
            }
        }
    },

    /**
     * The faulty node is CPU-starved: frozen (SIGSTOP) {@value #SLOW_FROZEN_MILLIS} ms of every
     * {@value #SLOW_PERIOD_MILLIS} ms, so every message and timer it has waits, and it answers late.
     */
    SLOW("slow", 60_000) {
        @Override
        void start(Simulation sim, int[] faulty, long startMillis, long windowMillis) {
            for (long t = startMillis; t < startMillis + windowMillis; t += SLOW_PERIOD_MILLIS) {
                long frozen = Math.min(SLOW_FROZEN_MILLIS, startMillis + windowMillis - t);
                sim.at(t, () -> sim.pause(faulty[0], frozen));
            }
        }
    },

    /** A tenth of the nodes (at least two) are killed at once and stay down. */
    MASS_CRASH("mass-crash", 60_000) {
        @Override
        void start(Simulation sim, int[] faulty, long startMillis, long windowMillis) {
            sim.at(startMillis, () -> {
                for (int i : faulty) {
                    sim.crash(i);
                }
            });
        }
    },

    /** The faulty node hears nothing for the window but its own messages go out; then the cut heals. */
    ISOLATED("isolated", 45_000) {
        @Override
        void start(Simulation sim, int[] faulty, long startMillis, long windowMillis) {
            sim.at(startMillis, () -> sim.network().setInboundLoss(faulty[0], 1.0));
            sim.at(startMillis + windowMillis, () -> sim.network().setInboundLoss(faulty[0], 0));
        }
    };

    static final int FLAKY_INBOUND_LOSS_PERCENT = 80;
    static final long FLIP_FLOP_CUT_MILLIS = 20_000;
    static final long FLIP_FLOP_RESTORED_MILLIS = 20_000;
    /** One period of a slow node: frozen for {@link #SLOW_FROZEN_MILLIS}, then running for the rest. */
    static final long SLOW_PERIOD_MILLIS = 1_000;
    static final long SLOW_FROZEN_MILLIS = 700;
    /** Of the nodes, the percentage a mass crash kills, and the fewest it kills. */
    static final int MASS_CRASH_PERCENT = 10;
    static final int MASS_CRASH_MIN = 2;

    private final String id;
    private final long defaultWindowMillis;

    GrayFault(String id, long defaultWindowMillis) {
        this.id = id;
        this.defaultWindowMillis = defaultWindowMillis;
    }

    String id() {
        return id;
    }

    /** The fault window when {@code --duration} does not set it. */
    long defaultWindowMillis() {
        return defaultWindowMillis;
    }

    /** How many nodes this fault degrades in a cluster of {@code nodes}; {@code crashFlag} is {@code --crash} if given (not 1). */
    int faultyCount(int nodes, int crashFlag) {
        if (this != MASS_CRASH) {
            return 1;
        }
        int count = crashFlag > 1 ? crashFlag : Math.max(MASS_CRASH_MIN, nodes * MASS_CRASH_PERCENT / 100);
        return Math.min(count, nodes - 1); // a survivor must remain to judge
    }

    /** Schedules the fault on {@code faulty} from {@code startMillis} for {@code windowMillis}, and its end. */
    abstract void start(Simulation sim, int[] faulty, long startMillis, long windowMillis);

    static GrayFault of(String id) {
        for (GrayFault f : values()) {
            if (f.id.equals(id.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown gray fault '" + id + "'");
    }
}
