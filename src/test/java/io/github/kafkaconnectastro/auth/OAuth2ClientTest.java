package io.github.kafkaconnectastro.auth;

import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.emulator.OAuth2Endpoint;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OAuth2ClientTest {

    private AstroEmulator gateway;
    private OAuth2Endpoint endpoint;

    @BeforeEach
    void start() {
        gateway = AstroEmulator.start();
        endpoint = OAuth2Endpoint.start(gateway, "client-1", "client-secret-1", "own");
        endpoint.setAccessTokenLifetime(Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        endpoint.close();
        gateway.close();
    }

    private OAuth2Client client(String secret) {
        return new OAuth2Client(endpoint.tokenUrl(), "client-1", new Password(secret), Duration.ofSeconds(5),
                Clock.systemUTC());
    }

    @Test
    void refreshGivesAnAccessTokenItsExpiryAndANewRefreshToken() throws Exception {
        Password first = new Password(endpoint.issueRefreshToken());
        Instant before = Instant.now();
        TokenGrant grant = client("client-secret-1").refresh(first);
        assertNotEquals(first, grant.refreshToken());
        assertFalse(grant.expiresAt().isBefore(before.plusSeconds(20)), grant.expiresAt().toString());
        assertTrue(grant.expiresAt().isBefore(before.plusSeconds(25)), grant.expiresAt().toString());
        assertEquals(1, endpoint.refreshCount());
    }

    @Test
    void aRefreshTokenUsedOnceIsRefusedPermanentlyWithoutRepeatingIt() throws Exception {
        Password first = new Password(endpoint.issueRefreshToken());
        OAuth2Client client = client("client-secret-1");
        client.refresh(first);
        OAuth2Exception refused = assertThrows(OAuth2Exception.class, () -> client.refresh(first));
        assertTrue(refused.permanent());
        assertTrue(refused.getMessage().contains("invalid_grant"), refused.getMessage());
        assertFalse(refused.getMessage().contains(first.value()), refused.getMessage());
        assertFalse(refused.getMessage().contains("client-secret-1"), refused.getMessage());
    }

    @Test
    void wrongClientCredentialsArePermanent() {
        OAuth2Exception refused = assertThrows(OAuth2Exception.class,
                () -> client("wrong").refresh(new Password(endpoint.issueRefreshToken())));
        assertTrue(refused.permanent());
        assertTrue(refused.getMessage().contains("invalid_client"), refused.getMessage());
    }

    /** The lifetime the client gives the access token of an answer with this expires_in. */
    private Duration lifetimeFor(String expiresInJson) throws Exception {
        if (expiresInJson == null) {
            endpoint.answerWithoutExpiresIn();
        } else {
            endpoint.answerExpiresIn(expiresInJson);
        }
        TokenGrant grant = client("client-secret-1").refresh(new Password(endpoint.issueRefreshToken()));
        return Duration.between(grant.obtainedAt(), grant.expiresAt());
    }

    @Test
    void aMissingOrNonNumericExpiresInGivesTheDefaultLifetime() throws Exception {
        assertEquals(OAuth2Client.DEFAULT_LIFETIME, lifetimeFor(null));
        assertEquals(OAuth2Client.DEFAULT_LIFETIME, lifetimeFor("\"soon\""));
        assertEquals(OAuth2Client.DEFAULT_LIFETIME, lifetimeFor("null"));
        assertEquals(Duration.ofSeconds(7200), lifetimeFor("\"7200\""), "a number in a string is still a number");
    }

    @Test
    void aTinyExpiresInIsRaisedToTheMinimumLifetime() throws Exception {
        for (String tiny : List.of("0", "1", "-5")) {
            assertEquals(OAuth2Client.MIN_LIFETIME, lifetimeFor(tiny), tiny);
        }
    }

    @Test
    void aHugeExpiresInIsCappedWithoutOverflow() throws Exception {
        for (String huge : List.of("9223372036854775807", "99999999999999999999999", "1e30")) {
            assertEquals(OAuth2Client.MAX_LIFETIME, lifetimeFor(huge), huge);
        }
    }

    @Test
    void aSuccessWithoutAccessTokenStillHandsOverTheRotatedRefreshToken() {
        endpoint.answerWithoutAccessToken(1);
        Password first = new Password(endpoint.issueRefreshToken());
        OAuth2Exception unusable = assertThrows(OAuth2Exception.class, () -> client("client-secret-1").refresh(first));
        assertFalse(unusable.permanent());
        assertNotNull(unusable.rotatedRefreshToken(), "the rotated refresh token was thrown away");
        assertTrue(endpoint.liveRefreshTokens().contains(unusable.rotatedRefreshToken().value()));
    }

    @Test
    void anUnreachableEndpointIsWorthRetrying() {
        OAuth2Client client = new OAuth2Client(URI.create("http://127.0.0.1:1/oauth2/token"), "client-1",
                new Password("s"), Duration.ofSeconds(2), Clock.systemUTC());
        OAuth2Exception failed = assertThrows(OAuth2Exception.class, () -> client.refresh(new Password("r")));
        assertFalse(failed.permanent());
    }
}
