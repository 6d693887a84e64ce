package io.github.kafkaconnectastro.auth;

import io.github.kafkaconnectastro.protocol.TokenType;
import io.github.kafkaconnectastro.util.Backoff;
import io.github.kafkaconnectastro.auth.Credentials;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * OAuth2 access tokens that the connector keeps fresh itself. One task, task 0 (the <em>refresher</em>), refreshes
 * before each access token expires and keeps the result, encrypted, in the connector's offsets; the other tasks
 * (<em>readers</em>) never call the token endpoint, and read the result from the offsets when the token they hold is
 * due for renewal. A refresh token is replaced on use, so two tasks refreshing would invalidate each other's:
 * with a single refresher, only one party ever presents a given refresh token. Why that holds across rebalances,
 * and what a crash between a refresh and its offset commit costs, is in docs/operations.md ("Tokens").
 *
 * <p>One daemon thread of its own does the refreshing and reading, so that neither {@code start()} nor
 * {@code poll()} waits for the token endpoint. {@link #token()} is null until the first token is known; the
 * session waits for it before connecting.
 */
public final class OAuth2Credentials implements Credentials, AutoCloseable {

    /** What the task hears from here. */
    public interface Events {
        /** A new access token came into use. */
        void renewed();

        /** Refreshing cannot work again without an operator: the task is to fail with this. */
        void failed(ConnectException reason);
    }

    private static final Logger log = LoggerFactory.getLogger(OAuth2Credentials.class);
    /** How often a reader looks at the offsets while its token is due for renewal (or before it has one). */
    static final Duration READ_INTERVAL = Duration.ofSeconds(1);
    /** The longest a reader goes without looking, so that an operator's new refresh token reaches it too. */
    static final Duration MAX_READ_PAUSE = Duration.ofMinutes(10);
    private static final Duration RETRY_INITIAL = Duration.ofSeconds(1);
    private static final Duration RETRY_MAX = Duration.ofMinutes(1);

    private final OAuth2Client client;
    private final CredentialCipher cipher;
    private final Supplier<String> storedBlob;
    private final Password configuredRefreshToken;
    private final boolean refresher;
    private final TokenType type;
    private final Clock clock;
    private final Events events;
    private final ScheduledExecutorService thread;
    private final Backoff retries = new Backoff(RETRY_INITIAL.toMillis(), RETRY_MAX.toMillis(), 2.0,
            () -> ThreadLocalRandom.current().nextDouble());
    private final AtomicLong version = new AtomicLong();
    private final AtomicReference<String> blobToSave = new AtomicReference<>();
    private volatile StoredCredentials current;
    private volatile boolean failed;
    /** Guarded by this: the blob last read from the offsets, so that an unchanged one is not decrypted again. */
    private String lastBlobRead;
    /** Guarded by this: an access token obtained because its predecessor was refused; refused too, it is final. */
    private Password renewedAfterRefusal;
    private boolean waitingLogged;

    /**
     * @param storedBlob reads the encrypted blob from the connector's offsets (null when there is none)
     * @param refresher  true for task 0, which refreshes; the others only read
     */
    public OAuth2Credentials(OAuth2Client client, CredentialCipher cipher, Supplier<String> storedBlob,
                             Password configuredRefreshToken, boolean refresher, TokenType type, Clock clock,
                             Events events, String threadName) {
        this.client = client;
        this.cipher = cipher;
        this.storedBlob = storedBlob;
        this.configuredRefreshToken = configuredRefreshToken;
        this.refresher = refresher;
        this.type = type;
        this.clock = clock;
        this.events = events;
        Map<String, String> context = MDC.getCopyOfContextMap();
        Map<String, String> logContext = context == null ? Collections.emptyMap() : context;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(() -> {
                MDC.setContextMap(logContext);
                runnable.run();
            }, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts obtaining the first token; returns at once. */
    public void start() {
        thread.execute(refresher ? this::startRefreshing : this::readAndReschedule);
    }

    @Override
    public Password token() {
        StoredCredentials now = current;
        return now == null ? null : now.grant().accessToken();
    }

    @Override
    public TokenType type() {
        return type;
    }

    @Override
    public long version() {
        return version.get();
    }

    /** When the access token in use expires; null before the first one. */
    public Instant expiry() {
        StoredCredentials now = current;
        return now == null ? null : now.grant().expiresAt();
    }

    /** The blob of the latest refresh, to be saved with a record of the next {@code poll()}; null when none is new. */
    public String takeBlobToSave() {
        return blobToSave.getAndSet(null);
    }

    @Override
    public synchronized boolean renewAfterRefusal(Password refused) {
        StoredCredentials held = current;
        if (held != null && !held.grant().accessToken().equals(refused)) {
            return true;
        }
        if (!refresher) {
            readOnce();
            held = current;
            return held != null && !held.grant().accessToken().equals(refused);
        }
        if (held == null || failed || refused.equals(renewedAfterRefusal)) {
            return false;
        }
        if (!refresh(held.grant().refreshToken(), held.seq(), held.origin())) {
            return false;
        }
        renewedAfterRefusal = current.grant().accessToken();
        return true;
    }

    @Override
    public String refusalHint() {
        return "The access token was obtained with astro.oauth2.client.id from " + client.tokenUrl() + " and "
                + "refreshed once more after the refusal; check that the refresh token was granted the scope this "
                + "topic needs (e.g. activities:read for channel.activities) for this channel.";
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** Task 0's first step: the newest of the kept and the configured refresh token, and a refresh when due. */
    private synchronized void startRefreshing() {
        Optional<StoredCredentials> stored = decrypt(storedBlob.get());
        if (stored.isPresent() && stored.get().descendsFrom(configuredRefreshToken)) {
            StoredCredentials kept = stored.get();
            log.info("Using the OAuth2 refresh token kept in the offsets (refresh #{} of astro.oauth2.refresh.token)",
                    kept.seq());
            if (clock.instant().isBefore(kept.grant().refreshAt())) {
                take(kept);
                scheduleRefresh(kept.grant().refreshAt());
                return;
            }
            refreshOrRetry(kept.grant().refreshToken(), kept.seq(), kept.origin());
            return;
        }
        if (stored.isPresent()) {
            log.info("astro.oauth2.refresh.token was changed since the connector last refreshed; using it");
        }
        refreshOrRetry(configuredRefreshToken, 0, StoredCredentials.fingerprint(configuredRefreshToken));
    }

    private synchronized void refreshDue() {
        StoredCredentials held = current;
        if (held != null && !failed) {
            refreshOrRetry(held.grant().refreshToken(), held.seq(), held.origin());
        }
    }

    private void refreshOrRetry(Password presented, long seq, String origin) {
        if (refresh(presented, seq, origin)) {
            retries.reset();
            scheduleRefresh(current.grant().refreshAt());
        } else if (!failed) {
            long delay = retries.nextDelayMs();
            thread.schedule(current == null ? this::startRefreshing : this::refreshDue, Math.max(delay, 100),
                    TimeUnit.MILLISECONDS);
        }
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
                StoredCredentials held = current;
                log.warn("Could not refresh the OAuth2 access token: {}; trying again (the current one expires at "
                        + "{})", e.getMessage(), held == null ? "(none yet)" : held.grant().expiresAt());
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        StoredCredentials next = new StoredCredentials(grant, seq + 1, origin);
        blobToSave.set(cipher.encrypt(next.toJson()));
        take(next);
        log.info("Refreshed the OAuth2 access token; it expires at {}, the next refresh is at {}",
                grant.expiresAt(), grant.refreshAt());
        return true;
    }

    private void scheduleRefresh(Instant at) {
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        thread.schedule(this::refreshDue, delay, TimeUnit.MILLISECONDS);
    }

    /** A reader's periodic look at the offsets: when its token is due for renewal, every second. */
    private synchronized void readAndReschedule() {
        readOnce();
        StoredCredentials held = current;
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
        if (!thread.isShutdown()) {
            thread.schedule(this::readAndReschedule, pause.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Takes the token task 0 saved last, when it is another than the one held. */
    private synchronized void readOnce() {
        String blob;
        try {
            blob = storedBlob.get();
        } catch (RuntimeException e) {
            log.debug("Could not read the OAuth2 token from the offsets", e);
            blob = null;
        }
        if (blob != null && !blob.equals(lastBlobRead)) {
            lastBlobRead = blob;
            Optional<StoredCredentials> stored = decrypt(blob);
            StoredCredentials held = current;
            if (stored.isPresent() && (held == null || stored.get().seq() != held.seq()
                    || !stored.get().origin().equals(held.origin()))) {
                take(stored.get());
            }
        }
    }

    private Optional<StoredCredentials> decrypt(String blob) {
        if (blob == null) {
            return Optional.empty();
        }
        Optional<StoredCredentials> stored = cipher.decrypt(blob).flatMap(StoredCredentials::fromJson);
        if (stored.isEmpty()) {
            log.warn("The OAuth2 token kept in the offsets cannot be read with this astro.oauth2.client.secret and "
                    + "astro.oauth2.client.id (they changed, or the offset was altered); ignoring it");
        }
        return stored;
    }

    private void take(StoredCredentials next) {
        current = next;
        version.incrementAndGet();
        events.renewed();
    }
}
