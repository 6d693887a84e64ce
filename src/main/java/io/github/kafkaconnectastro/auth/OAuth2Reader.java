package io.github.kafkaconnectastro.auth;

import io.github.kafkaconnectastro.protocol.TokenType;
import io.github.kafkaconnectastro.util.SafeText;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The OAuth2 tokens of every task but task 0: takes each access token task 0 saved in the offsets, and never calls
 * the token endpoint, whose refresh would use up the refresh token task 0 holds. It looks at the offsets when the
 * token it holds is due for renewal and every second from then on (from the start, before it has one), at least every
 * ten minutes in any case, and at once when the gateway refuses the token it holds.
 */
public final class OAuth2Reader extends OAuth2Credentials {

    private static final Logger log = LoggerFactory.getLogger(OAuth2Reader.class);
    /** How often a reader looks at the offsets while its token is due for renewal (or before it has one). */
    static final Duration READ_INTERVAL = Duration.ofSeconds(1);
    /** The longest a reader goes without looking, so that an operator's new refresh token reaches it too. */
    static final Duration MAX_READ_PAUSE = Duration.ofMinutes(10);

    /** Guarded by this: the blob last read from the offsets, so that an unchanged one is not decrypted again. */
    private String lastBlobRead;
    /** How long to wait for task 0's first token before failing the task. */
    private final Duration maxWait;
    /** Guarded by this: when the wait for task 0's first token began; null before the first look. */
    private Instant waitingSince;

    /**
     * @param tokenUrl     the endpoint task 0 refreshes at, named when the gateway refuses a token
     * @param storedOffset reads the credential's offset from the connector's offsets (null when there is none)
     */
    public OAuth2Reader(URI tokenUrl, CredentialCipher cipher, Supplier<Map<String, ?>> storedOffset, TokenType type,
                        Duration maxWait, Clock clock, Events events, String threadName) {
        super(SafeText.displayUri(tokenUrl), cipher, storedOffset, type, clock, events, threadName);
        this.maxWait = maxWait;
    }

    @Override
    boolean renewAfter(Password refused) {
        readOnce();
        return holdsAnotherThan(refused);
    }

    /** A look at the offsets; returns the pause before the next one. */
    @Override
    synchronized long workDue() {
        readOnce();
        StoredCredentials held = current();
        Instant now = clock.instant();
        if (held == null) {
            if (waitingSince == null) {
                waitingSince = now;
                log.info("Waiting for task 0 to obtain an OAuth2 access token and save it in the offsets (for up to "
                        + "{} s, astro.oauth2.token.wait.ms)", maxWait.toSeconds());
            }
            if (!now.isBefore(waitingSince.plus(maxWait))) {
                failWaiting();
                return NOTHING_MORE;
            }
        }
        Duration pause = held == null || !now.isBefore(held.grant().refreshAt()) ? READ_INTERVAL
                : Duration.between(now, held.grant().refreshAt());
        if (pause.compareTo(MAX_READ_PAUSE) > 0) {
            pause = MAX_READ_PAUSE;
        }
        return pause.toMillis();
    }

    /**
     * Fails the task rather than leaving it RUNNING with nothing flowing and nothing said: task 0 has not saved a
     * token in all this time, which no wait of this task mends.
     */
    private void failWaiting() {
        String reason = "No OAuth2 access token from task 0 after " + maxWait.toSeconds() + " s (astro.oauth2.token"
                + ".wait.ms): task 0 alone refreshes at " + tokenUrl + " and saves the token in the offsets, and none "
                + "is there. Check task 0's status and log (GET /connectors/<name>/status; a refused refresh token "
                + "fails it), that it can write heartbeat.topic, and offset.flush.interval.ms; then restart this task.";
        log.error("{}", reason);
        events.failed(new ConnectException(reason));
    }

    /** Takes the token task 0 saved last, when it is another than the one held. Called under this object's lock. */
    private void readOnce() {
        String blob;
        try {
            blob = storedBlob();
        } catch (RuntimeException e) {
            log.debug("Could not read the OAuth2 token from the offsets", e);
            blob = null;
        }
        if (blob != null && !blob.equals(lastBlobRead)) {
            lastBlobRead = blob;
            Optional<StoredCredentials> stored = decrypt(blob);
            StoredCredentials held = current();
            // A blob task 0 kept for its refresh token alone holds no new access token, which is all a reader uses.
            if (stored.isPresent() && stored.get().grant().hasAccessToken() && (held == null
                    || !stored.get().grant().accessToken().equals(held.grant().accessToken()))) {
                take(stored.get());
            }
        }
    }
}
