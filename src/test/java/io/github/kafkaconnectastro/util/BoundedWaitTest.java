package io.github.kafkaconnectastro.util;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedWaitTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void endsOnceTheConditionHolds() {
        AtomicInteger looks = new AtomicInteger();
        assertTrue(BoundedWait.until(() -> looks.incrementAndGet() >= 3, 10_000 * MS, MS));
        assertTrue(looks.get() == 3, "looked " + looks.get() + " times");
    }

    @Test
    void givesUpAfterItsTime() {
        long start = System.nanoTime();
        assertFalse(BoundedWait.until(() -> false, 50 * MS, MS));
        assertTrue(System.nanoTime() - start >= 50 * MS);
    }

    @Test
    void anInterruptNeitherEndsTheWaitNorIsLost() {
        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        AtomicInteger looks = new AtomicInteger();
        assertFalse(BoundedWait.until(() -> {
            looks.incrementAndGet();
            return false;
        }, 50 * MS, 5 * MS));
        assertTrue(System.nanoTime() - start >= 50 * MS, "the wait ended early");
        assertTrue(looks.get() <= 12, "it spun instead of waiting: " + looks.get() + " looks");
        assertTrue(Thread.interrupted(), "the interrupt was lost");
    }
}
