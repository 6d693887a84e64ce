package io.github.kafkaconnectastro.subscribe;

import io.github.kafkaconnectastro.util.Backoff;
import io.github.kafkaconnectastro.util.SharedByKey;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
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
    void pacerPausesAfterARateLimitAndGoesOnAtHalfTheRate() {
        CommandPacer pacer = new CommandPacer(10, 100, 0);
        pacer.pause(0, TimeUnit.SECONDS.toNanos(1));
        assertFalse(pacer.tryAcquire(TimeUnit.MILLISECONDS.toNanos(500)));
        assertFalse(pacer.tryAcquire(TimeUnit.MILLISECONDS.toNanos(1100)));
        assertTrue(pacer.tryAcquire(TimeUnit.MILLISECONDS.toNanos(1200)));
        assertEquals(5.0, pacer.ratePerSecond(), 1e-9);
    }

    @Test
    void acceptedCommandsWinTheRateBackButNeverAboveTheConfiguredOne() {
        CommandPacer pacer = new CommandPacer(10, 100, 0);
        pacer.pause(0, 1);
        pacer.pause(0, 1);
        assertEquals(2.5, pacer.ratePerSecond(), 1e-9);
        for (int i = 0; i < 3 * CommandPacer.RECOVERY_STEPS; i++) {
            pacer.accepted();
        }
        assertEquals(10.0, pacer.ratePerSecond(), 1e-9);
        for (int i = 0; i < 20; i++) {
            pacer.pause(0, 1);
        }
        assertEquals(10.0 / CommandPacer.MAX_SLOWDOWN, pacer.ratePerSecond(), 1e-9, "the floor");
    }

    @Test
    void pacersUnderOneLimitTheyCannotSeeSettleBelowIt() {
        // Three workers' pacers under one gateway bucket (a limit per token): 100 of burst, 10 per second in all.
        CommandPacer[] pacers = new CommandPacer[3];
        for (int i = 0; i < pacers.length; i++) {
            pacers[i] = new CommandPacer(50, 100, 0);
        }
        double gatewayTokens = 100;
        long last = 0;
        long t = 0;
        long step = TimeUnit.MILLISECONDS.toNanos(5);
        long pauseNanos = TimeUnit.SECONDS.toNanos(1);
        int accepted = 0;
        int refused = 0;
        while (accepted < 3000) {
            for (CommandPacer pacer : pacers) {
                if (accepted < 3000 && pacer.tryAcquire(t)) {
                    gatewayTokens = Math.min(100, gatewayTokens + (t - last) / 1e8);
                    last = t;
                    if (gatewayTokens >= 1.0) {
                        gatewayTokens -= 1.0;
                        pacer.accepted();
                        accepted++;
                    } else {
                        pacer.pause(t, pauseNanos);
                        refused++;
                    }
                }
            }
            t += step;
        }
        double minimum = (3000 - 100) / 10.0;
        assertTrue(refused < 0.01 * (accepted + refused), refused + " of " + (accepted + refused) + " refused");
        assertTrue(t / 1e9 < 1.3 * minimum, "3000 commands took " + t / 1e9 + " s; the minimum is " + minimum + " s");
    }

    @Test
    void tasksOfAWorkerShareOnePacerPerGatewayHost() {
        try (SharedByKey.Lease<CommandPacer> a = CommandPacers.lease("gw.example:443", 50, 100);
             SharedByKey.Lease<CommandPacer> b = CommandPacers.lease("gw.example:443", 10, 1000);
             SharedByKey.Lease<CommandPacer> other = CommandPacers.lease("other.example:443", 50, 100)) {
            assertSame(a.value(), b.value());
            assertNotSame(a.value(), other.value());
            assertEquals(10.0, b.value().ratePerSecond(), 1e-9, "made by the first task to ask");
            a.close();
            a.close();
            try (SharedByKey.Lease<CommandPacer> c = CommandPacers.lease("gw.example:443", 50, 100)) {
                assertSame(b.value(), c.value(), "one holder left");
            }
        }
        try (SharedByKey.Lease<CommandPacer> fresh = CommandPacers.lease("gw.example:443", 50, 1000)) {
            assertEquals(1.0, fresh.value().ratePerSecond(), 1e-9, "made anew after the last holder went");
        }
    }
}
