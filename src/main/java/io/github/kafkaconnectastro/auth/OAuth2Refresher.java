package io.github.kafkaconnectastro.auth;

import io.github.kafkaconnectastro.protocol.TokenType;
import io.github.kafkaconnectastro.util.Backoff;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Task 0's OAuth2 tokens: refreshes each access token before it expires, from the newest refresh token there is (the
 * one kept in the offsets, or the configured one once an operator has put a new one there), and hands each result,
 * encrypted, to the task to keep in the offsets ({@link #takeBlobToSave()}), where the other tasks read it and where
 * task 0 finds its refresh token again after a restart. A refusal of the refresh token fails the task.
 */
public final class OAuth2Refresher extends OAuth2Credentials {

    private static final Logger log = LoggerFactory.getLogger(OAuth2Refresher.class);
    /**
     * The shortest time between two calls of this thread to the token endpoint, whatever the answers' expires_in or
     * the backoff's jitter say, so that no answer makes it call back to back. Below half the shortest lifetime the
     * client takes, so that a token is still refreshed before it expires.
     */
    static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(5);

    private final OAuth2Client client;
    private final Password configuredRefreshToken;
    private final Backoff retries = retryBackoff();
    private final AtomicReference<String> blobToSave = new AtomicReference<>();
    private volatile boolean failed;
    /** Guarded by this: an access token obtained because its predecessor was refused; refused too, it is final. */
    private Password renewedAfterRefusal;

    /** @param storedBlob reads the encrypted blob from the connector's offsets (null when there is none) */
    public OAuth2Refresher(OAuth2Client client, Password configuredRefreshToken, CredentialCipher cipher,
                           Supplier<String> storedBlob, TokenType type, Clock clock, Events events, String threadName) {
        super(client.tokenUrl(), cipher, storedBlob, type, clock, events, threadName);
        this.client = client;
        this.configuredRefreshToken = configuredRefreshToken;
    }

    /** The blob of the latest refresh, to be saved with a record of the next {@code poll()}; null when none is new. */
    public String takeBlobToSave() {
        return blobToSave.getAndSet(null);
    }

    @Override
    boolean renewAfter(Password refused) {
        StoredCredentials held = current();
        if (held == null || failed || refused.equals(renewedAfterRefusal)) {
            return false;
        }
        if (!refresh(held.grant().refreshToken(), held.seq(), held.origin())) {
            return false;
        }
        renewedAfterRefusal = current().grant().accessToken();
        return true;
    }

    @Override
    synchronized long workDue() {
        return current() == null ? startRefreshing() : refreshDue();
    }

    /** The first step: the newest of the kept and the configured refresh token, and a refresh when due. */
    private long startRefreshing() {
        Optional<StoredCredentials> stored = decrypt(storedBlob());
        if (stored.isPresent() && stored.get().descendsFrom(configuredRefreshToken)) {
            StoredCredentials kept = stored.get();
            log.info("Using the OAuth2 refresh token kept in the offsets (refresh #{} of astro.oauth2.refresh.token)",
                    kept.seq());
            if (clock.instant().isBefore(kept.grant().refreshAt())) {
                take(kept);
                return untilRefresh(kept.grant().refreshAt());
            }
            return refreshOrRetry(kept.grant().refreshToken(), kept.seq(), kept.origin());
        }
        if (stored.isPresent()) {
            log.info("astro.oauth2.refresh.token was changed since the connector last refreshed; using it");
        }
        return refreshOrRetry(configuredRefreshToken, 0, StoredCredentials.fingerprint(configuredRefreshToken));
    }

    private long refreshDue() {
        StoredCredentials held = current();
        if (held == null || failed) {
            return NOTHING_MORE;
        }
        return refreshOrRetry(held.grant().refreshToken(), held.seq(), held.origin());
    }

    private long refreshOrRetry(Password presented, long seq, String origin) {
        if (refresh(presented, seq, origin)) {
            retries.reset();
            return Math.max(untilRefresh(current().grant().refreshAt()), MIN_REFRESH_INTERVAL.toMillis());
        }
        return failed ? NOTHING_MORE : Math.max(retries.nextDelayMs(), MIN_REFRESH_INTERVAL.toMillis());
    }

    /** One refresh; true when a new access token is in use. A permanent refusal fails the task. */
    private boolean refresh(Password presented, long seq, String origin) {
        TokenGrant grant;
        try {
            grant = client.refresh(presented);
        } catch (OAuth2Exception e) {
            if (e.permanent()) {
                failed = true;
                String reason = "Could not refresh the OAuth2 access token: " + e.getMessage() + ". The refresh token "
                        + "was refused: it was used already (StreamElements replaces it on each use), revoked, or "
                        + "belongs to another client than astro.oauth2.client.id. Obtain a new one through the OAuth2 "
                        + "authorization flow, set astro.oauth2.refresh.token to it and restart the connector.";
                log.error("{}", reason);
                events.failed(new ConnectException(reason));
            } else {
                if (e.rotatedRefreshToken() != null) {
                    keepRotated(e.rotatedRefreshToken(), seq, origin);
                }
                log.warn("Could not refresh the OAuth2 access token: {}; trying again (the current one expires at "
                        + "{})", e.getMessage(), expiry() == null ? "(none yet)" : expiry());
                events.attemptFailed();
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        StoredCredentials next = new StoredCredentials(grant, seq + 1, origin);
        blobToSave.set(encrypt(next));
        take(next);
        log.info("Refreshed the OAuth2 access token; it expires at {}, the next refresh is at {}",
                grant.expiresAt(), grant.refreshAt());
        return true;
    }

    /**
     * Keeps the refresh token of an answer that had no usable access token, in memory and (with the access token in
     * use, if any) in the offsets: the endpoint has spent the one presented, so the next try must present this one.
     */
    private void keepRotated(Password rotated, long seq, String origin) {
        StoredCredentials held = current();
        Instant now = clock.instant();
        TokenGrant grant = held != null && held.grant().hasAccessToken()
                ? new TokenGrant(held.grant().accessToken(), rotated, held.grant().obtainedAt(), held.grant().expiresAt())
                : new TokenGrant(new Password(""), rotated, now, now);
        StoredCredentials next = new StoredCredentials(grant, seq + 1, origin);
        keep(next);
        blobToSave.set(encrypt(next));
    }

    private long untilRefresh(Instant at) {
        return Math.max(0, Duration.between(clock.instant(), at).toMillis());
    }
}
