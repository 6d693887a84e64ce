package io.github.kafkaconnectastro.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

/**
 * A task's background work on a thread that exists only while there is work: {@link #wake()} starts a daemon thread
 * (named as {@link #start(String) started}) that runs the work in the logging context (MDC) of whoever built this
 * object, like the task's own thread; the work returns when it has nothing left to do, and the thread ends with it.
 * A wake while the work runs makes it run once more, so no wake is lost. So an idle task keeps no thread for it, and
 * hundreds of connectors on one worker do not each hold one that only waits.
 *
 * <p>Wakes before {@link #start(String)} are kept and run at start. {@link #close()} interrupts a running thread and
 * waits for it at most the stop timeout given, so that stopping a task never hangs on it; a thread still running
 * then is logged and left to end on its own. No thread starts after close.
 */
public final class OnDemandThread implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OnDemandThread.class);

    private final Runnable work;
    private final Duration stopTimeout;
    private final Map<String, String> logContext;
    /** Guarded by this. */
    private String name;
    private Thread thread;
    private boolean again;
    private boolean pending;
    private boolean closed;

    /**
     * Takes the calling thread's logging context for the work to run in.
     *
     * @param work        runs until it has nothing left to do; it ends early when interrupted
     * @param stopTimeout how long {@link #close()} waits for a running thread after interrupting it; zero for not at
     *                    all, for work that is safe to abandon
     */
    public OnDemandThread(Runnable work, Duration stopTimeout) {
        this.work = work;
        this.stopTimeout = stopTimeout;
        this.logContext = TaskThreads.callersLogContext();
    }

    /** Names the threads and runs the work now if it was woken before; a second start is a programming error. */
    public synchronized void start(String threadName) {
        if (name != null) {
            throw new IllegalStateException("Work " + name + " was started already");
        }
        name = threadName;
        if (pending) {
            pending = false;
            wake();
        }
    }

    /** Runs the work on a new thread, or once more after the run in progress; nothing after close. */
    public synchronized void wake() {
        if (closed) {
            return;
        }
        if (name == null) {
            pending = true;
        } else if (thread != null) {
            again = true;
        } else {
            thread = TaskThreads.startDaemon(name, logContext, this::runWhileWoken);
        }
    }

    /** Whether a thread runs the work now (for tests and thread counts). */
    public synchronized boolean running() {
        return thread != null;
    }

    private void runWhileWoken() {
        try {
            while (true) {
                synchronized (this) {
                    again = false;
                }
                work.run();
                synchronized (this) {
                    if (!again || closed || Thread.currentThread().isInterrupted()) {
                        thread = null;
                        return;
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                thread = null;
            }
            throw e;
        }
    }

    /** Interrupts a running thread and waits for it, within the stop timeout; no thread starts after this. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t != null) {
            TaskThreads.stop(t, stopTimeout, log);
        }
    }
}
