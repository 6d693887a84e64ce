package io.github.kafkaconnectastro.auth;

import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoredCredentialsTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void survivesItsJsonForm() {
        StoredCredentials stored = new StoredCredentials(new TokenGrant(new Password("a1"), new Password("r1"), T0,
                T0.plusSeconds(20)), 3, StoredCredentials.fingerprint(new Password("r0")));
        StoredCredentials back = StoredCredentials.fromJson(stored.toJson()).orElseThrow();
        assertEquals(stored, back);
        assertEquals(Optional.empty(), StoredCredentials.fromJson("{\"access_token\":\"a\"}"));
        assertEquals(Optional.empty(), StoredCredentials.fromJson("]"));
    }

    @Test
    void descendsFromTheConfiguredRefreshTokenItStartedFrom() {
        StoredCredentials stored = new StoredCredentials(new TokenGrant(new Password("a1"), new Password("r5"), T0,
                T0.plusSeconds(20)), 5, StoredCredentials.fingerprint(new Password("r0")));
        assertTrue(stored.descendsFrom(new Password("r0")));
        assertFalse(stored.descendsFrom(new Password("operator-put-a-new-one")));
    }

    @Test
    void refreshesHalfWayThroughAShortLifeAndAnHourBeforeTheEndOfALongOne() {
        assertEquals(T0.plusSeconds(10), new TokenGrant(new Password("a"), new Password("r"), T0,
                T0.plusSeconds(20)).refreshAt());
        Instant week = T0.plus(Duration.ofDays(7));
        assertEquals(week.minus(Duration.ofHours(1)), new TokenGrant(new Password("a"), new Password("r"), T0,
                week).refreshAt());
    }
}
