package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.auth.TokenRenewal;
import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.integration.LogCapture;
import org.apache.kafka.common.config.ConfigException;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which of astro.token and astro.oauth2.* validation accepts, and what it says about a JWT's expiry. */
class AstroAuthConfigTest {

    private static AstroEmulator issuer;

    @BeforeAll
    static void start() {
        issuer = AstroEmulator.start();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    private static Map<String, String> withToken(String token) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "astro");
        props.put("astro.subscriptions", "channel.activities:5f2b0c1e9a1d");
        if (token != null) {
            props.put("astro.token", token);
        }
        return props;
    }

    private static Map<String, String> withOAuth2() {
        Map<String, String> props = withToken(null);
        props.put("astro.oauth2.client.id", "client-1");
        props.put("astro.oauth2.client.secret", "client-secret-1");
        props.put("astro.oauth2.refresh.token", "refresh-token-1");
        return props;
    }

    @Test
    void anExpiredJwtIsRefusedNamingWhenItExpired() {
        Instant exp = Instant.parse("2026-01-02T03:04:05Z");
        String jwt = issuer.issueJwt("own", exp);
        List<String> errors = ValidationErrors.of(withToken(jwt)).get("astro.token");
        assertEquals(1, errors.size(), String.valueOf(errors));
        assertTrue(errors.get(0).contains("expired at 2026-01-02T03:04:05Z")
                && errors.get(0).contains(TokenRenewal.DASHBOARD_URL), errors.get(0));
        assertFalse(errors.get(0).contains(jwt));
    }

    @Test
    void aJwtExpiringWithinSevenDaysIsAcceptedWithAWarning() {
        String jwt = issuer.issueJwt("own", Instant.now().plus(Duration.ofDays(3)));
        List<LogCapture.Line> lines;
        try (LogCapture capture = LogCapture.of(Map.of(AstroAuthConfig.class.getName(), Level.WARN))) {
            assertEquals(Map.of(), ValidationErrors.of(withToken(jwt)));
            lines = capture.lines();
        }
        assertEquals(1, lines.size(), String.valueOf(lines));
        assertTrue(lines.get(0).text().contains("expires at") && !lines.get(0).text().contains(jwt),
                lines.get(0).text());
    }

    @Test
    void aJwtWithMonthsLeftOrATokenThatIsNotAJwtIsAcceptedQuietly() {
        String jwt = issuer.issueJwt("own", Instant.now().plus(Duration.ofDays(30)));
        try (LogCapture capture = LogCapture.of(Map.of(AstroAuthConfig.class.getName(), Level.WARN))) {
            assertEquals(Map.of(), ValidationErrors.of(withToken(jwt)));
            assertEquals(Map.of(), ValidationErrors.of(withToken("opaque-overlay-token")));
            assertEquals(List.of(), capture.lines());
        }
    }

    @Test
    void oauth2CredentialsReplaceTheToken() {
        assertEquals(Map.of(), ValidationErrors.of(withOAuth2()));
        AstroSourceConnectorConfig config = new AstroSourceConnectorConfig(withOAuth2());
        assertTrue(config.oauth2());
        assertEquals("oauth2", config.tokenType().wire());
        assertEquals(AstroAuthConfig.TOKEN_URL.defaultValue().toString(), config.oauth2TokenUrl().toString());
    }

    @Test
    void neitherTokenNorOAuth2IsAnErrorOnTheToken() {
        List<String> errors = ValidationErrors.of(withToken(null)).get("astro.token");
        assertTrue(errors.get(0).contains("astro.oauth2.refresh.token"), errors.get(0));
        assertThrows(ConfigException.class,
                () -> new AstroSourceConnectorConfig(withToken(null)).requireCredentials());
    }

    @Test
    void bothTokenAndOAuth2AreAnError() {
        Map<String, String> both = withOAuth2();
        both.put("astro.token", "also-a-token");
        assertTrue(ValidationErrors.of(both).get("astro.token").get(0).contains("not both"));
    }

    @Test
    void aRefreshTokenWithoutClientCredentialsNamesTheMissingKeys() {
        Map<String, String> props = withOAuth2();
        props.remove("astro.oauth2.client.id");
        props.remove("astro.oauth2.client.secret");
        Map<String, List<String>> errors = ValidationErrors.of(props);
        assertTrue(errors.containsKey("astro.oauth2.client.id") && errors.containsKey("astro.oauth2.client.secret"),
                String.valueOf(errors));
    }

    @Test
    void aPlainHttpTokenEndpointBeyondLoopbackIsRefused() {
        Map<String, String> props = withOAuth2();
        props.put("astro.oauth2.token.url", "http://auth.example.com/oauth2/token");
        assertTrue(ValidationErrors.of(props).get("astro.oauth2.token.url").get(0).contains("clear text"));
        props.put("astro.oauth2.token.url", "http://127.0.0.1:8080/oauth2/token");
        assertEquals(Map.of(), ValidationErrors.of(props));
    }
}
