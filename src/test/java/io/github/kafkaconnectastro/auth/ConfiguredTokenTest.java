package io.github.kafkaconnectastro.auth;

import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.protocol.TokenType;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfiguredTokenTest {

    private static final Instant EXP = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aRefusedExpiredJwtSaysWhenItExpiredAndWhereToRenewIt() {
        String jwt;
        try (AstroEmulator emulator = AstroEmulator.start()) {
            jwt = emulator.issueJwt("own", EXP);
        }
        ConfiguredToken token = new ConfiguredToken(new Password(jwt), TokenType.JWT,
                Clock.fixed(EXP.plusSeconds(1), ZoneOffset.UTC));
        assertEquals(Optional.of(EXP), token.expiry());
        String hint = token.refusalHint();
        assertTrue(hint.contains("expired at 2026-12-01T10:00:00Z, renew it at " + TokenRenewal.DASHBOARD_URL), hint);
        assertFalse(hint.contains(jwt));
    }

    @Test
    void aRefusedTokenThatHasNotExpiredGetsTheGeneralHint() {
        try (AstroEmulator emulator = AstroEmulator.start()) {
            String jwt = emulator.issueJwt("own", EXP);
            ConfiguredToken token = new ConfiguredToken(new Password(jwt), TokenType.JWT,
                    Clock.fixed(EXP.minusSeconds(1), ZoneOffset.UTC));
            assertTrue(token.refusalHint().startsWith("Check astro.token"), token.refusalHint());
        }
        ConfiguredToken opaque = new ConfiguredToken(new Password("overlay-token"), TokenType.APIKEY, Clock.systemUTC());
        assertEquals(Optional.empty(), opaque.expiry());
        assertTrue(opaque.refusalHint().startsWith("Check astro.token"));
    }
}
