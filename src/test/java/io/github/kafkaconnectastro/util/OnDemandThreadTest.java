package io.github.kafkaconnectastro.util;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnDemandThreadTest {

    private static final String CONTEXT_KEY = "connector.context";

    @AfterEach
    void clearContext() {
        MDC.clear();
    }

    private static void awaitIdle(OnDemandThread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.running()) {
            assertTrue(System.nanoTime() < deadline, "the thread did not end after its work");
            Thread.sleep(5);
        }
    }

    @Test
    void runsEachWakeOnANamedDaemonThreadInTheBuildersContextThatEndsWithTheWork() throws InterruptedException {
        MDC.put(CONTEXT_KEY, "[astro|task-0] ");
        List<String> seen = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        OnDemandThread thread = new OnDemandThread(() -> {
            threads.add(Thread.currentThread());
            seen.add(Thread.currentThread().getName() + " " + MDC.get(CONTEXT_KEY));
        }, Duration.ofSeconds(5));
        MDC.clear();
        thread.wake();
        assertFalse(thread.running(), "a wake before start must wait for it");
        thread.start("astro-test");
        awaitIdle(thread);
        thread.wake();
        awaitIdle(thread);
        assertEquals(List.of("astro-test [astro|task-0] ", "astro-test [astro|task-0] "), seen);
        assertTrue(threads.get(0).isDaemon());
        threads.get(0).join(5_000);
        assertFalse(threads.get(0).isAlive(), "no thread is kept between wakes");
        thread.close();
    }

    @Test
    void aWakeDuringTheWorkRunsItOnceMore() throws InterruptedException {
        CountDownLatch inFirstRun = new CountDownLatch(1);
        CountDownLatch letFirstEnd = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        OnDemandThread thread = new OnDemandThread(() -> {
            if (runs.incrementAndGet() == 1) {
                inFirstRun.countDown();
                try {
                    letFirstEnd.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, Duration.ofSeconds(5));
        thread.start("astro-test-again");
        thread.wake();
        assertTrue(inFirstRun.await(5, TimeUnit.SECONDS));
        thread.wake();
        thread.wake();
        letFirstEnd.countDown();
        awaitIdle(thread);
        assertEquals(2, runs.get(), "wakes during a run make one more run, not zero and not one each");
        thread.close();
    }

    @Test
    void closeInterruptsTheWorkWaitsForItAndStartsNoneAfter() throws InterruptedException {
        CountDownLatch working = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        OnDemandThread thread = new OnDemandThread(() -> {
            runs.incrementAndGet();
            working.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, Duration.ofSeconds(5));
        thread.start("astro-test-close");
        thread.wake();
        assertTrue(working.await(5, TimeUnit.SECONDS));
        long started = System.nanoTime();
        thread.close();
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(4), "close must not wait for the sleep");
        assertFalse(thread.running());
        thread.wake();
        assertFalse(thread.running(), "no work after close");
        assertEquals(1, runs.get());
    }
}
