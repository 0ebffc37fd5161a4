package dev.grapevine.runtime;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.grapevine.log.CapturedLines;
import dev.grapevine.log.GrapevineLogs;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The core's refusal counters, as the actors publish them, become counted WARN lines. */
class DroppedInputsTest {

    @Test
    void theGrowthOfARefusalCounterIsOneLineWithItsCountAndLaterGrowthWaitsForTheSummary() {
        CapturedLines lines = new CapturedLines();
        Logger probes = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(GrapevineLogs.PROBES);
        lines.setContext(probes.getLoggerContext());
        lines.start();
        probes.addAppender(lines);
        try {
            AtomicLong nowMillis = new AtomicLong();
            DroppedInputs dropped = new DroppedInputs("n1", nowMillis::get);
            dropped.report("FAILURE_DETECTOR", Map.of("relays_refused", 0L, "probes", 40L));
            dropped.report("FAILURE_DETECTOR", Map.of("relays_refused", 3L, "probes", 50L));
            nowMillis.set(1000);
            dropped.report("FAILURE_DETECTOR", Map.of("relays_refused", 7L, "probes", 60L));
            assertEquals(List.of("WARN relays_refused: 3 ping-req relays refused "
                            + "(this node relays at most relays-max probes for others at once)"),
                    lines.of("n1", GrapevineLogs.PROBES), "the next 4 wait for the window's summary");
            nowMillis.set(2000);
            // The failure detector restarted: its counters start from zero, and all 2 are new.
            dropped.report("FAILURE_DETECTOR", Map.of("relays_refused", 2L, "probes", 3L));
            nowMillis.set(DroppedInputs.WINDOW_MILLIS);
            dropped.report("FAILURE_DETECTOR", Map.of("relays_refused", 2L, "probes", 5L));
            assertEquals("WARN relays_refused: 6 more ping-req relays refused in the last 60 s "
                            + "(this node relays at most relays-max probes for others at once)",
                    lines.of("n1", GrapevineLogs.PROBES).get(1));
        } finally {
            probes.detachAppender(lines);
        }
    }
}
