package dev.grapevine.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The turbo filter in a logger context of its own, with a clock moved by hand. */
class RepeatedWarningsFilterTest {
    private final AtomicLong nowMillis = new AtomicLong(1_000_000);
    private LoggerContext context;
    private ListAppender<ILoggingEvent> events;
    private RepeatedWarningsFilter filter;

    @BeforeEach
    void setUp() {
        context = new LoggerContext();
        context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
        filter = new RepeatedWarningsFilter();
        filter.setContext(context);
        filter.setClockMillis(nowMillis::get);
        filter.start();
        context.addTurboFilter(filter);
        events = new ListAppender<>();
        events.setContext(context);
        events.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(events);
    }

    @AfterEach
    void tearDown() {
        context.stop();
    }

    private List<String> lines() {
        return events.list.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()).toList();
    }

    @Test
    void pekkosRepeatedHandshakeDropIsWrittenOnceThenCountedPerWindow() {
        Logger artery = context.getLogger("org.apache.pekko.remote.artery.Association");
        for (int i = 0; i < 38; i++) {
            // As Pekko's SLF4J logger writes it: the message formatted already, as the one argument.
            artery.warn("{}", "Dropping Handshake Request from [Association(pekko://grapevine@127.0.0.1:" + (7000 + i % 3)
                    + ")] addressed to unknown local address [pekko://grapevine@127.0.0.1:7001]");
            nowMillis.addAndGet(1000);
        }
        assertEquals(1, events.list.size(), lines().toString());
        nowMillis.set(1_000_000 + 60_000);
        filter.flush();
        assertEquals(2, events.list.size(), lines().toString());
        ILoggingEvent summary = events.list.get(1);
        assertEquals(Level.WARN, summary.getLevel());
        assertEquals("org.apache.pekko.remote.artery.Association", summary.getLoggerName());
        assertTrue(summary.getFormattedMessage().startsWith("Dropping Handshake Request from [Association(pekko://grapevine@127.0.0.1:"),
                summary.getFormattedMessage());
        assertTrue(summary.getFormattedMessage().endsWith(" (37 more like this in the last 60 s)"), summary.getFormattedMessage());
        artery.warn("{}", "Dropping Handshake Request from [Association(x)] addressed to unknown local address [y]");
        assertEquals(3, events.list.size(), "after the summary, the next one is written at once");
    }

    @Test
    void differentWarningsAndLinesBelowWarnPassUntouched() {
        Logger membership = context.getLogger(GrapevineLogs.MEMBERSHIP);
        for (int i = 0; i < 5; i++) {
            membership.info("node{} joined", i);
        }
        membership.warn("node3 failed: 127.0.0.1:7003");
        membership.warn("disk full");
        assertEquals(7, events.list.size(), lines().toString());
    }

    @Test
    void linesCountedAtTheirSourceAreNotLimitedTwice() {
        Logger probes = context.getLogger(GrapevineLogs.PROBES);
        for (int i = 0; i < 3; i++) {
            probes.warn(GrapevineLogs.UNTHROTTLED, "{}: {}", "relays_refused", i + " ping-req relays refused");
        }
        assertEquals(3, events.list.size(), lines().toString());
    }

    @Test
    void membersFailingInTheSameMinuteAreEachWritten() {
        Logger membership = context.getLogger(GrapevineLogs.MEMBERSHIP);
        membership.warn(GrapevineLogs.UNTHROTTLED, "node3 failed, declared by node1: 127.0.0.1:7003, epoch 5, incarnation 0");
        membership.warn(GrapevineLogs.UNTHROTTLED, "node4 failed, declared by node1: 127.0.0.1:7004, epoch 6, incarnation 0");
        assertEquals(2, events.list.size(), lines().toString());
    }

    @Test
    void aWarningOfALoggerSetAboveWarnIsNotCounted() {
        context.getLogger("org.apache.pekko.stream.Materializer").setLevel(Level.ERROR);
        Logger materializer = context.getLogger("org.apache.pekko.stream.Materializer");
        for (int i = 0; i < 3; i++) {
            materializer.warn("connection to a stopped peer dropped");
        }
        nowMillis.addAndGet(60_000);
        filter.flush();
        assertEquals(List.of(), lines(), "nothing was written, so nothing was held back");
    }

    @Test
    void theExampleConfigurationInstallsIt() throws Exception {
        LoggerContext fromFile = new LoggerContext();
        fromFile.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
        ch.qos.logback.classic.joran.JoranConfigurator configurator = new ch.qos.logback.classic.joran.JoranConfigurator();
        configurator.setContext(fromFile);
        configurator.doConfigure(java.nio.file.Path.of("conf/logback.xml.example").toFile());
        try {
            assertTrue(fromFile.getTurboFilterList().stream().anyMatch(f -> f instanceof RepeatedWarningsFilter && f.isStarted()),
                    fromFile.getTurboFilterList().toString());
            assertEquals(Level.INFO, fromFile.getLogger("dev.grapevine").getLevel());
            assertEquals(List.of(), ch.qos.logback.core.status.StatusUtil.filterStatusListByTimeThreshold(
                    fromFile.getStatusManager().getCopyOfStatusList(), 0).stream()
                    .filter(st -> st.getLevel() >= ch.qos.logback.core.status.Status.WARN).map(Object::toString).toList());
        } finally {
            fromFile.stop();
        }
    }
}
