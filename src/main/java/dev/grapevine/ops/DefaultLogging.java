package dev.grapevine.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.grapevine.log.RepeatedWarningsFilter;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;

/**
 * Logging of a node started from the command line when nobody configured it: INFO and above to
 * stderr, Pekko's own chatter at WARN, repeated warnings rate-limited ({@link RepeatedWarningsFilter}).
 * Set up in code because logback's XML configuration loads about 500 classes (its model, actions and
 * the JDK's XML parser), some 3 MB of a node's memory.
 *
 * <p>An operator's {@code -Dlogback.configurationFile} (bin/grapevine passes conf/logback.xml when
 * there is one) or a logback.xml on the class path is used instead. Then {@code --log-level} still
 * sets the levels below (over the file's), and {@code --log-format} is refused: the file chooses
 * its encoders.
 */
final class DefaultLogging {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{32} - %msg%n";
    static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
    static final List<String> FORMATS = List.of("text", "json");
    private static boolean applied;

    private DefaultLogging() {
    }

    /** What {@code --log-level} and {@code --log-format} asked for; null where a flag is absent. */
    record Options(Level level, String format) {
        static final Options DEFAULT = new Options(null, null);

        /** Parses the flags' values; a bad one is an {@link IllegalArgumentException} naming the flag and what it accepts. */
        static Options parse(String level, String format) {
            Level parsedLevel = null;
            if (level != null) {
                String upper = level.toUpperCase(Locale.ROOT);
                if (!LEVELS.contains(upper)) {
                    throw new IllegalArgumentException("--log-level must be one of " + String.join(", ", LEVELS)
                            + ", but was '" + level + "'");
                }
                parsedLevel = Level.toLevel(upper);
            }
            String parsedFormat = null;
            if (format != null) {
                parsedFormat = format.toLowerCase(Locale.ROOT);
                if (!FORMATS.contains(parsedFormat)) {
                    throw new IllegalArgumentException("--log-format must be text or json, but was '" + format + "'");
                }
            }
            return new Options(parsedLevel, parsedFormat);
        }

        /** Level of dev.grapevine and the root. */
        Level levelOrDefault() {
            return level == null ? Level.INFO : level;
        }

        /**
         * Pekko's own level: WARN (its INFO is start-up chatter) unless the operator asks for less
         * (ERROR) or for debugging: DEBUG shows Pekko's INFO, TRACE its DEBUG (a flood: Artery logs
         * every frame of its handshakes).
         */
        Level pekkoLevel() {
            Level l = levelOrDefault();
            if (l == Level.TRACE) {
                return Level.DEBUG;
            }
            return l == Level.DEBUG ? Level.INFO : l.isGreaterOrEqual(Level.WARN) ? l : Level.WARN;
        }
    }

    static synchronized void init() {
        init(Options.DEFAULT);
    }

    /** Initialises logging, then replaces logback's own default (everything at DEBUG to stdout) with ours. */
    static synchronized void init(Options options) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        if (configuredElsewhere()) {
            if (options.format() != null) {
                throw new IllegalArgumentException("--log-format cannot apply: logging is configured by "
                        + configurationSource() + "; choose the encoder there (conf/logback.xml.example shows the JSON one)");
            }
            if (options.level() != null) {
                setLevels(context, options);
            }
            return;
        }
        if (applied) {
            return; // several nodes in one JVM (the demo, the benchmark) share the first one's set-up
        }
        applied = true;
        context.reset();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder(context, options.format()));
        stderr.start();
        RepeatedWarningsFilter repeated = new RepeatedWarningsFilter();
        repeated.setContext(context);
        repeated.setName("repeated-warnings");
        repeated.start();
        context.addTurboFilter(repeated);
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(stderr);
        setLevels(context, options);
    }

    private static void setLevels(LoggerContext context, Options options) {
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(options.levelOrDefault());
        context.getLogger("dev.grapevine").setLevel(options.levelOrDefault());
        context.getLogger("org.apache.pekko").setLevel(options.pekkoLevel());
        Level quiet = options.levelOrDefault() == Level.TRACE ? Level.DEBUG : Level.ERROR;
        // Artery logs every dropped connection to a stopped peer at WARN; failure detection is ours.
        context.getLogger("org.apache.pekko.stream.Materializer").setLevel(quiet);
        // Pekko warns at every start that its Cluster is not in use; Grapevine is the membership here.
        context.getLogger("org.apache.pekko.remote.RemoteActorRefProvider").setLevel(quiet);
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
        if ("json".equals(format)) {
            // One object per line: time, level, thread, logger, the node (MDC), the formatted message.
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(PATTERN);
        text.start();
        return text;
    }

    static boolean configuredElsewhere() {
        return configurationSource() != null;
    }

    private static String configurationSource() {
        ClassLoader loader = DefaultLogging.class.getClassLoader();
        String file = System.getProperty("logback.configurationFile");
        if (file != null) {
            return file;
        }
        for (String resource : List.of("logback-test.xml", "logback.xml")) {
            if (loader.getResource(resource) != null) {
                return resource + " on the class path";
            }
        }
        return null;
    }
}
