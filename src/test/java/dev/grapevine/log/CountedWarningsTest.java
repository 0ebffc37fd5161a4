package dev.grapevine.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Refusals become one WARN line per kind with a count, then one summary per window. */
class CountedWarningsTest {

    @Test
    void oneLinePerKindWithItsCountThenASummaryOfTheWindow() {
        CapturedLines events = new CapturedLines();
        Logger log = capturedAtInfo(GrapevineLogs.PROBES, events);
        AtomicLong now = new AtomicLong();
        CountedWarnings warnings = new CountedWarnings(log, "node1", 60_000, now::get);

        warnings.count("relays_refused", 3, "ping-req relays refused", "too many at once", null);
        warnings.count("relays_refused", 0, "ping-req relays refused", "too many at once", null);
        now.set(1000);
        warnings.count("relays_refused", 5, "ping-req relays refused", "too many at once", "from 127.0.0.1:7003");
        warnings.count("stale_acks", 2, "late acks", null, null);
        now.set(30_000);
        warnings.count("relays_refused", 4, "ping-req relays refused", "too many at once", "from 127.0.0.1:7004");
        warnings.flush();
        now.set(60_000);
        warnings.flush();

        assertEquals(List.of(
                "relays_refused: 3 ping-req relays refused (too many at once)",
                "stale_acks: 2 late acks",
                "relays_refused: 9 more ping-req relays refused in the last 60 s (too many at once; last: from 127.0.0.1:7004)"),
                events.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        events.list.forEach(e -> {
            assertEquals(Level.WARN, e.getLevel());
            assertEquals("node1", e.getMDCPropertyMap().get(GrapevineLogs.NODE_MDC));
        });
    }

    @Test
    void aRoutineKindIsCountedTheSameButWrittenAtInfo() {
        CapturedLines events = new CapturedLines();
        Logger log = capturedAtInfo(GrapevineLogs.MEMBERSHIP, events);
        AtomicLong now = new AtomicLong();
        CountedWarnings warnings = new CountedWarnings(log, "node1", 60_000, now::get).routine("rumors_from_strangers");

        warnings.count("rumors_from_strangers", 1, "claims from non-members dropped", null, null);
        warnings.count("claims_refused", 1, "implausible claims refused", null, null);

        assertEquals(List.of(Level.INFO, Level.WARN), events.list.stream().map(ILoggingEvent::getLevel).toList());
        assertEquals("rumors_from_strangers: 1 claims from non-members dropped", events.list.get(0).getFormattedMessage());
    }

    /** A logger of its own context at INFO, whose lines go to {@code events}. */
    private static Logger capturedAtInfo(String name, CapturedLines events) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
        events.setContext(context);
        events.start();
        Logger log = context.getLogger(name);
        log.setLevel(Level.INFO);
        log.addAppender(events);
        return log;
    }
}
