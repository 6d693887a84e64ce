package io.github.kafkaconnectastro.subscribe;

/**
 * Paces commands under the gateway's published limit (about one per 100 ms, bursts of up to 100 per 10 s): a
 * token bucket that starts full with {@code burst} permits and regains one every {@code intervalMs}.
 *
 * <p>It adapts, because what the gateway counts is not known (per connection, per client address or per token):
 * each {@code rate_limit_exceeded} halves the rate (down to a tenth of the configured one) and each accepted
 * command gives back a little (half the configured rate over {@link #RECOVERY_STEPS} commands), never more than
 * the configured rate. Pacers that share a limit they cannot see, such as tasks on several workers under one
 * token's limit, so settle where the gateway stops refusing, as TCP's congestion control does.
 *
 * <p>Thread-safe: tasks of one worker share one pacer per gateway host ({@link CommandPacers}).
 */
public final class CommandPacer {

    /** The slowest the pacer gets, as a multiple of the configured interval. */
    static final int MAX_SLOWDOWN = 10;
    /** How many accepted commands take the rate from half back to the configured one. */
    static final int RECOVERY_STEPS = 300;

    private final int burst;
    private final double baseRate;
    private double rate;
    private double permits;
    private long lastRefillNanos;
    private long pausedUntilNanos;

    public CommandPacer(int burst, long intervalMs, long nowNanos) {
        if (burst < 1 || intervalMs < 1) {
            throw new IllegalArgumentException("burst and interval must be positive");
        }
        this.burst = burst;
        this.baseRate = 1.0 / (intervalMs * 1_000_000.0);
        this.rate = baseRate;
        this.permits = burst;
        this.lastRefillNanos = nowNanos;
    }

    /** Takes a permit if one is free now. */
    public synchronized boolean tryAcquire(long nowNanos) {
        refill(nowNanos);
        if (nowNanos < pausedUntilNanos || permits < 1.0) {
            return false;
        }
        permits -= 1.0;
        return true;
    }

    /** Nanoseconds until a permit is free (zero when one is free now). */
    public synchronized long nanosUntilPermit(long nowNanos) {
        refill(nowNanos);
        long untilUnpaused = Math.max(0, pausedUntilNanos - nowNanos);
        long untilPermit = permits >= 1.0 ? 0 : (long) Math.ceil((1.0 - permits) / rate);
        return Math.max(untilUnpaused, untilPermit);
    }

    /**
     * After a {@code rate_limit_exceeded}: send nothing for a while, start again from an empty bucket, at half the
     * rate.
     */
    public synchronized void pause(long nowNanos, long pauseNanos) {
        refill(nowNanos);
        pausedUntilNanos = Math.max(pausedUntilNanos, nowNanos + pauseNanos);
        permits = 0;
        lastRefillNanos = pausedUntilNanos;
        rate = Math.max(baseRate / MAX_SLOWDOWN, rate / 2);
    }

    /** A command was answered without a rate-limit refusal: win back some of the rate a refusal took. */
    public synchronized void accepted() {
        rate = Math.min(baseRate, rate + baseRate / (2.0 * RECOVERY_STEPS));
    }

    /** Commands per second now. */
    public synchronized double ratePerSecond() {
        return rate * 1_000_000_000.0;
    }

    private void refill(long nowNanos) {
        if (nowNanos <= lastRefillNanos) {
            return;
        }
        permits = Math.min(burst, permits + (nowNanos - lastRefillNanos) * rate);
        lastRefillNanos = nowNanos;
    }
}
