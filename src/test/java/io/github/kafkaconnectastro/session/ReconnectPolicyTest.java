package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.util.Backoff;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconnectPolicyTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void backoffResetsOnlyAfterAConnectionThatStayedHealthy() {
        ReconnectPolicy policy = policy(() -> 0.999_999, null);
        assertEquals(999, policy.nextDelayMs(-1));
        assertEquals(1999, policy.nextDelayMs(-1));

        policy.connectionEnded(0, 29 * SECOND);
        assertEquals(3999, policy.nextDelayMs(-1), "a connection shorter than the healthy time keeps the backoff");

        policy.connectionEnded(100 * SECOND, 130 * SECOND);
        assertEquals(999, policy.nextDelayMs(-1), "a healthy connection starts the backoff over");
    }

    @Test
    void retryAfterIsAFloorWithTheBackoffOnTop() {
        ReconnectPolicy policy = policy(() -> 0.5, null);
        assertEquals(3500, policy.nextDelayMs(3000));
        assertEquals(1000, policy.nextDelayMs(0), "Retry-After: 0 still backs off, and further each time");
    }

    @Test
    void retryAfterIsCappedWithTheBackoffStillOnTop() {
        ReconnectPolicy policy = policy(() -> 0.5, null);
        assertEquals(300_500, policy.nextDelayMs(Long.MAX_VALUE), "an unreadable or overflowing Retry-After");
        assertEquals(301_000, policy.nextDelayMs(TimeUnit.DAYS.toMillis(365)));
        assertEquals(302_000, policy.nextDelayMs(300_000), "exactly the cap is not capped");
    }

    @Test
    void neverReconnectsWithoutAPause() {
        ReconnectPolicy policy = new ReconnectPolicy(new Backoff(1, 1, 1.0, () -> 0.0), Duration.ofSeconds(30), null,
                Duration.ofMinutes(5), 0);
        assertEquals(1, policy.nextDelayMs(-1), "a zero jitter");
        assertEquals(1, policy.nextDelayMs(0), "a zero jitter after Retry-After: 0");
    }

    @Test
    void budgetCountsFromTheLastHealthyConnectionAndIncludesTheNextWait() {
        ReconnectPolicy policy = policy(() -> 0.0, Duration.ofSeconds(60));
        assertFalse(policy.budgetSpentBy(50 * SECOND, 5_000));
        assertTrue(policy.budgetSpentBy(50 * SECOND, 15_000), "an attempt after the budget is not waited for");

        policy.connectionEnded(40 * SECOND, 80 * SECOND);
        assertFalse(policy.budgetSpentBy(130 * SECOND, 5_000));
        assertEquals(50_000, policy.unhealthyForMs(130 * SECOND));

        policy.handedOver(200 * SECOND);
        assertFalse(policy.budgetSpentBy(250 * SECOND, 5_000));
        assertTrue(policy.budgetSpentBy(261 * SECOND, 0));
    }

    @Test
    void theFirstAttemptAfterAnOutageComesSoonAfterItEnds() {
        ReconnectPolicy policy = policy(() -> 0.999_999, null);
        policy.connectionEnded(0, 100 * SECOND);
        // The gateway refuses every attempt from 100 s to 110 s; the backoff alone would wait 1, 2, 4, 8, 16 s.
        long at = 100 * SECOND;
        int attempts = 0;
        while (at < 110 * SECOND) {
            long delay = policy.nextDelayMs(-1, at);
            assertTrue(delay <= Math.max(1000, (at - 100 * SECOND) / 4_000_000), "capped by a quarter of the outage: "
                    + delay + " ms at " + at / 1_000_000 + " ms");
            at += TimeUnit.MILLISECONDS.toNanos(delay);
            attempts++;
        }
        assertTrue(at - 110 * SECOND <= 3 * SECOND, "the first accepted attempt " + (at - 110 * SECOND) / 1_000_000
                + " ms after the refusals ended");
        assertTrue(attempts <= 10, attempts + " attempts in 10 s: still backing off");
    }

    @Test
    void theOutageCapKeepsTheJitter() {
        ReconnectPolicy policy = policy(() -> 0.5, null);
        policy.connectionEnded(0, 100 * SECOND);
        for (int i = 0; i < 6; i++) {
            policy.nextDelayMs(-1, 100 * SECOND);
        }
        assertEquals(7_500, policy.nextDelayMs(-1, 160 * SECOND), "half of min(30 s, 60 s / 4)");
        assertEquals(15_000, policy.nextDelayMs(-1, 400 * SECOND), "half of the configured maximum");
        assertEquals(500, policy.nextDelayMs(-1, 100 * SECOND), "never below the initial ceiling");
    }

    @Test
    void withoutABudgetItNeverGivesUp() {
        ReconnectPolicy policy = policy(() -> 0.0, null);
        assertFalse(policy.budgetSpentBy(Long.MAX_VALUE / 2, Long.MAX_VALUE / 4_000_000));
    }

    private static ReconnectPolicy policy(DoubleSupplier random, Duration budget) {
        return new ReconnectPolicy(new Backoff(1000, 30_000, 2.0, random), Duration.ofSeconds(30), budget,
                Duration.ofMinutes(5), 0);
    }
}
