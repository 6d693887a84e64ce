package io.github.kafkaconnectastro.auth;

import io.github.kafkaconnectastro.protocol.TokenType;
import io.github.kafkaconnectastro.util.SafeText;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    /** Guarded by this. */
    private boolean waitingLogged;

    /**
     * @param tokenUrl   the endpoint task 0 refreshes at, named when the gateway refuses a token
     * @param storedBlob reads the encrypted blob from the connector's offsets (null when there is none)
     */
    public OAuth2Reader(URI tokenUrl, CredentialCipher cipher, Supplier<String> storedBlob, TokenType type,
                        Clock clock, Events events, String threadName) {
        super(SafeText.displayUri(tokenUrl), cipher, storedBlob, type, clock, events, threadName);
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
        if (held == null && !waitingLogged) {
            waitingLogged = true;
            log.info("Waiting for task 0 to obtain an OAuth2 access token and save it in the offsets");
        }
        Instant now = clock.instant();
        Duration pause = held == null || !now.isBefore(held.grant().refreshAt()) ? READ_INTERVAL
                : Duration.between(now, held.grant().refreshAt());
        if (pause.compareTo(MAX_READ_PAUSE) > 0) {
            pause = MAX_READ_PAUSE;
        }
        return pause.toMillis();
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
            if (stored.isPresent() && (held == null || stored.get().seq() != held.seq()
                    || !stored.get().origin().equals(held.origin()))) {
                take(stored.get());
            }
        }
    }
}
