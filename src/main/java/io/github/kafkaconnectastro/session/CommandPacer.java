package io.github.kafkaconnectastro.session;

/**
 * Paces commands under Astro's documented limit (about one per 100 ms, bursts of up to 100 per 10 s): a token
 * bucket that starts full with {@code burst} permits and regains one every {@code intervalMs}. Not thread-safe;
 * only the session thread sends commands.
 */
public final class CommandPacer {

    private final int burst;
    private final long intervalNanos;
    private double permits;
    private long lastRefillNanos;
    private long pausedUntilNanos;

    public CommandPacer(int burst, long intervalMs, long nowNanos) {
        if (burst < 1 || intervalMs < 1) {
            throw new IllegalArgumentException("burst and interval must be positive");
        }
        this.burst = burst;
        this.intervalNanos = intervalMs * 1_000_000L;
        this.permits = burst;
        this.lastRefillNanos = nowNanos;
    }

    /** Takes a permit if one is free now. */
    public boolean tryAcquire(long nowNanos) {
        refill(nowNanos);
        if (nowNanos < pausedUntilNanos || permits < 1.0) {
            return false;
        }
        permits -= 1.0;
        return true;
    }

    /** Nanoseconds until a permit is free (zero when one is free now). */
    public long nanosUntilPermit(long nowNanos) {
        refill(nowNanos);
        long untilUnpaused = Math.max(0, pausedUntilNanos - nowNanos);
        long untilPermit = permits >= 1.0 ? 0 : (long) ((1.0 - permits) * intervalNanos);
        return Math.max(untilUnpaused, untilPermit);
    }

    /** After a {@code rate_limit_exceeded}: send nothing for a while and start again from an empty bucket. */
    public void pause(long nowNanos, long pauseNanos) {
        pausedUntilNanos = Math.max(pausedUntilNanos, nowNanos + pauseNanos);
        permits = 0;
        lastRefillNanos = pausedUntilNanos;
    }

    private void refill(long nowNanos) {
        if (nowNanos <= lastRefillNanos) {
            return;
        }
        permits = Math.min(burst, permits + (double) (nowNanos - lastRefillNanos) / intervalNanos);
        lastRefillNanos = nowNanos;
    }
}
