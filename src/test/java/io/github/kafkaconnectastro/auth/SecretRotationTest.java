package io.github.kafkaconnectastro.auth;

import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.emulator.OAuth2Endpoint;
import io.github.kafkaconnectastro.protocol.TokenType;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client secret rotated under a kept refresh token: read with astro.oauth2.client.secret.previous and saved again
 * with the new secret; without it, task 0 fails at once rather than present the spent configured refresh token.
 * Each {@code poll()} of task 0 is one {@link OAuth2Refresher#refreshIfDue()} on the test's thread.
 */
class SecretRotationTest {

    private static final String CLIENT = "client-1";
    private static final String OLD = "old-client-secret";
    private static final String NEW = "new-client-secret";

    private AstroEmulator gateway;
    private OAuth2Endpoint endpoint;
    /** The connector's offsets: the credential partition's offset as committed. */
    private final AtomicReference<Map<String, ?>> offsets = new AtomicReference<>();
    private final AtomicReference<ConnectException> failure = new AtomicReference<>();
    private final OAuth2Credentials.Events events = new OAuth2Credentials.Events() {
        @Override
        public void renewed() {
        }

        @Override
        public void failed(ConnectException reason) {
            failure.set(reason);
        }

        @Override
        public void attemptFailed() {
        }
    };

    @BeforeEach
    void start() {
        gateway = AstroEmulator.start();
        endpoint = OAuth2Endpoint.start(gateway, CLIENT, OLD, "own");
    }

    @AfterEach
    void stop() {
        endpoint.close();
        gateway.close();
    }

    /** Task 0 started with these secrets and {@code configured}; its first poll done and committed. */
    private OAuth2Refresher pollOnce(String secret, String previous, String configured) {
        OAuth2Client client = new OAuth2Client(endpoint.tokenUrl(), CLIENT, new Password(secret),
                Duration.ofSeconds(5), Clock.systemUTC());
        OAuth2Refresher refresher = new OAuth2Refresher(client, new Password(configured),
                new CredentialCipher(secret, previous, CLIENT), offsets::get, TokenType.OAUTH2, Clock.systemUTC(),
                events, "rotation-test");
        refresher.refreshIfDue();
        Map<String, String> saved = refresher.takeOffsetToSave();
        if (saved != null) {
            offsets.set(saved);
        }
        refresher.close();
        return refresher;
    }

    @Test
    void aTokenKeptWithThePreviousSecretIsReadAndSavedAgainWithTheNewOne() {
        String configured = endpoint.issueRefreshToken();
        Password first = pollOnce(OLD, null, configured).token();
        assertNotNull(first);
        Map<String, ?> old = offsets.get();
        endpoint.acceptClientSecrets(NEW);

        OAuth2Reader reader = new OAuth2Reader(endpoint.tokenUrl(), new CredentialCipher(NEW, OLD, CLIENT),
                offsets::get, TokenType.OAUTH2, Duration.ofMinutes(1), Clock.systemUTC(), events, "rotation-test");
        reader.workDue();
        assertEquals(first, reader.token(), "another task did not read the kept token with the previous secret");

        OAuth2Refresher rotated = pollOnce(NEW, OLD, configured);
        assertEquals(first, rotated.token(), "the kept access token, not yet due, is used as is");
        assertEquals(1, endpoint.refreshCount(), "nothing was refreshed for the rotation");
        String blob = CredentialOffsets.blobOf(offsets.get());
        assertFalse(blob.equals(CredentialOffsets.blobOf(old)), "the kept token was not saved again");
        assertTrue(new CredentialCipher(NEW, CLIENT).decrypt(blob).isPresent(), "not saved with the new secret");
        assertEquals(Optional.empty(), new CredentialCipher(OLD, CLIENT).decrypt(blob));
        assertEquals(StoredCredentials.fingerprint(new Password(configured)),
                CredentialOffsets.originOf(offsets.get()));

        // The previous secret removed once that was committed: the kept token is read, and refreshed when due.
        assertEquals(first, pollOnce(NEW, null, configured).token());
        assertNull(failure.get());
        assertEquals(0, endpoint.refusalCount());
    }

    @Test
    void aKeptTokenThatNoSecretReadsFailsTask0AtOnceWithoutPresentingTheSpentRefreshToken() {
        String configured = endpoint.issueRefreshToken();
        pollOnce(OLD, null, configured);
        endpoint.acceptClientSecrets(NEW);

        OAuth2Refresher rotated = pollOnce(NEW, "some-other-secret", configured);
        assertNull(rotated.token());
        assertEquals(1, endpoint.refreshCount() + endpoint.refusalCount(), "the spent refresh token was presented");
        assertNotNull(failure.get(), "task 0 did not fail");
        String reason = failure.get().getMessage();
        assertTrue(reason.contains("cannot be read with astro.oauth2.client.secret (nor with "
                + "astro.oauth2.client.secret.previous)")
                && reason.contains("set astro.oauth2.client.secret.previous to the one in use before")
                && reason.contains("set astro.oauth2.refresh.token to it"), reason);
        for (String secret : new String[] {OLD, NEW, configured, "some-other-secret"}) {
            assertFalse(reason.contains(secret), "a secret in the reason");
        }
    }

    @Test
    void aNewConfiguredRefreshTokenIsUsedWhenTheKeptOneCannotBeRead() {
        pollOnce(OLD, null, endpoint.issueRefreshToken());
        endpoint.acceptClientSecrets(NEW);
        String fresh = endpoint.issueRefreshToken();

        OAuth2Refresher rotated = pollOnce(NEW, null, fresh);
        assertNotNull(rotated.token());
        assertNull(failure.get());
        assertEquals(2, endpoint.refreshCount());
        assertEquals(StoredCredentials.fingerprint(new Password(fresh)), CredentialOffsets.originOf(offsets.get()));
    }

    /** An offset saved before the origin was kept beside the blob takes it at the next start. */
    @Test
    void anOffsetWithoutItsOriginTakesItAtTheNextStart() {
        String configured = endpoint.issueRefreshToken();
        pollOnce(OLD, null, configured);
        Map<String, Object> older = new HashMap<>(offsets.get());
        older.remove(CredentialOffsets.OFFSET_ORIGIN);
        offsets.set(older);

        pollOnce(OLD, null, configured);
        assertEquals(StoredCredentials.fingerprint(new Password(configured)),
                CredentialOffsets.originOf(offsets.get()));
        assertEquals(1, endpoint.refreshCount());
    }

    /** Without the origin, an unreadable blob cannot tell that the configured token is spent: the refusal says why. */
    @Test
    void aRefusalAfterAnUnreadableOffsetWithoutOriginNamesThePreviousSecret() {
        String configured = endpoint.issueRefreshToken();
        pollOnce(OLD, null, configured);
        offsets.set(Map.of(CredentialOffsets.OFFSET_BLOB, CredentialOffsets.blobOf(offsets.get())));
        endpoint.acceptClientSecrets(NEW);

        pollOnce(NEW, null, configured);
        assertNotNull(failure.get(), "task 0 did not fail");
        String reason = failure.get().getMessage();
        assertTrue(reason.contains("invalid_grant") && reason.contains("set astro.oauth2.client.secret.previous"),
                reason);
    }
}
