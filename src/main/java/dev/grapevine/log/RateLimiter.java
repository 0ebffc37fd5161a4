package dev.grapevine.log;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * At most one line per key and window, and a count of the rest. The first occurrence of a key opens
 * a window of {@code windowMillis} and is shown; later ones in the window are held and counted (with
 * a weight, for callers that report counts), and once the window has ended {@link #due} hands back
 * what was held, for one summary line. The next occurrence after that opens a new window and is
 * shown at once.
 *
 * <p>Time is an argument, so tests drive it by hand. Bounded: at most {@code keysMax} keys are
 * tracked; past that, occurrences of new keys are held under {@link #OVERFLOW_KEY} and summed, so a
 * flood of distinct messages is bounded too and still counted. Thread-safe: log calls come from any
 * thread.
 *
 * @param <S> a sample of what was held (the last one is kept), for the summary line
 */
public final class RateLimiter<S> {
    /** Where occurrences of new keys are counted while {@code keysMax} keys are tracked. */
    public static final String OVERFLOW_KEY = "(other repeated warnings)";

    /** What a window held back: {@code count} occurrences (summed weights), the last of them {@code last}. */
    public record Held<S>(String key, long count, S last, long windowStartMillis) {
    }

    private static final class Window<S> {
        final long startMillis;
        long held;
        S last;

        Window(long startMillis) {
            this.startMillis = startMillis;
        }
    }

    private final long windowMillis;
    private final int keysMax;
    /** In order of opening, which is the order in which windows end. */
    private final LinkedHashMap<String, Window<S>> windows = new LinkedHashMap<>();

    public RateLimiter(long windowMillis, int keysMax) {
        if (windowMillis <= 0 || keysMax < 1) {
            throw new IllegalArgumentException("a rate limiter needs a window > 0 ms and keysMax >= 1, but got "
                    + windowMillis + " ms and " + keysMax);
        }
        this.windowMillis = windowMillis;
        this.keysMax = keysMax;
    }

    public long windowMillis() {
        return windowMillis;
    }

    /**
     * Whether to show this occurrence of {@code key} now. If not, it is counted ({@code weight}) and
     * {@code sample} kept as the last one, until {@link #due} hands them back.
     */
    public synchronized boolean admit(String key, long weight, S sample, long nowMillis) {
        Window<S> w = windows.get(key);
        if (w != null && w.held == 0 && nowMillis - w.startMillis >= windowMillis) {
            windows.remove(key); // ended with nothing held: a new window starts below
            w = null;
        }
        if (w == null) {
            if (windows.size() >= keysMax) {
                dropQuietEnded(nowMillis);
            }
            if (windows.size() < keysMax) {
                windows.put(key, new Window<>(nowMillis));
                return true;
            }
            w = windows.computeIfAbsent(OVERFLOW_KEY, k -> new Window<>(nowMillis));
        }
        // Held also once the window has ended: the summary, due at the next sweep, counts it.
        w.held += weight;
        w.last = sample;
        return false;
    }

    /** Windows that have ended with occurrences held, removed here: each is one summary line to write. */
    public synchronized List<Held<S>> due(long nowMillis) {
        List<Held<S>> due = new ArrayList<>();
        for (Iterator<Map.Entry<String, Window<S>>> it = windows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Window<S>> e = it.next();
            Window<S> w = e.getValue();
            if (nowMillis - w.startMillis < windowMillis) {
                break; // opened later than this one: not ended either
            }
            if (w.held > 0) {
                due.add(new Held<>(e.getKey(), w.held, w.last, w.startMillis));
            }
            it.remove();
        }
        return due;
    }

    /** Keys tracked now (at most {@code keysMax}, plus the overflow key). */
    public synchronized int size() {
        return windows.size();
    }

    private void dropQuietEnded(long nowMillis) {
        windows.values().removeIf(w -> w.held == 0 && nowMillis - w.startMillis >= windowMillis);
    }
}
