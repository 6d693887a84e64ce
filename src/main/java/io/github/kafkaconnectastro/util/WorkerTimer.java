package io.github.kafkaconnectastro.util;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One timer for every task of the plugin in a worker (one per class loader, so per worker): a single daemon thread,
 * {@value #THREAD_NAME}, that only wakes a task's {@link OnDemandThread} when its next work is due, so that a task
 * waiting hours for its next token renewal holds no thread of its own. The callbacks must only hand work over,
 * never block: they share the one thread. The thread ends when no callback has been due for a while and none is
 * scheduled (cancelled ones are removed at once), so a worker whose connectors are all deleted keeps none.
 */
public final class WorkerTimer {

    /** The timer thread's name. */
    public static final String THREAD_NAME = "astro-timer";
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(5);
    private static final AtomicInteger STARTED = new AtomicInteger();
    private static final ScheduledThreadPoolExecutor TIMER = create();

    private WorkerTimer() {
    }

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            STARTED.incrementAndGet();
            return thread;
        });
        timer.setKeepAliveTime(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return timer;
    }

    /** Runs {@code wake} (which must not block) after {@code delayMs}; cancel the result to forget it. */
    public static ScheduledFuture<?> schedule(Runnable wake, long delayMs) {
        return TIMER.schedule(wake, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }

    /** How many timer threads were started so far, for tests. */
    static int threadsStarted() {
        return STARTED.get();
    }
}
