package io.github.kafkaconnectastro.util;

import io.github.kafkaconnectastro.integration.LogCapture;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContextThreadTest {

    private static final String CONTEXT_KEY = "connector.context";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    /** Threads that ignore interrupts, let go at the end of each test. */
    private final AtomicBoolean release = new AtomicBoolean();

    @AfterEach
    void releaseStubbornThreads() {
        release.set(true);
        MDC.clear();
    }

    @Test
    void runsItsWorkOnceOnANamedDaemonThreadInTheLogContextItWasBuiltIn() throws InterruptedException {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicReference<String> context = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        MDC.put(CONTEXT_KEY, "[astro|task-3] ");
        ContextThread thread = new ContextThread(() -> {
            ranOn.set(Thread.currentThread());
            context.set(MDC.get(CONTEXT_KEY));
            ran.countDown();
        }, STOP_TIMEOUT);
        MDC.remove(CONTEXT_KEY);

        thread.start("astro-test-3");

        assertTrue(ran.await(10, TimeUnit.SECONDS), "the work did not run");
        assertEquals("astro-test-3", ranOn.get().getName());
        assertTrue(ranOn.get().isDaemon());
        assertEquals("[astro|task-3] ", context.get());
        thread.close();
    }

    @Test
    void startsOnlyOnce() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        ContextThread thread = new ContextThread(runs::incrementAndGet, STOP_TIMEOUT);
        thread.start("astro-test-once");

        assertThrows(IllegalStateException.class, () -> thread.start("astro-test-twice"));
        thread.close();
        assertEquals(1, runs.get());
    }

    @Test
    void closeInterruptsTheThreadAndWaitsForItsEnd() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean ended = new AtomicBoolean();
        ContextThread thread = new ContextThread(() -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
                sleepUninterruptibly(200);
            }
            ended.set(true);
        }, STOP_TIMEOUT);
        thread.start("astro-test-interrupt");
        assertTrue(started.await(10, TimeUnit.SECONDS), "the work did not start");

        thread.close();

        assertTrue(interrupted.get(), "close did not interrupt the thread");
        assertTrue(ended.get(), "close returned before the thread ended");
    }

    @Test
    void closeGivesUpAfterItsBoundAndSaysSo() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        ContextThread thread = new ContextThread(() -> {
            started.countDown();
            while (!release.get()) {
                sleepUninterruptibly(10);
            }
        }, Duration.ofMillis(300));
        thread.start("astro-test-stubborn");
        assertTrue(started.await(10, TimeUnit.SECONDS), "the work did not start");

        List<String> warnings;
        long began = System.nanoTime();
        try (LogCapture capture = LogCapture.of(Map.of(ContextThread.class.getName(), Level.WARN))) {
            thread.close();
            warnings = capture.lines().stream().map(LogCapture.Line::text).toList();
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

        assertTrue(tookMs >= 300 && tookMs < 5_000, "close took " + tookMs + " ms");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("astro-test-stubborn") && warnings.get(0).contains("300 ms"),
                warnings.get(0));
    }

    @Test
    void aZeroBoundInterruptsWithoutWaiting() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        ContextThread thread = new ContextThread(() -> {
            started.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait();
            }
            interrupted.countDown();
            while (!release.get()) {
                sleepUninterruptibly(10);
            }
        }, Duration.ZERO);
        thread.start("astro-test-abandoned");
        assertTrue(started.await(10, TimeUnit.SECONDS), "the work did not start");

        long began = System.nanoTime();
        thread.close();

        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) < 1_000, "close waited");
        assertTrue(interrupted.await(10, TimeUnit.SECONDS), "close did not interrupt the thread");
    }

    @Test
    void closeBeforeStartDoesNothing() {
        AtomicBoolean ran = new AtomicBoolean();
        ContextThread thread = new ContextThread(() -> ran.set(true), STOP_TIMEOUT);

        thread.close();

        assertFalse(ran.get());
    }

    private static void sleepUninterruptibly(long ms) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            } catch (InterruptedException e) {
                // Deliberately deaf: this stands for work that does not stop when asked.
            }
        }
    }
}
