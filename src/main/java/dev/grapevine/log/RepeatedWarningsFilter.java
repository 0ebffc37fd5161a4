package dev.grapevine.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * A logback turbo filter that rate-limits repeated WARN and ERROR lines, ours and every library's:
 * Pekko's "Dropping Handshake Request" or its failed associations to a dead peer would otherwise
 * repeat every few hundred milliseconds for as long as the peer is gone. Per kind of line (its
 * logger, level and text with numbers and bracketed parts masked, so one line per peer address or
 * uid is still one kind) the first is written; the rest of a {@code windowSeconds} window are
 * counted, and one line then says how many: "... (37 more like this in the last 60 s)", with the
 * text of the last of them.
 *
 * <p>Lines below WARN pass untouched, as do lines marked {@link GrapevineLogs#UNTHROTTLED} (already
 * one per kind with a count, or each one news: a member failed). Bounded by {@code keysMax} kinds. Summaries are written by a task on
 * logback's scheduler every few seconds, and at the latest with the next warning after a window.
 *
 * <p>In a logback.xml: {@code <turboFilter class="dev.grapevine.log.RepeatedWarningsFilter"/>},
 * optionally with {@code <windowSeconds>} and {@code <keysMax>}.
 */
public final class RepeatedWarningsFilter extends TurboFilter {
    private static final String FQCN = RepeatedWarningsFilter.class.getName();
    private static final Pattern BRACKETED = Pattern.compile("\\[[^\\]]*\\]|\\([^)]*\\)");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    /** Characters of a line's masked text that make its kind: enough to tell kinds apart, bounded. */
    private static final int KEY_CHARS_MAX = 160;

    /** What a summary needs of the last line held. */
    private record Sample(Logger logger, Level level, String message) {
    }

    private int windowSeconds = 60;
    private int keysMax = 256;
    private LongSupplier clockMillis = () -> System.nanoTime() / 1_000_000;
    private RateLimiter<Sample> limiter;
    private volatile long nextSweepMillis;
    private ScheduledFuture<?> sweeper;

    public void setWindowSeconds(int windowSeconds) {
        this.windowSeconds = windowSeconds;
    }

    public void setKeysMax(int keysMax) {
        this.keysMax = keysMax;
    }

    /** For tests: the clock windows are measured with. */
    void setClockMillis(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    @Override
    public void start() {
        if (windowSeconds < 1 || keysMax < 1) {
            addError("RepeatedWarningsFilter needs windowSeconds >= 1 and keysMax >= 1, but got "
                    + windowSeconds + " and " + keysMax);
            return;
        }
        limiter = new RateLimiter<>(windowSeconds * 1000L, keysMax);
        if (getContext() != null) {
            long everySeconds = Math.min(5, windowSeconds);
            sweeper = getContext().getScheduledExecutorService()
                    .scheduleWithFixedDelay(this::flush, everySeconds, everySeconds, TimeUnit.SECONDS);
        }
        super.start();
    }

    @Override
    public void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
            sweeper = null;
        }
        super.stop();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // Called for every log call, enabled or not: the common case returns at once.
        if (level == null || level.levelInt < Level.WARN_INT || format == null || !isStarted()
                || (marker != null && marker.contains(GrapevineLogs.UNTHROTTLED))
                || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        String message = params == null || params.length == 0 ? format : MessageFormatter.arrayFormat(format, params).getMessage();
        long now = clockMillis.getAsLong();
        if (now >= nextSweepMillis) {
            nextSweepMillis = now + 1000;
            write(limiter.due(now));
        }
        boolean show = limiter.admit(kindOf(logger, level, message), 1, new Sample(logger, level, message), now);
        return show ? FilterReply.NEUTRAL : FilterReply.DENY;
    }

    /** Writes a summary line for each kind whose window ended with lines held. */
    public void flush() {
        if (isStarted()) {
            write(limiter.due(clockMillis.getAsLong()));
        }
    }

    private void write(List<RateLimiter.Held<Sample>> due) {
        for (RateLimiter.Held<Sample> h : due) {
            Sample s = h.last();
            String summary = s.message() + " (" + h.count() + " more like this in the last " + windowSeconds + " s)";
            if (RateLimiter.OVERFLOW_KEY.equals(h.key())) {
                summary = h.count() + " more warnings of " + keysMax + "+ kinds were held back in the last "
                        + windowSeconds + " s; the last: " + s.message();
            }
            // Straight to the appenders: through the logger, this filter would hold the summary back too.
            s.logger().callAppenders(new LoggingEvent(FQCN, s.logger(), s.level(), summary, null, null));
        }
    }

    /** The kind of a line: its logger, level and text with numbers and bracketed parts masked. */
    static String kindOf(Logger logger, Level level, String message) {
        String masked = DIGITS.matcher(BRACKETED.matcher(message).replaceAll("[]")).replaceAll("#");
        if (masked.length() > KEY_CHARS_MAX) {
            masked = masked.substring(0, KEY_CHARS_MAX);
        }
        return logger.getName() + ' ' + level + ' ' + masked;
    }
}
