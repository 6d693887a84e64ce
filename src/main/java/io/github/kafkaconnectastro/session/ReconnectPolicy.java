package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.util.Backoff;
import io.github.kafkaconnectastro.util.PermanentFailure;
import io.github.kafkaconnectastro.util.SafeText;

import java.net.URI;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * When the session tries the next connection, and when it gives up. A connection that stayed open for at least
 * {@code healthyAfter} counts as healthy: it resets the backoff and restarts the reconnect budget's clock, so a
 * task that flaps (connects, drops at once, connects...) backs off further and further and eventually spends its
 * budget, while one that lost a long-lived connection starts again from the initial delay. Used by the session
 * thread only, so not thread-safe.
 */
public final class ReconnectPolicy {

    /**
     * A delay's ceiling is at most this fraction of the time since the last healthy connection ended: after an
     * outage of 10 s the next attempt comes within 2.5 s, so that a backoff grown during a short outage does not
     * stretch it far beyond its end.
     */
    static final double OUTAGE_FRACTION = 0.25;

    private final Backoff backoff;
    private final long healthyAfterNanos;
    private final long budgetNanos;
    private final long retryAfterMaxMs;
    private long lastHealthyNanos;

    /**
     * @param healthyAfter  how long a connection must stay open to count as healthy
     * @param budget        how long the session may go without a healthy connection; null for ever
     * @param retryAfterMax the longest refusal's Retry-After obeyed, so that a server cannot park the task
     * @param nowNanos      when the session started, which counts as healthy
     */
    ReconnectPolicy(Backoff backoff, Duration healthyAfter, Duration budget, Duration retryAfterMax, long nowNanos) {
        this.backoff = backoff;
        this.healthyAfterNanos = healthyAfter.toNanos();
        this.budgetNanos = budget == null ? -1 : budget.toNanos();
        this.retryAfterMaxMs = retryAfterMax.toMillis();
        this.lastHealthyNanos = nowNanos;
    }

    /** A connection that opened at {@code openedAtNanos} has ended now. */
    void connectionEnded(long openedAtNanos, long nowNanos) {
        if (nowNanos - openedAtNanos >= healthyAfterNanos) {
            backoff.reset();
            lastHealthyNanos = nowNanos;
        }
    }

    /** The gateway asked us to move to another node: the connection was healthy up to now. */
    void handedOver(long nowNanos) {
        lastHealthyNanos = nowNanos;
    }

    /**
     * The wait before the next attempt. A refusal's {@code Retry-After} is a floor: the backoff delay comes on top
     * of it, so tasks refused together do not come back together, and a server that keeps refusing with
     * {@code Retry-After: 0} still sees the delays grow. A Retry-After over the maximum counts as the maximum.
     * Never less than 1 ms, even when the jitter draws 0: a run of such draws would reconnect in a tight loop.
     * The backoff's ceiling is capped by a quarter of the time since the last healthy connection
     * ({@link #OUTAGE_FRACTION}, never below the initial delay), so that the first attempt after an outage comes
     * soon after it ends: a 10 s refusal costs at most 2.5 s more, not the 30 s a grown backoff could draw.
     *
     * @param retryAfterMs the server's Retry-After in milliseconds, or -1 when it gave none
     */
    long nextDelayMs(long retryAfterMs) {
        return nextDelayMs(retryAfterMs, System.nanoTime());
    }

    /** As {@link #nextDelayMs(long)}, at {@code nowNanos}. */
    long nextDelayMs(long retryAfterMs, long nowNanos) {
        long delay = backoff.nextDelayMs((long) (unhealthyForMs(nowNanos) * OUTAGE_FRACTION));
        return Math.max(1, retryAfterMs >= 0 ? Math.min(retryAfterMs, retryAfterMaxMs) + delay : delay);
    }

    /**
     * The delay before the next attempt to connect to {@code uri}, as {@link #nextDelayMs(long)};
     *
     * @param problem why the last attempt or connection failed, for the failure's message
     * @throws PermanentFailure when the next attempt would start after the reconnect budget is spent
     */
    long nextDelayOrFail(long retryAfterMs, String problem, URI uri) {
        long now = System.nanoTime();
        long delay = nextDelayMs(retryAfterMs, now);
        if (budgetSpentBy(now, delay)) {
            throw new PermanentFailure("No healthy connection to Astro at " + SafeText.displayUri(uri) + " for "
                    + unhealthyForMs(now) + " ms, and the next attempt in " + delay + " ms would exceed "
                    + "reconnect.max.duration.ms=" + TimeUnit.NANOSECONDS.toMillis(budgetNanos) + " (last problem: "
                    + problem + "). Check astro.url, the network and the gateway's status, then restart the task.");
        }
        return delay;
    }

    /**
     * Whether the budget will be spent before an attempt that starts {@code delayMs} from now, in which case the
     * session fails now rather than wait for an attempt it may not make.
     */
    boolean budgetSpentBy(long nowNanos, long delayMs) {
        return budgetNanos >= 0 && nowNanos + TimeUnit.MILLISECONDS.toNanos(delayMs) - lastHealthyNanos > budgetNanos;
    }

    /** Milliseconds since the last healthy connection (or the start). */
    long unhealthyForMs(long nowNanos) {
        return TimeUnit.NANOSECONDS.toMillis(nowNanos - lastHealthyNanos);
    }
}
