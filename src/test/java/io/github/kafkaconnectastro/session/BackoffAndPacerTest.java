package io.github.kafkaconnectastro.session;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffAndPacerTest {

    @Test
    void backoffCeilingDoublesUpToTheMaximumAndResets() {
        Backoff backoff = new Backoff(1000, 30_000, 2.0, () -> 0.999_999);
        assertEquals(999, backoff.nextDelayMs());
        assertEquals(1999, backoff.nextDelayMs());
        assertEquals(3999, backoff.nextDelayMs());
        for (int i = 0; i < 10; i++) {
            backoff.nextDelayMs();
        }
        assertEquals(29_999, backoff.nextDelayMs());
        backoff.reset();
        assertEquals(999, backoff.nextDelayMs());
    }

    @Test
    void backoffUsesFullJitter() {
        assertEquals(0, new Backoff(1000, 30_000, 2.0, () -> 0.0).nextDelayMs());
    }

    @Test
    void backoffRefusesAZeroInitialDelay() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 0, 2.0, () -> 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 30_000, 2.0, () -> 0.5));
    }

    @Test
    void pacerAllowsTheBurstThenOnePerInterval() {
        long t = 0;
        CommandPacer pacer = new CommandPacer(3, 100, t);
        assertTrue(pacer.tryAcquire(t));
        assertTrue(pacer.tryAcquire(t));
        assertTrue(pacer.tryAcquire(t));
        assertFalse(pacer.tryAcquire(t));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(100), pacer.nanosUntilPermit(t));
        t += TimeUnit.MILLISECONDS.toNanos(100);
        assertTrue(pacer.tryAcquire(t));
        assertFalse(pacer.tryAcquire(t));
    }

    @Test
    void pacerStaysWithinTheGatewayBucket() {
        // The gateway's documented limit read as a token bucket: 100 commands of burst, refilled at 10 per second.
        CommandPacer pacer = new CommandPacer(50, 100, 0);
        double gatewayTokens = 100;
        long last = 0;
        long t = 0;
        for (int sent = 0; sent < 1000; ) {
            if (pacer.tryAcquire(t)) {
                gatewayTokens = Math.min(100, gatewayTokens + (t - last) / 1e8);
                last = t;
                assertTrue(gatewayTokens >= 1.0, "command " + sent + " would be rate limited");
                gatewayTokens -= 1.0;
                sent++;
            } else {
                t += pacer.nanosUntilPermit(t);
            }
        }
        // The fastest the gateway allows is (1000 - 100) / 10 = 90 s; stay within 10 % of it.
        assertTrue(t <= TimeUnit.SECONDS.toNanos(99), "1000 commands took " + t / 1e9 + " s");
    }

    @Test
    void pacerPausesAfterARateLimit() {
        CommandPacer pacer = new CommandPacer(10, 100, 0);
        pacer.pause(0, TimeUnit.SECONDS.toNanos(1));
        assertFalse(pacer.tryAcquire(TimeUnit.MILLISECONDS.toNanos(500)));
        assertTrue(pacer.tryAcquire(TimeUnit.MILLISECONDS.toNanos(1100)));
    }
}
