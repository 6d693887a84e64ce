package io.github.kafkaconnectastro.connector;

import io.github.kafkaconnectastro.config.AstroConnectionConfig;
import io.github.kafkaconnectastro.config.AstroSourceTaskConfig;

import io.github.kafkaconnectastro.auth.ConfiguredToken;
import io.github.kafkaconnectastro.auth.CredentialCipher;
import io.github.kafkaconnectastro.auth.CredentialOffsets;
import io.github.kafkaconnectastro.auth.ExpiryWarnings;
import io.github.kafkaconnectastro.auth.OAuth2Client;
import io.github.kafkaconnectastro.auth.OAuth2Credentials;
import io.github.kafkaconnectastro.auth.OAuth2Reader;
import io.github.kafkaconnectastro.auth.OAuth2Refresher;
import io.github.kafkaconnectastro.auth.Credentials;
import io.github.kafkaconnectastro.session.NotificationBuffer;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A task's token, as its configuration says: {@code astro.token} as given (its JWT expiry watched and warned about),
 * or OAuth2 tokens the connector refreshes itself (task 0 is the {@link OAuth2Refresher} and keeps the result in the
 * offsets, the other tasks are {@link OAuth2Reader}s and read it from there). What {@code poll()} has to do for it is
 * in {@link #due(long)}. It knows nothing of the metrics: they read {@link #expiry()} and are told of renewals.
 */
public final class TaskCredentials implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskCredentials.class);

    private final Credentials credentials;
    private final ConfiguredToken configured;
    private final ExpiryWarnings expiryWarnings;
    private final OAuth2Credentials oauth2;
    private final OAuth2Refresher refresher;
    private final String heartbeatTopic;
    private final String connectorName;
    /**
     * The record of task 0's latest refresh that {@code poll()} returned and Connect has not yet acknowledged
     * ({@link #acknowledged}); null when there is none. Still set at {@link #close()}: its offset was not committed.
     */
    private final AtomicReference<SourceRecord> unacknowledged = new AtomicReference<>();
    private volatile Instant unacknowledgedAt;

    private TaskCredentials(Credentials credentials, ConfiguredToken configured, OAuth2Credentials oauth2,
                            OAuth2Refresher refresher, String heartbeatTopic, String connectorName) {
        this.credentials = credentials;
        this.configured = configured;
        this.expiryWarnings = configured == null ? null : new ExpiryWarnings(AstroConnectionConfig.TOKEN.name());
        this.oauth2 = oauth2;
        this.refresher = refresher;
        this.heartbeatTopic = heartbeatTopic;
        this.connectorName = connectorName;
    }

    /**
     * Starts what the configuration asks for: another task than task 0 starts reading task 0's token from the
     * offsets at once, on a thread of its own; task 0 refreshes in {@link #due(long)}, that is in {@code poll()}. Either
     * fails the task through {@code buffer} when refreshing cannot work again.
     *
     * @param renewed       run each time a new access token came into use
     * @param attemptFailed run each time an attempt to obtain a token failed and is to be tried again
     */
    public static TaskCredentials start(AstroSourceTaskConfig config, String connectorName, OffsetStorageReader offsets,
                                        Runnable renewed, Runnable attemptFailed, NotificationBuffer buffer) {
        if (!config.oauth2()) {
            ConfiguredToken token = new ConfiguredToken(config.token(), config.tokenType(), Clock.systemUTC());
            return new TaskCredentials(token, token, null, null, null, connectorName);
        }
        Password previous = config.oauth2ClientSecretPrevious();
        CredentialCipher cipher = new CredentialCipher(config.oauth2ClientSecret().value(),
                previous == null ? null : previous.value(), config.oauth2ClientId());
        Supplier<Map<String, ?>> storedOffset = () -> offsets.offset(CredentialOffsets.PARTITION);
        OAuth2Credentials.Events events = new OAuth2Credentials.Events() {
            @Override
            public void renewed() {
                renewed.run();
            }

            @Override
            public void failed(ConnectException reason) {
                buffer.fail(reason);
            }

            @Override
            public void attemptFailed() {
                attemptFailed.run();
            }
        };
        String threadName = "astro-oauth2-" + connectorName + "-" + config.taskId();
        // Task 0 alone refreshes: the endpoint replaces a refresh token on use, so a second refresher would use up
        // the one task 0 holds.
        OAuth2Refresher refresher = null;
        OAuth2Credentials oauth2;
        if (config.taskId() == 0) {
            OAuth2Client client = new OAuth2Client(config.oauth2TokenUrl(), config.oauth2ClientId(),
                    config.oauth2ClientSecret(), config.connectTimeout(), Clock.systemUTC());
            refresher = new OAuth2Refresher(client, config.oauth2RefreshToken(), cipher, storedOffset,
                    config.tokenType(), Clock.systemUTC(), events, threadName);
            oauth2 = refresher;
        } else {
            oauth2 = new OAuth2Reader(config.oauth2TokenUrl(), cipher, storedOffset, config.tokenType(),
                    config.oauth2TokenWait(), Clock.systemUTC(), events, threadName);
        }
        oauth2.start();
        return new TaskCredentials(oauth2, null, oauth2, refresher, config.heartbeatTopic(), connectorName);
    }

    public Credentials credentials() {
        return credentials;
    }

    /** When the token in use expires; null while unknown (an opaque or overlay token, or none obtained yet). */
    public Instant expiry() {
        return oauth2 != null ? oauth2.expiry() : configured.expiry().orElse(null);
    }

    /** Whether {@link #due(long)} has a refresh to make now, so that {@code poll()} does not wait for notifications. */
    public boolean refreshDue() {
        return refresher != null && refresher.due();
    }

    /**
     * Called by every {@code poll()}: warns about a JWT running out when a warning is due; for task 0, refreshes when
     * due and returns the record that keeps the result in the offsets (null when there is none to keep), which
     * {@code poll()} must return: Connect commits what poll() returned, even at stop, and nothing else.
     */
    public SourceRecord due(long nowMs) {
        if (expiryWarnings != null) {
            expiryWarnings.check(expiry(), Instant.ofEpochMilli(nowMs), System.nanoTime());
        }
        if (refresher == null) {
            return null;
        }
        refresher.refreshIfDue();
        Map<String, String> offset = refresher.takeOffsetToSave();
        if (offset == null) {
            return null;
        }
        SourceRecord record = CredentialOffsets.record(offset, heartbeatTopic, connectorName, nowMs);
        unacknowledgedAt = Instant.ofEpochMilli(nowMs);
        unacknowledged.set(record);
        return record;
    }

    /**
     * Connect's {@code commitRecord} for a record {@code poll()} returned: written (or skipped by a transform), so
     * that its offset goes with the next commit, the final one at a graceful stop (after a transaction commit with
     * exactly-once support). Connect passes the very record {@code poll()} returned.
     */
    public void acknowledged(SourceRecord record) {
        unacknowledged.compareAndSet(record, null);
    }

    /**
     * Called by {@code stop()}, after Connect's final offset commit. A refresh record still unacknowledged then
     * was not committed: Connect cancelled the task (a stop took longer than {@code task.shutdown.graceful.timeout.ms},
     * typically a token endpoint slow to answer), or the producer failed. The endpoint has spent the refresh token
     * the offsets still hold, so the next task 0 will be refused: said here, where it happens, and how to avoid it.
     */
    @Override
    public void close() {
        SourceRecord lost = unacknowledged.getAndSet(null);
        if (lost != null) {
            log.error("Stopping before the OAuth2 refresh of {} reached Kafka: the rotated refresh token is not in the "
                    + "offsets, and the one they hold was used up by that refresh, so the next task 0 of {} will "
                    + "fail with invalid_grant (set a new astro.oauth2.refresh.token then). This happens when writing "
                    + "to Kafka failed, or when Connect cancels a task that did not stop within the worker's "
                    + "task.shutdown.graceful.timeout.ms, e.g. while the token endpoint was slow to answer: keep that "
                    + "timeout above astro.connect.timeout.ms plus poll.timeout.ms and a few seconds "
                    + "(docs/operations.md, Tokens)", unacknowledgedAt,
                    connectorName);
        }
        if (oauth2 != null) {
            oauth2.close();
        }
    }
}
