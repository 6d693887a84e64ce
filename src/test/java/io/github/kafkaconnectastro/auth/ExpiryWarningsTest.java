package io.github.kafkaconnectastro.auth;

import io.github.kafkaconnectastro.integration.LogCapture;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpiryWarningsTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final long HOUR_NANOS = Duration.ofHours(1).toNanos();

    private static List<String> warnings(Runnable checks) {
        try (LogCapture capture = LogCapture.of(Map.of(ExpiryWarnings.class.getName(), Level.WARN))) {
            checks.run();
            return capture.lines().stream().map(LogCapture.Line::text).toList();
        }
    }

    @Test
    void nothingWhileMoreThanSevenDaysAreLeftOrTheExpiryIsUnknown() {
        ExpiryWarnings warnings = new ExpiryWarnings("astro.token");
        assertEquals(List.of(), warnings(() -> {
            warnings.check(NOW.plus(Duration.ofDays(8)), NOW, 1);
            warnings.check(null, NOW, 2);
        }));
    }

    @Test
    void underSevenDaysWarnsOnceADay() {
        ExpiryWarnings warnings = new ExpiryWarnings("astro.token");
        Instant expiry = NOW.plus(Duration.ofDays(6));
        List<String> lines = warnings(() -> {
            warnings.check(expiry, NOW, 1);
            warnings.check(expiry, NOW.plusSeconds(60), 1 + HOUR_NANOS);
            warnings.check(expiry, NOW.plus(Duration.ofHours(25)), 1 + 25 * HOUR_NANOS);
        });
        assertEquals(2, lines.size(), String.valueOf(lines));
        assertTrue(lines.get(0).contains("expires at 2026-12-05T12:00:00Z, in 6 days")
                && lines.get(0).contains(TokenRenewal.DASHBOARD_URL), lines.get(0));
    }

    @Test
    void underOneDayWarnsHourlyAndAnExpiredTokenToo() {
        ExpiryWarnings warnings = new ExpiryWarnings("astro.token");
        Instant expiry = NOW.plus(Duration.ofHours(5));
        List<String> lines = warnings(() -> {
            warnings.check(expiry, NOW, 1);
            warnings.check(expiry, NOW.plusSeconds(600), 1 + HOUR_NANOS / 6);
            warnings.check(expiry, NOW.plus(Duration.ofHours(1)), 1 + HOUR_NANOS);
            warnings.check(expiry, NOW.plus(Duration.ofHours(6)), 1 + 6 * HOUR_NANOS);
        });
        assertEquals(3, lines.size(), String.valueOf(lines));
        assertTrue(lines.get(0).contains("in 5 h"), lines.get(0));
        assertTrue(lines.get(2).contains("expired at 2026-11-29T17:00:00Z"), lines.get(2));
    }
}
