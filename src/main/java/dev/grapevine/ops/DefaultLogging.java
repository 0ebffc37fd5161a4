package dev.grapevine.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging of a node started from the command line when nobody configured it: INFO and above to
 * stderr, Pekko's own chatter at WARN. Set up in code because logback's XML configuration loads
 * about 500 classes (its model, actions and the JDK's XML parser), some 3 MB of a node's memory.
 * An operator's {@code -Dlogback.configurationFile} (bin/grapevine passes conf/logback.xml when
 * there is one) or a logback.xml on the class path is used instead, untouched.
 */
final class DefaultLogging {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n";
    private static boolean applied;

    private DefaultLogging() {
    }

    /** Initialises logging, then replaces logback's own default (everything at DEBUG to stdout) with ours. */
    static synchronized void init() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (applied || !(factory instanceof LoggerContext context) || configuredElsewhere()) {
            return;
        }
        applied = true;
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        context.getLogger("org.apache.pekko").setLevel(Level.WARN);
        // Artery logs every dropped connection to a stopped peer at WARN; failure detection is ours.
        context.getLogger("org.apache.pekko.stream.Materializer").setLevel(Level.ERROR);
        // Pekko warns at every start that its Cluster is not in use; Grapevine is the membership here.
        context.getLogger("org.apache.pekko.remote.RemoteActorRefProvider").setLevel(Level.ERROR);
    }

    private static boolean configuredElsewhere() {
        ClassLoader loader = DefaultLogging.class.getClassLoader();
        return System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null;
    }
}
