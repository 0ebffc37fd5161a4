package dev.grapevine.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Drops the ERROR, with its stack trace, that Pekko's TCP listener logs when Artery cannot bind its
 * port: the agent reports that failure itself, in one line that names the flag. Only that message of
 * that logger is dropped, so the filter can stay for the life of the process (the listener logs it
 * asynchronously, possibly after the agent has already reported the failure).
 */
final class BindFailureLogFilter extends TurboFilter {
    static final String LOGGER = "org.apache.pekko.io.TcpListener";
    private static final String NAME = "grapevine-bind-failure";

    private BindFailureLogFilter() {
    }

    /** Adds the filter to logback, once; does nothing under another SLF4J binding. */
    static synchronized void install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        if (context.getTurboFilterList().stream().anyMatch(f -> NAME.equals(f.getName()))) {
            return;
        }
        BindFailureLogFilter filter = new BindFailureLogFilter();
        filter.setName(NAME);
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        return level == Level.ERROR && format != null && format.startsWith("Bind failed") && LOGGER.equals(logger.getName())
                ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
