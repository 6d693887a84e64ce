package io.github.kafkaconnectastro.integration;

import io.github.kafkaconnectastro.emulator.AstroEmulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's command rate limit, counted per client address (one of the readings the documents leave open):
 * two tasks of one worker share one pace by default and draw no refusal; pacing each connection on its own
 * ({@code astro.command.limit.scope=connection}) draws refusals under that limit, and still subscribes every pair.
 */
class CommandPacingIT {

    private static final int PAIRS_PER_TASK = 75;

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1);

    @Test
    void tasksOfAWorkerShareTheirAddresssLimitWithoutRefusals() throws Exception {
        fixture.emulator.setRateLimit(true);
        fixture.emulator.setRateLimitScope(AstroEmulator.RateLimitScope.ADDRESS);
        int refusedBefore = fixture.emulator.rateLimitedCount();
        fixture.startConnector("shared-pace", 2, pairs("shared"), Map.of());
        assertEquals(0, fixture.emulator.rateLimitedCount() - refusedBefore, "rate_limit_exceeded answers");
    }

    @Test
    void pacingEachConnectionOnItsOwnOverrunsAnAddressLimitButSubscribesEveryPair() throws Exception {
        fixture.emulator.setRateLimit(true);
        fixture.emulator.setRateLimitScope(AstroEmulator.RateLimitScope.ADDRESS);
        int refusedBefore = fixture.emulator.rateLimitedCount();
        fixture.startConnector("own-pace", 2, pairs("own"), Map.of("astro.command.limit.scope", "connection"));
        assertTrue(fixture.emulator.rateLimitedCount() > refusedBefore, "two paces of 10/s under one limit of 10/s");
    }

    /** Twice {@link #PAIRS_PER_TASK} rooms of channel.activities: more than the gateway's burst of 100. */
    private static List<String[]> pairs(String prefix) {
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < 2 * PAIRS_PER_TASK; i++) {
            pairs.add(new String[] {"channel.activities", prefix + i});
        }
        return pairs;
    }
}
