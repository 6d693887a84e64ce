package io.github.kafkaconnectastro.util;

import org.slf4j.Logger;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;

/**
 * What {@link ContextThread} and {@link OnDemandThread} share: a daemon thread that runs in a task's logging context
 * (MDC), and its bounded stop.
 */
final class TaskThreads {

    private TaskThreads() {
    }

    /** The calling thread's logging context, to run a task's work in on another thread. */
    static Map<String, String> callersLogContext() {
        Map<String, String> context = MDC.getCopyOfContextMap();
        return context == null ? Collections.emptyMap() : context;
    }

    /** Starts a daemon thread that runs {@code work} in {@code logContext}. */
    static Thread startDaemon(String name, Map<String, String> logContext, Runnable work) {
        Thread thread = new Thread(() -> {
            MDC.setContextMap(logContext);
            try {
                work.run();
            } finally {
                MDC.clear();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Interrupts the thread and waits for it at most {@code stopTimeout} (zero: not at all, for work that is safe
     * to abandon); a thread still running then is logged on {@code log} and left to end on its own.
     */
    static void stop(Thread thread, Duration stopTimeout, Logger log) {
        thread.interrupt();
        if (stopTimeout.isZero()) {
            return;
        }
        try {
            thread.join(stopTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("Thread {} did not stop within {} ms; it is left to end on its own", thread.getName(),
                    stopTimeout.toMillis());
        }
    }
}
