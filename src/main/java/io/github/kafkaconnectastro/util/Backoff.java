package io.github.kafkaconnectastro.util;

import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: the n-th delay is uniformly random between zero and
 * {@code min(max, initial * multiplier^n)}, so that many tasks reconnecting at once spread out.
 */
public final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private final double multiplier;
    private final DoubleSupplier random;
    private int attempts;

    /**
     * @param initialMs the first ceiling, at least 1: a ceiling of 0 would never grow, and retry at once for ever
     */
    public Backoff(long initialMs, long maxMs, double multiplier, DoubleSupplier random) {
        if (initialMs < 1 || maxMs < initialMs || multiplier < 1.0) {
            throw new IllegalArgumentException("invalid backoff bounds");
        }
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.multiplier = multiplier;
        this.random = random;
    }

    /** The next delay in milliseconds; each call grows the ceiling until it reaches the maximum. */
    public long nextDelayMs() {
        return nextDelayMs(Long.MAX_VALUE);
    }

    /**
     * The next delay in milliseconds, its ceiling also capped by {@code capMs} (never below the initial ceiling);
     * the ceiling grows as with {@link #nextDelayMs()}, the jitter stays.
     */
    public long nextDelayMs(long capMs) {
        double ceiling = Math.min((double) maxMs, initialMs * Math.pow(multiplier, attempts));
        if (ceiling < maxMs) {
            attempts++;
        }
        return (long) (random.getAsDouble() * Math.min(ceiling, Math.max(initialMs, capMs)));
    }

    /** Starts over from the initial delay, after a connection that stayed healthy. */
    public void reset() {
        attempts = 0;
    }
}
