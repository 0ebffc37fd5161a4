package dev.grapevine.log;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import java.util.List;
import org.slf4j.LoggerFactory;

/** A list appender that keeps each event's MDC (the node's name) as it was when the line was written. */
public final class CapturedLines extends ListAppender<ILoggingEvent> {
    private Logger attachedTo;

    /** A started appender that captures what {@code loggerName} and the loggers below it write, until {@link #detach}. */
    public static CapturedLines attachedTo(String loggerName) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        CapturedLines lines = new CapturedLines();
        lines.setContext(context);
        lines.start();
        lines.attachedTo = context.getLogger(loggerName);
        lines.attachedTo.addAppender(lines);
        return lines;
    }

    /** Stops capturing (after {@link #attachedTo}). */
    public void detach() {
        if (attachedTo != null) {
            attachedTo.detachAppender(this);
        }
    }

    @Override
    protected void append(ILoggingEvent e) {
        e.prepareForDeferredProcessing(); // the MDC is a thread's, and changes once the line is written
        synchronized (list) {
            super.append(e);
        }
    }

    /** The lines {@code node} wrote to {@code logger} so far, as "LEVEL message". */
    public List<String> of(String node, String logger) {
        synchronized (list) {
            return list.stream()
                    .filter(e -> e.getLoggerName().equals(logger) && node.equals(e.getMDCPropertyMap().get(GrapevineLogs.NODE_MDC)))
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage())
                    .toList();
        }
    }
}
