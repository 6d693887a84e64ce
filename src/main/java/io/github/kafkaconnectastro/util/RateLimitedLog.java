package io.github.kafkaconnectastro.util;

import org.slf4j.Logger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides whether a repeated warning is logged: the first of each kind, then at most one per interval, telling
 * how many were suppressed in between, so a flood of bad frames cannot flood the log.
 */
public final class RateLimitedLog {

    private final long intervalNanos;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public RateLimitedLog(long intervalMs) {
        this.intervalNanos = intervalMs * 1_000_000L;
    }

    /**
     * @return -1 when this occurrence is not to be logged; otherwise the number of occurrences suppressed since
     *         the last one logged
     */
    public long admit(String kind, long nowNanos) {
        Window window = windows.computeIfAbsent(kind, k -> new Window());
        synchronized (window) {
            if (window.loggedAt != 0 && nowNanos - window.loggedAt < intervalNanos) {
                window.suppressed.incrementAndGet();
                return -1;
            }
            window.loggedAt = nowNanos == 0 ? 1 : nowNanos;
            return window.suppressed.getAndSet(0);
        }
    }

    /** Logs a warning of this kind unless one was logged within the interval, saying how many were suppressed. */
    public void warn(Logger log, String kind, String format, Object... args) {
        long suppressed = admit(kind, System.nanoTime());
        if (suppressed < 0) {
            return;
        }
        if (suppressed > 0) {
            log.warn(format + " (" + suppressed + " similar warnings suppressed)", args);
        } else {
            log.warn(format, args);
        }
    }

    private static final class Window {
        long loggedAt;
        final AtomicLong suppressed = new AtomicLong();
    }
}
