package dev.grapevine.runtime;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.actor.SchedulerTask;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.event.NoLogging$;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadlineSchedulerTest {
    /** What the executor's threads let escape: a failed run is reported there, not swallowed. */
    private final List<Throwable> escaped = new CopyOnWriteArrayList<>();
    private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "executor");
        t.setUncaughtExceptionHandler((thread, e) -> escaped.add(e));
        return t;
    });
    private final ExecutionContext ec = ExecutionContext.fromExecutor(pool);
    private final DeadlineScheduler scheduler =
            new DeadlineScheduler(ConfigFactory.empty(), NoLogging$.MODULE$, Executors.defaultThreadFactory());

    @AfterEach
    void stop() {
        scheduler.close();
        pool.shutdownNow();
    }

    private static FiniteDuration ms(long millis) {
        return FiniteDuration.create(millis, TimeUnit.MILLISECONDS);
    }

    /** Waits for a task due after everything scheduled before it: the timer fires in deadline order. */
    private void awaitPast(long millis) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        scheduler.scheduleOnce(ms(millis), done::countDown, ec);
        assertTrue(done.await(5, TimeUnit.SECONDS));
    }

    @Test
    void runsOnceNoSoonerThanItsDelay() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        long startNanos = System.nanoTime();
        long[] ranAfterNanos = new long[1];
        Cancellable c = scheduler.scheduleOnce(ms(50), () -> {
            ranAfterNanos[0] = System.nanoTime() - startNanos;
            ran.countDown();
        }, ec);

        assertTrue(ran.await(5, TimeUnit.SECONDS));
        assertTrue(ranAfterNanos[0] >= TimeUnit.MILLISECONDS.toNanos(50), "ran after " + ranAfterNanos[0] + " ns");
        assertFalse(c.cancel(), "a task that ran cannot be cancelled");
        assertFalse(c.isCancelled());
    }

    @Test
    void aZeroDelayRunsAtOnce() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        scheduler.scheduleOnce(ms(0), ran::countDown, ec);
        assertTrue(ran.await(5, TimeUnit.SECONDS));
    }

    @Test
    void aCancelledTaskNeverRunsAndIsToldSo() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch told = new CountDownLatch(1);
        Cancellable c = scheduler.scheduleOnce(ms(60_000), new SchedulerTask() {
            @Override
            public void run() {
                runs.incrementAndGet();
            }

            @Override
            public void cancelled() {
                told.countDown();
            }
        }, ec);

        assertTrue(c.cancel());
        assertFalse(c.cancel(), "only the first cancel succeeds");
        assertTrue(c.isCancelled());
        assertTrue(told.await(5, TimeUnit.SECONDS));
        scheduler.close();
        assertEquals(0, runs.get(), "not even when the scheduler closes");
    }

    @Test
    void repeatsAtItsRateUntilCancelled() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch three = new CountDownLatch(3);
        long startNanos = System.nanoTime();
        Cancellable c = scheduler.schedule(ms(10), ms(20), () -> {
            runs.incrementAndGet();
            three.countDown();
        }, ec);

        assertTrue(three.await(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - startNanos >= TimeUnit.MILLISECONDS.toNanos(50), "third run is due at 10 + 2 * 20 ms");
        assertTrue(c.cancel());
        int atCancel = runs.get();
        awaitPast(100);
        assertTrue(runs.get() <= atCancel + 1, "a run in flight at the cancel may still finish");
        int settled = runs.get();
        awaitPast(100);
        assertEquals(settled, runs.get());
    }

    @Test
    void aFixedDelayCountsFromTheEndOfEachRun() throws Exception {
        List<Long> startsNanos = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        Cancellable c = scheduler.scheduleWithFixedDelay(ms(0), ms(20), () -> {
            startsNanos.add(System.nanoTime());
            busyFor(Duration.ofMillis(30));
            three.countDown();
        }, ec);

        assertTrue(three.await(5, TimeUnit.SECONDS));
        c.cancel();
        for (int i = 1; i < 3; i++) {
            long gapNanos = startsNanos.get(i) - startsNanos.get(i - 1);
            assertTrue(gapNanos >= TimeUnit.MILLISECONDS.toNanos(50), "runs of 30 ms, 20 ms apart, started " + gapNanos + " ns apart");
        }
    }

    @Test
    void aRunThatThrowsEndsTheRepetition() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        scheduler.schedule(ms(1), ms(10), () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("boom");
        }, ec);

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !escaped.isEmpty());
        assertEquals("boom", escaped.get(0).getMessage());
        awaitPast(100);
        assertEquals(1, runs.get());
    }

    private static void busyFor(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void aRepeatedTaskNeedsAPositiveInterval() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> scheduler.schedule(ms(10), ms(0), () -> { }, ec));
        assertTrue(e.getMessage().contains("positive interval"), e.getMessage());
    }

    @Test
    void closeRunsThePendingTasksThatMustRunAndRefusesNewOnes() {
        AtomicInteger onClose = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        scheduler.scheduleOnce(ms(60_000), (Scheduler.TaskRunOnClose) onClose::incrementAndGet, ec);
        scheduler.scheduleOnce(ms(60_000), other::incrementAndGet, ec);
        Cancellable cancelled = scheduler.scheduleOnce(ms(60_000), (Scheduler.TaskRunOnClose) onClose::incrementAndGet, ec);
        cancelled.cancel();

        scheduler.close();

        assertEquals(1, onClose.get(), "the one pending TaskRunOnClose ran; the cancelled one did not");
        assertEquals(0, other.get());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> scheduler.scheduleOnce(ms(10), () -> { }, ec));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> scheduler.scheduleOnce(ms(0), other::incrementAndGet, ec));
        assertEquals(0, other.get(), "not even a task due at once runs after close");
    }

    @Test
    void anActorSystemRunsItsTimersOnIt() {
        ActorTestKit kit = ActorTestKit.create(ConfigFactory.parseString(
                "pekko.scheduler.implementation = " + DeadlineScheduler.class.getName()));
        try {
            assertInstanceOf(DeadlineScheduler.class, kit.system().classicSystem().scheduler());
            TestProbe<String> probe = kit.createTestProbe();
            kit.spawn(Behaviors.<String>withTimers(timers -> {
                timers.startTimerAtFixedRate("tick", "tick", Duration.ofMillis(20));
                return Behaviors.receiveMessage(m -> {
                    probe.ref().tell(m);
                    return Behaviors.same();
                });
            }));
            probe.expectMessage("tick");
            probe.expectMessage("tick");
            probe.expectMessage("tick");
        } finally {
            kit.shutdownTestKit();
        }
    }
}
