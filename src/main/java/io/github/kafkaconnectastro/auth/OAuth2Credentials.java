package io.github.kafkaconnectastro.auth;

import io.github.kafkaconnectastro.protocol.TokenType;
import io.github.kafkaconnectastro.util.Backoff;
import io.github.kafkaconnectastro.util.OnDemandThread;
import io.github.kafkaconnectastro.util.WorkerTimer;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * OAuth2 access tokens that the connector keeps fresh itself, in one of two roles. One task, task 0, is the
 * {@link OAuth2Refresher}: it refreshes before each access token expires and keeps the result, encrypted, in the
 * connector's offsets. The other tasks are {@link OAuth2Reader}s: they never call the token endpoint, and read the
 * result from the offsets when the token they hold is due for renewal. A refresh token is replaced on use, so two
 * tasks refreshing would invalidate each other's: with a single refresher, only one party ever presents a given
 * refresh token. Why that holds across rebalances, and what a crash between a refresh and its offset commit costs,
 * is in docs/operations.md ("Tokens").
 *
 * <p>A reader works on a daemon thread of its own that exists only while it looks at the offsets
 * ({@link OnDemandThread}); between looks, the worker's one {@link WorkerTimer} wakes it when the next is due, so
 * that neither {@code start()} nor {@code poll()} waits for the offsets and an idle task holds no thread for it.
 * The refresher has no thread: it calls the token endpoint only on the task's thread, inside {@code poll()},
 * because the endpoint replaces the refresh token on each use and only what {@code poll()} returns is sure to reach
 * the offsets ({@link OAuth2Refresher}). {@link #token()} is null until the first token is known; the session waits
 * for it before connecting.
 */
public abstract sealed class OAuth2Credentials implements Credentials, AutoCloseable
        permits OAuth2Refresher, OAuth2Reader {

    /** What the task hears from here. */
    public interface Events {
        /** A new access token came into use. */
        void renewed();

        /** Refreshing cannot work again without an operator: the task is to fail with this. */
        void failed(ConnectException reason);

        /** An attempt to obtain a token (a refresh, or a read of task 0's) failed; it is tried again. */
        void attemptFailed();
    }

    /** What {@link #workDue()} returns when nothing more is to be done until the task stops. */
    static final long NOTHING_MORE = -1;

    private static final Logger log = LoggerFactory.getLogger(OAuth2Credentials.class);
    private static final Duration RETRY_INITIAL = Duration.ofSeconds(1);
    private static final Duration RETRY_MAX = Duration.ofMinutes(1);

    final Clock clock;
    final Events events;
    /** The token endpoint as shown in messages. */
    final String tokenUrl;
    private final CredentialCipher cipher;
    private final Supplier<Map<String, ?>> storedOffset;
    private final TokenType type;
    private final String threadName;
    /**
     * A reader's thread while it works (the refresher starts none). Closing interrupts it without waiting for it: it
     * only reads the offsets and holds nothing that must be released.
     */
    private final OnDemandThread thread = new OnDemandThread(this::runDue, Duration.ZERO);
    /** Guards the two below; not this, which a refresh in progress holds. */
    private final Object wakeLock = new Object();
    /** The timer's wake-up for the next look; null when none is scheduled. */
    private ScheduledFuture<?> nextWake;
    private boolean stopped;
    private final AtomicLong version = new AtomicLong();
    private final Backoff errorRetries = retryBackoff();
    private volatile StoredCredentials current;

    /**
     * @param tokenUrl     the token endpoint as shown in messages
     * @param storedOffset reads the credential's offset ({@link CredentialOffsets}) from the connector's offsets
     *                     (null when there is none)
     */
    OAuth2Credentials(String tokenUrl, CredentialCipher cipher, Supplier<Map<String, ?>> storedOffset,
                      TokenType type, Clock clock, Events events, String threadName) {
        this.tokenUrl = tokenUrl;
        this.cipher = cipher;
        this.storedOffset = storedOffset;
        this.type = type;
        this.clock = clock;
        this.events = events;
        this.threadName = threadName;
    }

    /** Starts obtaining the first token; returns at once. */
    public void start() {
        thread.start(threadName);
        thread.wake();
    }

    @Override
    public Password token() {
        StoredCredentials now = current;
        return now == null || !now.grant().hasAccessToken() ? null : now.grant().accessToken();
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
        return now == null || !now.grant().hasAccessToken() ? null : now.grant().expiresAt();
    }

    @Override
    public final synchronized boolean renewAfterRefusal(Password refused) {
        return holdsAnotherThan(refused) || renewAfter(refused);
    }

    @Override
    public String refusalHint() {
        return "The access token was obtained with astro.oauth2.client.id from " + tokenUrl + " and "
                + "refreshed once more after the refusal; check that the refresh token was granted the scope this "
                + "topic needs (e.g. activities:read for channel.activities) for this channel.";
    }

    @Override
    public void close() {
        synchronized (wakeLock) {
            stopped = true;
            if (nextWake != null) {
                nextWake.cancel(false);
                nextWake = null;
            }
        }
        thread.close();
    }

    /**
     * Called under this object's lock, on the session's thread, when the gateway refused the token held: obtains
     * another one if the role can; true when one other than {@code refused} is now held.
     */
    abstract boolean renewAfter(Password refused);

    /** The role's work that is due now; returns the milliseconds until more is due, or {@link #NOTHING_MORE}. */
    abstract long workDue();

    /** Retries 1 s apart at first, then up to a minute apart, jittered. */
    static Backoff retryBackoff() {
        return new Backoff(RETRY_INITIAL.toMillis(), RETRY_MAX.toMillis(), 2.0,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The work due now, on the reader's thread; the timer wakes the thread again when more is due. */
    private void runDue() {
        if (Thread.currentThread().isInterrupted()) {
            log.debug("OAuth2 token thread interrupted; stopping");
            return;
        }
        long delayMs = workDueOrRetry();
        if (delayMs == NOTHING_MORE) {
            return;
        }
        synchronized (wakeLock) {
            if (!stopped) {
                nextWake = WorkerTimer.schedule(thread::wake, delayMs);
            }
        }
    }

    /**
     * The role's work, an unexpected error of which is retried with backoff: a thread that ended on it would leave
     * the task RUNNING with a token that nobody renews.
     */
    long workDueOrRetry() {
        try {
            long delayMs = workDue();
            errorRetries.reset();
            return delayMs;
        } catch (RuntimeException e) {
            long delayMs = Math.max(errorRetries.nextDelayMs(), RETRY_INITIAL.toMillis());
            log.error("Keeping the OAuth2 access token fresh failed unexpectedly; trying again in {} ms", delayMs, e);
            events.attemptFailed();
            return delayMs;
        }
    }

    StoredCredentials current() {
        return current;
    }

    boolean holdsAnotherThan(Password refused) {
        StoredCredentials held = current;
        return held != null && held.grant().hasAccessToken() && !held.grant().accessToken().equals(refused);
    }

    /** The credential's offset task 0 saved last; null when there is none. */
    Map<String, ?> storedOffset() {
        return storedOffset.get();
    }

    /** The blob task 0 saved last in the offsets; null when there is none. */
    String storedBlob() {
        return CredentialOffsets.blobOf(storedOffset());
    }

    /** The offset that keeps {@code credentials}, encrypted with the current client secret. */
    Map<String, String> offsetOf(StoredCredentials credentials) {
        return CredentialOffsets.offset(cipher.encrypt(credentials.toJson()), credentials.origin());
    }

    /** Whether astro.oauth2.client.secret.previous is set, for messages. */
    boolean hasPreviousSecret() {
        return cipher.hasPrevious();
    }

    Optional<StoredCredentials> decrypt(String blob) {
        return read(blob).map(Read::stored);
    }

    /** What a blob held, and whether only the previous client secret could read it. */
    record Read(StoredCredentials stored, boolean withPrevious) {
    }

    /** The blob's credentials: with the current client secret, else the previous one; empty when neither reads it. */
    Optional<Read> read(String blob) {
        if (blob == null) {
            return Optional.empty();
        }
        Optional<Read> read = cipher.open(blob).flatMap(opened -> StoredCredentials.fromJson(opened.plaintext())
                .map(stored -> new Read(stored, opened.withPrevious())));
        if (read.isEmpty()) {
            log.warn("The OAuth2 token kept in the offsets cannot be read with this astro.oauth2.client.secret{} and "
                    + "astro.oauth2.client.id (they changed, or the offset was altered); ignoring it",
                    cipher.hasPrevious() ? " nor astro.oauth2.client.secret.previous" : "");
        } else if (read.get().withPrevious()) {
            log.info("Read the OAuth2 token kept in the offsets with astro.oauth2.client.secret.previous (it was "
                    + "saved before the client secret changed); task 0 saves it again with astro.oauth2.client.secret");
        }
        return read;
    }

    /** Holds {@code next} for its refresh token alone: the access token in use, if any, is unchanged. */
    void keep(StoredCredentials next) {
        current = next;
    }

    /** Puts {@code next} into use. */
    void take(StoredCredentials next) {
        current = next;
        version.incrementAndGet();
        events.renewed();
    }
}
