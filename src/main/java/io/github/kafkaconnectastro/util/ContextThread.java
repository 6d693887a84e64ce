package io.github.kafkaconnectastro.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

/**
 * The life of one background thread of a task: a daemon thread (so that a thread that will not stop never keeps a
 * worker's JVM alive), named when started, that runs its work in the logging context (MDC) of whoever built this
 * object, so that its log lines name the connector and task like those of the task's own thread. It is started at
 * most once, and stopped with an interrupt followed by a join of at most the stop timeout given, so that stopping a
 * task never hangs on it; a thread still running then is logged and left to end on its own.
 */
public final class ContextThread implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ContextThread.class);

    private final Runnable work;
    private final Duration stopTimeout;
    private final Map<String, String> logContext;
    private Thread thread;

    /**
     * Takes the calling thread's logging context for the thread to run in.
     *
     * @param stopTimeout how long {@link #close()} waits for the thread after interrupting it; zero for not at all,
     *                    for work that is safe to abandon
     */
    public ContextThread(Runnable work, Duration stopTimeout) {
        this.work = work;
        this.stopTimeout = stopTimeout;
        this.logContext = TaskThreads.callersLogContext();
    }

    /** Starts the thread; returns at once. A second start is a programming error. */
    public synchronized void start(String name) {
        if (thread != null) {
            throw new IllegalStateException("Thread " + thread.getName() + " was started already");
        }
        thread = TaskThreads.startDaemon(name, logContext, work);
    }

    /** Interrupts the thread and waits for it, within the stop timeout; nothing when it was never started. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            TaskThreads.stop(t, stopTimeout, log);
        }
    }
}
