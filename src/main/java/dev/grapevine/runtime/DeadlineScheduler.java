package dev.grapevine.runtime;

import com.typesafe.config.Config;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.actor.SchedulerTask;
import org.apache.pekko.event.LoggingAdapter;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

import java.io.Closeable;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Pekko {@link Scheduler} whose thread sleeps until the next deadline, instead of waking on every
 * tick of a wheel as Pekko's default does (every 10 ms, whether or not anything is due). A node's
 * timers are few and far apart (a probe a second, a gossip round while there is news), so the wheel's
 * hundred wake-ups a second were a large part of an idle node's CPU, and it rounded every delay up
 * to the next tick. Here a task fires within the OS's sleep accuracy and is handed to its executor,
 * as with Pekko's.
 *
 * <p>A node's defaults select it ({@code pekko.scheduler.implementation} in {@link GrapevineNode#PEKKO_TUNING}).
 * It keeps the contract of {@link Scheduler}: scheduling on a closed scheduler throws
 * {@link IllegalStateException}; {@link #close()} runs the pending tasks that are
 * {@link Scheduler.TaskRunOnClose}; a {@link SchedulerTask} that is cancelled is told so.
 */
public final class DeadlineScheduler implements Scheduler, Closeable {
    private static final int SCHEDULED = 0;
    private static final int FIRED = 1;
    private static final int CANCELLED = 2;

    private final ScheduledThreadPoolExecutor timer;
    private final LoggingAdapter log;
    /** Pending tasks that must run when the scheduler closes (Pekko's dispatcher shutdowns). */
    private final Set<Once> runOnClose = ConcurrentHashMap.newKeySet();

    /** The constructor Pekko calls reflectively when the actor system starts. */
    public DeadlineScheduler(Config config, LoggingAdapter log, ThreadFactory threadFactory) {
        this.log = log;
        this.timer = new ScheduledThreadPoolExecutor(1, threadFactory);
        timer.setRemoveOnCancelPolicy(true); // most timers are cancelled; none may linger until its deadline
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close() runs what must run
    }

    @Override
    public Cancellable scheduleOnce(FiniteDuration delay, Runnable runnable, ExecutionContext executor) {
        Once task = new Once(runnable, executor);
        long delayNanos = delay.toNanos();
        if (delayNanos <= 0) {
            if (timer.isShutdown()) {
                throw closed(runnable, null);
            }
            task.fire();
            return task;
        }
        if (runnable instanceof Scheduler.TaskRunOnClose) {
            runOnClose.add(task);
        }
        try {
            task.future = submit(task::fire, delayNanos, runnable);
        } catch (IllegalStateException closed) {
            runOnClose.remove(task);
            if (task.state.compareAndSet(SCHEDULED, CANCELLED)) {
                throw closed;
            }
            return task; // close() ran it meanwhile, as a TaskRunOnClose
        }
        if (task.isCancelled()) {
            task.future.cancel(false); // cancel() came before the future was known
        }
        return task;
    }

    /** Fixed rate: each run is due one interval after the previous one was due, however long it took. */
    @Override
    public Cancellable schedule(FiniteDuration initialDelay, FiniteDuration interval, Runnable runnable,
                                ExecutionContext executor) {
        return repeat(initialDelay, interval, true, runnable, executor);
    }

    /** Fixed delay: each run is due one delay after the previous one ended. */
    @Override
    public Cancellable scheduleWithFixedDelay(FiniteDuration initialDelay, FiniteDuration delay, Runnable runnable,
                                              ExecutionContext executor) {
        return repeat(initialDelay, delay, false, runnable, executor);
    }

    private Cancellable repeat(FiniteDuration initialDelay, FiniteDuration interval, boolean fixedRate,
                               Runnable runnable, ExecutionContext executor) {
        long intervalNanos = interval.toNanos();
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("a repeated task needs a positive interval, not " + interval);
        }
        Repeating task = new Repeating(runnable, executor, intervalNanos, fixedRate);
        task.armAt(saturatedAdd(System.nanoTime(), Math.max(0, initialDelay.toNanos())));
        return task;
    }

    /** What Pekko reads as the shortest useful period: a millisecond, well above the sleep's accuracy. */
    @Override
    public double maxFrequency() {
        return 1000.0;
    }

    /**
     * Stops the timer thread, then runs the pending tasks that are {@link Scheduler.TaskRunOnClose}.
     * The thread is not interrupted: it may be handing a task to a dispatcher that is shutting down.
     */
    @Override
    public void close() {
        timer.shutdown(); // drops the delayed tasks (setExecuteExistingDelayedTasksAfterShutdownPolicy)
        for (Once task : runOnClose) {
            if (task.state.compareAndSet(SCHEDULED, FIRED)) {
                try {
                    task.runnable.run();
                } catch (RuntimeException e) {
                    log.error(e, "a timer task failed while the scheduler closed");
                }
            }
        }
        runOnClose.clear();
    }

    private ScheduledFuture<?> submit(Runnable action, long delayNanos, Runnable task) {
        try {
            return timer.schedule(action, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            throw closed(task, e);
        }
    }

    private static IllegalStateException closed(Runnable task, Throwable cause) {
        return new IllegalStateException("the scheduler is closed; cannot schedule " + task, cause);
    }

    /** A deadline far in the future stays far in the future, rather than wrapping into the past. */
    private static long saturatedAdd(long nanos, long moreNanos) {
        long sum = nanos + moreNanos;
        return ((nanos ^ sum) & (moreNanos ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** Nanoseconds from now until {@code dueNanos}, at least 1, and without wrapping. */
    private static long untilNanos(long dueNanos) {
        long now = System.nanoTime();
        long delay = dueNanos - now;
        if (((dueNanos ^ now) & (dueNanos ^ delay)) < 0) {
            delay = Long.MAX_VALUE;
        }
        return Math.max(1, delay);
    }

    /**
     * Pekko's repeated sends to an actor end by throwing its SchedulerException once the actor is gone
     * (classic timers and FSMs rely on it); its own scheduler ends the repetition without a word.
     */
    private static boolean isTargetGone(RuntimeException e) {
        return e.getClass().getName().equals("org.apache.pekko.actor.SchedulerException");
    }

    /**
     * Gives a due task to its executor. The timer thread's executor would keep a failure to itself, in
     * a future no one reads, so it is logged here (an executor that refuses work is shutting down).
     */
    private void handOver(ExecutionContext executor, Runnable task) {
        try {
            executor.execute(task);
        } catch (RuntimeException e) {
            log.error(e, "could not hand a due timer task to its executor");
        }
    }

    /** Withdraws a task's pending run, and tells a {@link SchedulerTask} it was cancelled. */
    private void withdraw(ScheduledFuture<?> pending, Runnable runnable, ExecutionContext executor) {
        if (pending != null) {
            pending.cancel(false);
        }
        if (runnable instanceof SchedulerTask task) {
            handOver(executor, task::cancelled);
        }
    }

    /** A task run once: handed to its executor at its deadline, unless cancelled first. */
    private final class Once implements Cancellable {
        final Runnable runnable;
        final ExecutionContext executor;
        final AtomicInteger state = new AtomicInteger(SCHEDULED);
        volatile ScheduledFuture<?> future;

        Once(Runnable runnable, ExecutionContext executor) {
            this.runnable = runnable;
            this.executor = executor;
        }

        void fire() {
            if (state.compareAndSet(SCHEDULED, FIRED)) {
                runOnClose.remove(this);
                handOver(executor, runnable);
            }
        }

        @Override
        public boolean cancel() {
            if (!state.compareAndSet(SCHEDULED, CANCELLED)) {
                return false;
            }
            runOnClose.remove(this);
            withdraw(future, runnable, executor);
            return true;
        }

        @Override
        public boolean isCancelled() {
            return state.get() == CANCELLED;
        }
    }

    /**
     * A task run again and again on its executor, at a fixed rate or with a fixed delay. The next run
     * is armed after this one returns, so runs never overlap; a run that throws ends the repetition
     * (the executor reports the exception, unless it says the target actor is gone).
     */
    private final class Repeating implements Cancellable, Runnable {
        private final Runnable runnable;
        private final ExecutionContext executor;
        private final long intervalNanos;
        private final boolean fixedRate;
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private volatile ScheduledFuture<?> next;
        private long dueNanos;

        Repeating(Runnable runnable, ExecutionContext executor, long intervalNanos, boolean fixedRate) {
            this.runnable = runnable;
            this.executor = executor;
            this.intervalNanos = intervalNanos;
            this.fixedRate = fixedRate;
        }

        void armAt(long dueNanos) {
            this.dueNanos = dueNanos;
            next = submit(() -> handOver(executor, this), untilNanos(dueNanos), runnable);
            if (cancelled.get()) {
                next.cancel(false); // cancel() ran between the check in run() and this arming
            }
        }

        @Override
        public void run() {
            if (cancelled.get()) {
                return;
            }
            try {
                runnable.run();
            } catch (RuntimeException e) {
                cancelled.set(true);
                if (isTargetGone(e)) {
                    return;
                }
                throw e;
            }
            if (!cancelled.get()) {
                try {
                    armAt(saturatedAdd(fixedRate ? dueNanos : System.nanoTime(), intervalNanos));
                } catch (IllegalStateException closed) {
                    cancelled.set(true); // the actor system is shutting down: nothing more runs
                }
            }
        }

        @Override
        public boolean cancel() {
            if (!cancelled.compareAndSet(false, true)) {
                return false;
            }
            withdraw(next, runnable, executor);
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }
    }
}
