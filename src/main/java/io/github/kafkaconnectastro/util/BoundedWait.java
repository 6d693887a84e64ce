package io.github.kafkaconnectastro.util;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition, looking every few milliseconds, for at most a given time, and does not give up early when
 * the thread is interrupted: a task's stop interrupts its threads, and a short wait that lets the stop end cleanly
 * (a close handshake, a socket read to its end) must run its course. The interrupt is kept for the caller.
 */
public final class BoundedWait {

    private BoundedWait() {
    }

    /** True once {@code done} holds; false when {@code maxNanos} passed first. */
    public static boolean until(BooleanSupplier done, long maxNanos, long lookEveryNanos) {
        long deadline = System.nanoTime() + maxNanos;
        // A pending interrupt would make every park return at once: it is cleared, and set again at the end.
        boolean interrupted = Thread.interrupted();
        try {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(Math.min(left, lookEveryNanos));
                interrupted |= Thread.interrupted();
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
