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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Task 0's OAuth2 tokens: refreshes each access token before it expires, from the newest refresh token there is (the
 * one kept in the offsets, or the configured one once an operator has put a new one there), and hands each result,
 * encrypted, to the task to keep in the offsets ({@link #takeOffsetToSave()}), where the other tasks read it and where
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
    private final AtomicReference<Map<String, String>> offsetToSave = new AtomicReference<>();
    private volatile boolean failed;
    /**
     * Guarded by this: the offsets held a blob that neither client secret could read, saved without the origin that
     * would tell whether the configured refresh token is spent, which was therefore presented; a refusal of it then
     * names the previous secret too.
     */
    private boolean keptUnreadable;
    /** Guarded by this: an access token obtained because its predecessor was refused; refused too, it is final. */
    private Password renewedAfterRefusal;
    /** Guarded by this: the access token the gateway refused, for the next poll to renew; null when none is. */
    private Password refusalToRenew;
    /** Guarded by this: when the next refresh is due, in the clock's millis; 0 so that the first poll starts. */
    private long nextWorkAtMs;
    /** Guarded by this: closed, so that a session waiting for a renewal polls will never come does not wait on. */
    private boolean closed;

    /** @param storedOffset reads the credential's offset from the connector's offsets (null when there is none) */
    public OAuth2Refresher(OAuth2Client client, Password configuredRefreshToken, CredentialCipher cipher,
                           Supplier<Map<String, ?>> storedOffset, TokenType type, Clock clock, Events events,
                           String threadName) {
        super(client.tokenUrl(), cipher, storedOffset, type, clock, events, threadName);
        this.client = client;
        this.configuredRefreshToken = configuredRefreshToken;
    }

    /** No thread: the token endpoint is called from {@code poll()} alone ({@link #refreshIfDue()}). */
    @Override
    public void start() {
    }

    /**
     * The offset ({@link CredentialOffsets#offset}) of the latest refresh, or of the kept token saved again with the
     * current client secret, to be saved with a record of this {@code poll()}; null when none is new.
     */
    public Map<String, String> takeOffsetToSave() {
        return offsetToSave.getAndSet(null);
    }

    /**
     * Whether {@link #refreshIfDue()} has work now (the first token, a refresh due, a refusal to renew): then
     * {@code poll()} does not wait for notifications first, so that the first token comes right after start.
     */
    public synchronized boolean due() {
        return !closed && (refusalToRenew != null || clock.millis() >= nextWorkAtMs);
    }

    /**
     * Called by {@code poll()} alone, on the task's thread, which then returns {@link #takeOffsetToSave()} in the same
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
        client.close();
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

    /**
     * The first step: the newest of the kept and the configured refresh token, and a refresh when due. A kept token
     * read with the previous client secret, or saved without its origin beside it, is saved again at once.
     */
    private long startRefreshing() {
        Map<String, ?> offset = storedOffset();
        Optional<Read> read = read(CredentialOffsets.blobOf(offset));
        String configured = StoredCredentials.fingerprint(configuredRefreshToken);
        String origin = CredentialOffsets.originOf(offset);
        if (read.isEmpty() && CredentialOffsets.blobOf(offset) != null) {
            if (configured.equals(origin)) {
                return failSpent();
            }
            // Saved before the origin was kept beside the blob: whether the configured token is spent is unknown.
            keptUnreadable = origin == null;
        }
        Optional<StoredCredentials> stored = read.map(Read::stored);
        if (stored.isPresent() && stored.get().descendsFrom(configuredRefreshToken)) {
            StoredCredentials kept = stored.get();
            log.info("Using the OAuth2 refresh token kept in the offsets (refresh #{} of astro.oauth2.refresh.token)",
                    kept.seq());
            if (read.get().withPrevious() || !configured.equals(origin)) {
                // A refresh due now saves its own result in place of this.
                offsetToSave.set(offsetOf(kept));
            }
            if (clock.instant().isBefore(kept.grant().refreshAt())) {
                take(kept);
                return untilRefresh(kept.grant().refreshAt());
            }
            return refreshOrRetry(kept.grant().refreshToken(), kept.seq(), kept.origin());
        }
        if (stored.isPresent()) {
            log.info("astro.oauth2.refresh.token was changed since the connector last refreshed; using it");
        }
        return refreshOrRetry(configuredRefreshToken, 0, configured);
    }

    /**
     * Fails the task rather than present the configured refresh token, which the kept one descends from and which
     * the endpoint has therefore spent, when the kept one cannot be read.
     */
    private long failSpent() {
        failed = true;
        String reason = "The OAuth2 refresh token kept in the offsets cannot be read with astro.oauth2.client.secret"
                + (hasPreviousSecret() ? " (nor with astro.oauth2.client.secret.previous)" : "") + " for this "
                + "astro.oauth2.client.id, and astro.oauth2.refresh.token is the refresh token it descends from, "
                + "which the token endpoint replaced on first use: presenting it again would be refused, so it is not "
                + "presented. If the client secret was changed, set astro.oauth2.client.secret.previous to the one in "
                + "use before (the kept token is then read with it and saved again with the new one); otherwise obtain "
                + "a new refresh token through the OAuth2 authorization flow and set astro.oauth2.refresh.token to it. "
                + "A configuration change restarts the task.";
        log.error("{}", reason);
        events.failed(new ConnectException(reason));
        return NOTHING_MORE;
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
                        + "authorization flow, set astro.oauth2.refresh.token to it and restart the connector."
                        + (keptUnreadable ? " The refresh token kept in the offsets could not be read: if "
                        + "astro.oauth2.client.secret was changed, set astro.oauth2.client.secret.previous to the one "
                        + "in use before instead." : "");
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
        offsetToSave.set(offsetOf(next));
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
        offsetToSave.set(offsetOf(next));
    }

    private long untilRefresh(Instant at) {
        return Math.max(0, Duration.between(clock.instant(), at).toMillis());
    }
}
