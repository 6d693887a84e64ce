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
 *
 * <p>The token endpoint replaces the refresh token on every use, so a refresh whose result does not reach the
 * offsets leaves the next task 0 with a spent token ({@code invalid_grant}, FAILED). Connect writes an offset only
 * with a record that {@code poll()} returned, and does not poll a stopping or a paused task; it does send what a
 * {@code poll()} in progress returns, and commits it at stop. So this class has no thread of its own: the task's
 * {@code poll()} calls {@link #refreshIfDue()} and returns the blob in the same batch. A task that is stopped
 * before it is polled, or is paused, never rotates; a refresh in progress when a stop is asked for ends (within the
 * client's timeout) and its result is committed with the final offsets. A refusal seen by the session is renewed by
 * the next {@code poll()} too, the session waiting for it ({@link #renewAfter}).
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
    /** Guarded by this: the access token the gateway refused, for the next poll to renew; null when none is. */
    private Password refusalToRenew;
    /** Guarded by this: when the next refresh is due, in the clock's millis; 0 so that the first poll starts. */
    private long nextWorkAtMs;
    /** Guarded by this: closed, so that a session waiting for a renewal polls will never come does not wait on. */
    private boolean closed;

    /** @param storedBlob reads the encrypted blob from the connector's offsets (null when there is none) */
    public OAuth2Refresher(OAuth2Client client, Password configuredRefreshToken, CredentialCipher cipher,
                           Supplier<String> storedBlob, TokenType type, Clock clock, Events events, String threadName) {
        super(client.tokenUrl(), cipher, storedBlob, type, clock, events, threadName);
        this.client = client;
        this.configuredRefreshToken = configuredRefreshToken;
    }

    /** No thread: the token endpoint is called from {@code poll()} alone ({@link #refreshIfDue()}). */
    @Override
    public void start() {
    }

    /** The blob of the latest refresh, to be saved with a record of this {@code poll()}; null when none is new. */
    public String takeBlobToSave() {
        return blobToSave.getAndSet(null);
    }

    /**
     * Whether {@link #refreshIfDue()} has work now (the first token, a refresh due, a refusal to renew): then
     * {@code poll()} does not wait for notifications first, so that the first token comes right after start.
     */
    public synchronized boolean due() {
        return !closed && (refusalToRenew != null || clock.millis() >= nextWorkAtMs);
    }

    /**
     * Called by {@code poll()} alone, on the task's thread, which then returns {@link #takeBlobToSave()} in the same
     * batch: the only place where a rotated refresh token is sure to reach the offsets. Blocks for at most the time
     * one call of the token endpoint takes.
     */
    public synchronized void refreshIfDue() {
        if (closed) {
            return;
        }
        if (refusalToRenew != null) {
            renewRefused();
        } else if (clock.millis() >= nextWorkAtMs) {
            schedule(workDueOrRetry());
        }
    }

    /** Wakes a session waiting for a renewal: after close, no poll will do it. */
    @Override
    public void close() {
        super.close();
        synchronized (this) {
            closed = true;
            notifyAll();
        }
    }

    /**
     * On the session's thread, under this object's lock: hands the renewal to the next {@code poll()} and waits
     * for it, as a refresh made here could not be kept. The wait has no bound of its own: a paused task is not
     * polled, and must not rotate; it ends with the renewal, with close, or with an interrupt of the session.
     */
    @Override
    boolean renewAfter(Password refused) {
        if (current() == null || failed || refused.equals(renewedAfterRefusal)) {
            return false;
        }
        refusalToRenew = refused;
        try {
            while (refusalToRenew != null && !closed) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return holdsAnotherThan(refused);
    }

    /** The refresh a refusal asked for, at once (once per access token); the session waiting for it is woken. */
    private void renewRefused() {
        Password refused = refusalToRenew;
        try {
            StoredCredentials held = current();
            if (held != null && !failed && !holdsAnotherThan(refused)
                    && refresh(held.grant().refreshToken(), held.seq(), held.origin())) {
                renewedAfterRefusal = current().grant().accessToken();
                retries.reset();
                schedule(Math.max(untilRefresh(current().grant().refreshAt()), MIN_REFRESH_INTERVAL.toMillis()));
            }
        } catch (RuntimeException e) {
            // Like any unexpected error of refreshing, it must not end the task's poll(); the session is told no.
            log.error("Renewing the refused OAuth2 access token failed unexpectedly", e);
            events.attemptFailed();
        } finally {
            refusalToRenew = null;
            notifyAll();
        }
    }

    private void schedule(long delayMs) {
        nextWorkAtMs = delayMs == NOTHING_MORE ? Long.MAX_VALUE : clock.millis() + delayMs;
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
