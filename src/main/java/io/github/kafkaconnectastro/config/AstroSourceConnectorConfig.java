package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.gaps.BackfillSettings;
import io.github.kafkaconnectastro.records.ValueFormat;
import io.github.kafkaconnectastro.protocol.TokenType;
import io.github.kafkaconnectastro.auth.ConfiguredToken;
import io.github.kafkaconnectastro.session.SessionSettings;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.subscribe.SubscriptionErrorPolicy;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The connector's configuration: one {@link ConfigDef} in six groups (Security's keys in
 * {@link AstroSecurityConfig}), and typed accessors so the rest of the
 * code never reads a raw key. {@code docs/configuration.md} is generated from {@link #CONFIG_DEF}.
 */
public class AstroSourceConnectorConfig extends AbstractConfig {

    public static final String GROUP_CONNECTION = "Connection";
    public static final String GROUP_SUBSCRIPTIONS = "Subscriptions";
    public static final String GROUP_OUTPUT = "Output";
    public static final String GROUP_RELIABILITY = "Reliability";
    public static final String GROUP_ADVANCED = "Advanced";

    public static final String URL_CONFIG = "astro.url";
    public static final String URL_DEFAULT = "wss://astro.streamelements.com";
    private static final String URL_DOC = "The Astro gateway's websocket address. wss:// for the real gateway, "
            + "its certificate checked (see Security); ws:// only for a loopback host unless astro.allow.plaintext.";

    public static final String TOKEN_CONFIG = "astro.token";
    private static final String TOKEN_DOC = "The token every subscribe is authorised with: a JWT from the "
            + "StreamElements dashboard, an overlay token (apikey) or an OAuth2 access token. Keep it out of the "
            + "connector config with a config provider, e.g. ${file:/etc/kafka/secrets/astro.properties:token}. "
            + "Never logged. A JWT's expiry (its exp claim) is watched: validation refuses an expired one, and the "
            + "task warns from 7 days before. Not set: astro.oauth2.* must be, and the connector refreshes its "
            + "own OAuth2 access tokens.";

    public static final String TOKEN_TYPE_CONFIG = "astro.token.type";
    public static final String TOKEN_TYPE_DEFAULT = "jwt";
    private static final String TOKEN_TYPE_DOC = "The kind of astro.token: jwt, oauth2 or apikey (oauth, the older "
            + "documents' spelling, is accepted and sent as written). With astro.oauth2.* the type is oauth2, or "
            + "oauth when this says so.";

    public static final String CONNECT_TIMEOUT_CONFIG = "astro.connect.timeout.ms";
    public static final long CONNECT_TIMEOUT_DEFAULT = 10_000L;
    private static final String CONNECT_TIMEOUT_DOC = "How long one connection attempt (TCP, TLS and websocket "
            + "handshake) may take, in milliseconds, before it counts as failed and is retried with backoff.";

    public static final String WELCOME_TIMEOUT_CONFIG = "astro.welcome.timeout.ms";
    public static final long WELCOME_TIMEOUT_DEFAULT = 5_000L;
    private static final String WELCOME_TIMEOUT_DOC = "How long to wait for the gateway's welcome message after "
            + "connecting, in milliseconds. When it does not come, the task subscribes anyway. A connection resumed "
            + "with a reconnect token that closes within this time is replaced by a fresh one.";

    public static final String LIVENESS_TIMEOUT_CONFIG = "astro.liveness.timeout.ms";
    public static final long LIVENESS_TIMEOUT_DEFAULT = 75_000L;
    private static final String LIVENESS_TIMEOUT_DOC = "A connection on which nothing at all (no message, no ping) "
            + "arrived for this many milliseconds is treated as half-open, dropped and reconnected. The task pings "
            + "the gateway after a third of it. Time the task spends waiting for Kafka (full buffer) does not "
            + "count. Just above the gateway's own 70 s pong deadline by default.";

    public static final String VALIDATE_PROBE_CONFIG = "astro.validate.probe.enabled";
    public static final boolean VALIDATE_PROBE_DEFAULT = false;
    private static final String VALIDATE_PROBE_DOC = "When true, validating the configuration (PUT "
            + "/connector-plugins/AstroSourceConnector/config/validate, and every create or update of the "
            + "connector) connects to astro.url, subscribes each pair once with astro.token, then unsubscribes and "
            + "disconnects. A pair refused with err_unauthorized is reported on astro.token, one refused with "
            + "err_bad_request on astro.subscriptions, a gateway that cannot be reached on astro.url; the token is "
            + "never repeated. Validation then takes up to astro.connect.timeout.ms + astro.welcome.timeout.ms + "
            + "astro.subscribe.timeout.ms (more for many pairs, as subscribes are paced), and no connector can be "
            + "created or updated while the gateway is unreachable. false (default): validation only checks the "
            + "configuration's shape and has no side effects.";

    public static final String SUBSCRIPTIONS_CONFIG = "astro.subscriptions";
    private static final String SUBSCRIPTIONS_DOC = "The (Astro topic, room) pairs to stream, comma-separated, each "
            + "topic:room, e.g. channel.activities:5f2b0c1e9a1d. A topic alone subscribes to the token's own channel. "
            + "Topics are free-form lowercase dotted names, so new Astro topics need no new connector release. "
            + "A pair listed twice is an error. Pairs are spread evenly over tasks.max tasks.";

    public static final String SUBSCRIBE_TIMEOUT_CONFIG = "astro.subscribe.timeout.ms";
    public static final long SUBSCRIBE_TIMEOUT_DEFAULT = 10_000L;
    private static final String SUBSCRIBE_TIMEOUT_DOC = "How long to wait for the answer to a subscribe, in "
            + "milliseconds, before sending it again (with backoff).";

    public static final String COMMAND_BURST_CONFIG = "astro.command.burst";
    public static final int COMMAND_BURST_DEFAULT = 50;
    private static final String COMMAND_BURST_DOC = "How many subscribe commands a task may send at once before "
            + "pacing them at astro.command.interval.ms. The gateway allows bursts of about 100 per 10 s.";

    public static final String COMMAND_INTERVAL_CONFIG = "astro.command.interval.ms";
    public static final long COMMAND_INTERVAL_DEFAULT = 100L;
    private static final String COMMAND_INTERVAL_DOC = "The pace of subscribe commands after the burst, in "
            + "milliseconds per command. The gateway allows about one per 100 ms and answers faster commands with "
            + "rate_limit_exceeded, after which the task pauses and retries.";

    public static final String COMMAND_LIMIT_SCOPE_CONFIG = "astro.command.limit.scope";
    public static final String COMMAND_LIMIT_SCOPE_ADDRESS = "address";
    public static final String COMMAND_LIMIT_SCOPE_CONNECTION = "connection";
    private static final String COMMAND_LIMIT_SCOPE_DOC = "What the gateway's command rate limit is counted per, "
            + "which its documents do not say. address (default): per client address, so the tasks of one worker "
            + "share one pace (astro.command.burst, astro.command.interval.ms) per gateway host, whatever their "
            + "connector. connection: each task paces its own connection, which subscribes many pairs faster when "
            + "the gateway does count per connection, and draws rate_limit_exceeded answers when it does not. "
            + "Either way, each rate_limit_exceeded halves the pace (to a tenth at most) and accepted commands win "
            + "it back, so that workers under one limit they cannot see (per token) settle below it.";

    public static final String TOPIC_NAME_PATTERN_CONFIG = "topic.name.pattern";
    public static final String TOPIC_NAME_PATTERN_DEFAULT = "astro.${topic}";
    private static final String TOPIC_NAME_PATTERN_DOC = "The Kafka topic each notification is written to. "
            + "${topic} is replaced by the Astro topic and ${room} by the room (channel id); characters Kafka does "
            + "not allow in topic names become '_'. A pattern that gives an invalid name for a configured pair is "
            + "a validation error.";

    public static final String HEARTBEAT_INTERVAL_CONFIG = "heartbeat.interval.ms";
    public static final long HEARTBEAT_INTERVAL_DEFAULT = 0L;
    private static final String HEARTBEAT_INTERVAL_DOC = "How often, in milliseconds, each (topic, room) pair gets a "
            + "heartbeat record in heartbeat.topic carrying the pair's last offset (the last notification id "
            + "written), busy or quiet. The offsets of quiet pairs are then committed again, and consumers of "
            + "heartbeat.topic can tell a quiet room from a stopped connector. A pair that never received a "
            + "notification has no offset and gets no heartbeat. 0 (default): no heartbeats; the offset of a quiet "
            + "pair stays the last id written, which is all that deduplication after a restart needs.";

    public static final String HEARTBEAT_TOPIC_CONFIG = "heartbeat.topic";
    public static final String HEARTBEAT_TOPIC_DEFAULT = "__astro-heartbeat";
    private static final String HEARTBEAT_TOPIC_DOC = "The Kafka topic heartbeat records go to when "
            + "heartbeat.interval.ms is above 0. Connectors may share it: the key is the pair (topic:room), the "
            + "value names the connector. Created like the notification topics (topic.creation.* or the broker's "
            + "auto-creation); transforms apply to heartbeats too.";

    public static final String SUBSCRIPTION_ERROR_POLICY_CONFIG = "astro.subscription.error.policy";
    public static final String SUBSCRIPTION_ERROR_POLICY_DEFAULT = "fail";
    private static final String SUBSCRIPTION_ERROR_POLICY_DOC = "What a task does when the gateway refuses a "
            + "subscription permanently (err_unauthorized: bad token or missing scope; err_bad_request: unknown "
            + "topic, bad room or too many subscriptions). fail: the task fails, its status names the pair and the "
            + "code. skip: the refusal is logged once, the pair shows as FAILED in the metrics, the others go on. "
            + "Formerly errors.subscription.policy, which is still read, with a warning, when this key is not set.";
    /** The key's name before 0.2; Connect owns the errors.* keys. */
    public static final String DEPRECATED_SUBSCRIPTION_ERROR_POLICY_CONFIG = "errors.subscription.policy";

    public static final String BACKOFF_INITIAL_CONFIG = "reconnect.backoff.initial.ms";
    public static final long BACKOFF_INITIAL_DEFAULT = 1_000L;
    private static final String BACKOFF_INITIAL_DOC = "The first reconnect delay ceiling, in milliseconds. Each "
            + "delay is random between zero and the ceiling (full jitter); the ceiling grows by "
            + "reconnect.backoff.multiplier up to reconnect.backoff.max.ms. A handshake refused with HTTP 429 waits "
            + "its Retry-After plus such a delay. Also the base for retrying a subscribe the gateway failed "
            + "temporarily.";

    public static final String RETRY_AFTER_MAX_CONFIG = "reconnect.retry.after.max.ms";
    public static final long RETRY_AFTER_MAX_DEFAULT = 300_000L;
    private static final String RETRY_AFTER_MAX_DOC = "The longest a handshake refusal's Retry-After is obeyed, in "
            + "milliseconds; a longer (or unreadable) one counts as this long, so that a gateway cannot park a task "
            + "for days.";

    public static final String BACKOFF_MAX_CONFIG = "reconnect.backoff.max.ms";
    public static final long BACKOFF_MAX_DEFAULT = 30_000L;
    private static final String BACKOFF_MAX_DOC = "The largest reconnect delay ceiling, in milliseconds. A connection "
            + "that stayed up at least this long counts as healthy and resets the backoff.";

    public static final String BACKOFF_MULTIPLIER_CONFIG = "reconnect.backoff.multiplier";
    public static final double BACKOFF_MULTIPLIER_DEFAULT = 2.0;
    private static final String BACKOFF_MULTIPLIER_DOC = "How much the reconnect delay ceiling grows after each "
            + "failed attempt.";

    public static final String RECONNECT_MAX_DURATION_CONFIG = "reconnect.max.duration.ms";
    public static final long RECONNECT_MAX_DURATION_DEFAULT = -1L;
    private static final String RECONNECT_MAX_DURATION_DOC = "How long a task may go without a healthy connection "
            + "(one that stayed up reconnect.backoff.max.ms), in milliseconds, before it fails with the last "
            + "connection problem as its reason. The task fails as soon as its next attempt would start after this, "
            + "without waiting for it. -1 (default): it keeps trying for ever.";

    public static final String DEDUP_CACHE_SIZE_CONFIG = "dedup.cache.size";
    public static final int DEDUP_CACHE_SIZE_DEFAULT = 1_000;
    private static final String DEDUP_CACHE_SIZE_DOC = "How many recent notification ids one (topic, room) pair "
            + "remembers at most, to drop duplicates the gateway delivers again (e.g. around reconnects). A task "
            + "with many pairs gives each its share of dedup.cache.task.size instead, when that is smaller. Memory: "
            + "about 120 bytes per id.";

    public static final String DEDUP_CACHE_TASK_SIZE_CONFIG = "dedup.cache.task.size";
    public static final int DEDUP_CACHE_TASK_SIZE_DEFAULT = 100_000;
    private static final String DEDUP_CACHE_TASK_SIZE_DOC = "How many recent notification ids one task remembers "
            + "across all its pairs, so that memory stays bounded with many pairs: each pair remembers "
            + "min(dedup.cache.size, max(64, this / the task's pairs)) ids. The floor of 64 per pair means a task "
            + "with more than this / 64 pairs remembers 64 ids for each. Memory: about 120 bytes per id, so about "
            + "12 MB per task by default, plus about 1 KB per busy pair.";

    public static final String DEDUP_CLOCK_SKEW_CONFIG = "dedup.clock.skew.ms";
    public static final long DEDUP_CLOCK_SKEW_DEFAULT = 5_000L;
    private static final String DEDUP_CLOCK_SKEW_DOC = "After a restart, notifications whose ULID time is older "
            + "than the committed offset's by more than this are dropped as already written; within it, only the "
            + "ids the offset remembers (its id and recent ids) are. Allows for clock differences between the "
            + "gateway's nodes, in milliseconds.";

    public static final String BUFFER_MAX_RECORDS_CONFIG = "buffer.max.records";
    public static final int BUFFER_MAX_RECORDS_DEFAULT = 10_000;
    private static final String BUFFER_MAX_RECORDS_DOC = "The most notifications a task holds between the socket "
            + "and Kafka. When full, the task stops reading the socket until Kafka catches up (backpressure) and "
            + "keeps the connection alive with unsolicited pongs meanwhile. What the buffer holds when the task "
            + "stops is dropped, so a large buffer costs more on every restart or rebalance.";

    public static final String BUFFER_MAX_BYTES_CONFIG = "buffer.max.bytes";
    public static final long BUFFER_MAX_BYTES_DEFAULT = 16L * 1024 * 1024;
    private static final String BUFFER_MAX_BYTES_DOC = "The most heap, in bytes (estimated from frame sizes), the "
            + "notifications held between the socket and Kafka may take. Same behaviour at the limit as "
            + "buffer.max.records.";

    public static final String POLL_BATCH_MAX_RECORDS_CONFIG = "poll.batch.max.records";
    public static final int POLL_BATCH_MAX_RECORDS_DEFAULT = 2_000;
    private static final String POLL_BATCH_MAX_RECORDS_DOC = "The most records one poll() hands to Connect.";

    public static final String POLL_TIMEOUT_CONFIG = "poll.timeout.ms";
    public static final long POLL_TIMEOUT_DEFAULT = 1_000L;
    private static final String POLL_TIMEOUT_DOC = "How long poll() waits for a first notification, in "
            + "milliseconds, before returning nothing so that Connect can commit offsets and check for stop.";

    public static final String FRAME_MAX_BYTES_CONFIG = "astro.frame.max.bytes";
    public static final int FRAME_MAX_BYTES_DEFAULT = 1024 * 1024;
    private static final String FRAME_MAX_BYTES_DOC = "Frames larger than this, in UTF-8 bytes, are counted and "
            + "skipped; the session goes on. Frames over four times this close the connection before they are read "
            + "whole, which bounds the heap a single frame can take; the task reconnects and subscribes again.";

    public static final String JSON_MAX_NESTING_DEPTH_CONFIG = "astro.json.max.nesting.depth";
    public static final int JSON_MAX_NESTING_DEPTH_DEFAULT = 64;
    private static final String JSON_MAX_NESTING_DEPTH_DOC = "Frames whose JSON nests deeper than this are counted "
            + "and skipped.";

    public static final ConfigDef CONFIG_DEF = configDef();

    public AstroSourceConnectorConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
    }

    protected AstroSourceConnectorConfig(ConfigDef definition, Map<?, ?> originals) {
        super(definition, originals);
    }

    /** The definition of every key, grouped for the REST validate endpoint and the generated reference. */
    public static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        addConnectionGroup(def);
        AstroSecurityConfig.addSecurityGroup(def);
        addSubscriptionsGroup(def);
        addOutputGroup(def);
        addReliabilityGroup(def);
        addAdvancedGroup(def);
        return def;
    }

    private static void addConnectionGroup(ConfigDef def) {
        int order = 0;
        def.define(URL_CONFIG, Type.STRING, URL_DEFAULT, Validators.WEBSOCKET_URL, Importance.HIGH, URL_DOC,
                GROUP_CONNECTION, ++order, Width.LONG, "Gateway URL");
        def.define(TOKEN_CONFIG, Type.PASSWORD, null, Validators.NON_EMPTY_PASSWORD,
                Importance.HIGH, TOKEN_DOC, GROUP_CONNECTION, ++order, Width.LONG, "Token");
        def.define(TOKEN_TYPE_CONFIG, Type.STRING, TOKEN_TYPE_DEFAULT, Validators.TOKEN_TYPE, Importance.HIGH,
                TOKEN_TYPE_DOC, GROUP_CONNECTION, ++order, Width.SHORT, "Token type");
        order = AstroAuthConfig.addOAuth2Keys(def, GROUP_CONNECTION, order);
        def.define(CONNECT_TIMEOUT_CONFIG, Type.LONG, CONNECT_TIMEOUT_DEFAULT, Range.between(100L, 600_000L),
                Importance.LOW, CONNECT_TIMEOUT_DOC, GROUP_CONNECTION, ++order, Width.SHORT, "Connect timeout (ms)");
        def.define(WELCOME_TIMEOUT_CONFIG, Type.LONG, WELCOME_TIMEOUT_DEFAULT, Range.between(0L, 600_000L),
                Importance.LOW, WELCOME_TIMEOUT_DOC, GROUP_CONNECTION, ++order, Width.SHORT, "Welcome timeout (ms)");
        def.define(LIVENESS_TIMEOUT_CONFIG, Type.LONG, LIVENESS_TIMEOUT_DEFAULT, Range.between(100L, 3_600_000L),
                Importance.MEDIUM, LIVENESS_TIMEOUT_DOC, GROUP_CONNECTION, ++order, Width.SHORT,
                "Liveness timeout (ms)");
        def.define(VALIDATE_PROBE_CONFIG, Type.BOOLEAN, VALIDATE_PROBE_DEFAULT, Importance.LOW, VALIDATE_PROBE_DOC,
                GROUP_CONNECTION, ++order, Width.SHORT, "Probe the gateway on validation");
    }

    private static void addSubscriptionsGroup(ConfigDef def) {
        int order = 0;
        def.define(SUBSCRIPTIONS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Validators.SUBSCRIPTIONS,
                Importance.HIGH, SUBSCRIPTIONS_DOC, GROUP_SUBSCRIPTIONS, ++order, Width.LONG, "Subscriptions");
        def.define(SUBSCRIBE_TIMEOUT_CONFIG, Type.LONG, SUBSCRIBE_TIMEOUT_DEFAULT, Range.between(100L, 600_000L),
                Importance.LOW, SUBSCRIBE_TIMEOUT_DOC, GROUP_SUBSCRIPTIONS, ++order, Width.SHORT,
                "Subscribe timeout (ms)");
        def.define(COMMAND_BURST_CONFIG, Type.INT, COMMAND_BURST_DEFAULT, Range.between(1, 100),
                Importance.LOW, COMMAND_BURST_DOC, GROUP_SUBSCRIPTIONS, ++order, Width.SHORT, "Command burst");
        def.define(COMMAND_INTERVAL_CONFIG, Type.LONG, COMMAND_INTERVAL_DEFAULT, Range.between(1L, 60_000L),
                Importance.LOW, COMMAND_INTERVAL_DOC, GROUP_SUBSCRIPTIONS, ++order, Width.SHORT,
                "Command interval (ms)");
        def.define(COMMAND_LIMIT_SCOPE_CONFIG, Type.STRING, COMMAND_LIMIT_SCOPE_ADDRESS,
                ConfigDef.CaseInsensitiveValidString.in(COMMAND_LIMIT_SCOPE_ADDRESS, COMMAND_LIMIT_SCOPE_CONNECTION),
                Importance.LOW, COMMAND_LIMIT_SCOPE_DOC, GROUP_SUBSCRIPTIONS, ++order, Width.SHORT,
                "Command limit scope");
    }

    private static void addOutputGroup(ConfigDef def) {
        int order = 0;
        def.define(TOPIC_NAME_PATTERN_CONFIG, Type.STRING, TOPIC_NAME_PATTERN_DEFAULT, Validators.TOPIC_NAME_PATTERN,
                Importance.MEDIUM, TOPIC_NAME_PATTERN_DOC, GROUP_OUTPUT, ++order, Width.MEDIUM, "Topic name pattern");
        def.define(HEARTBEAT_INTERVAL_CONFIG, Type.LONG, HEARTBEAT_INTERVAL_DEFAULT, Range.between(0L, 86_400_000L),
                Importance.LOW, HEARTBEAT_INTERVAL_DOC, GROUP_OUTPUT, ++order, Width.SHORT, "Heartbeat interval (ms)");
        def.define(HEARTBEAT_TOPIC_CONFIG, Type.STRING, HEARTBEAT_TOPIC_DEFAULT, Validators.KAFKA_TOPIC_NAME,
                Importance.LOW, HEARTBEAT_TOPIC_DOC, GROUP_OUTPUT, ++order, Width.MEDIUM, "Heartbeat topic");
        AstroRecordsConfig.addTo(def, GROUP_OUTPUT, order);
    }

    private static void addReliabilityGroup(ConfigDef def) {
        int order = 0;
        def.define(SUBSCRIPTION_ERROR_POLICY_CONFIG, Type.STRING, SUBSCRIPTION_ERROR_POLICY_DEFAULT,
                Validators.SUBSCRIPTION_ERROR_POLICY, Importance.MEDIUM, SUBSCRIPTION_ERROR_POLICY_DOC,
                GROUP_RELIABILITY, ++order, Width.SHORT, "Subscription error policy");
        def.define(BACKOFF_INITIAL_CONFIG, Type.LONG, BACKOFF_INITIAL_DEFAULT, Range.between(1L, 3_600_000L),
                Importance.LOW, BACKOFF_INITIAL_DOC, GROUP_RELIABILITY, ++order, Width.SHORT,
                "Initial reconnect backoff (ms)");
        def.define(BACKOFF_MAX_CONFIG, Type.LONG, BACKOFF_MAX_DEFAULT, Range.between(0L, 3_600_000L),
                Importance.LOW, BACKOFF_MAX_DOC, GROUP_RELIABILITY, ++order, Width.SHORT, "Max reconnect backoff (ms)");
        def.define(RETRY_AFTER_MAX_CONFIG, Type.LONG, RETRY_AFTER_MAX_DEFAULT, Range.between(0L, 86_400_000L),
                Importance.LOW, RETRY_AFTER_MAX_DOC, GROUP_RELIABILITY, ++order, Width.SHORT,
                "Max Retry-After (ms)");
        def.define(BACKOFF_MULTIPLIER_CONFIG, Type.DOUBLE, BACKOFF_MULTIPLIER_DEFAULT, Range.between(1.0, 10.0),
                Importance.LOW, BACKOFF_MULTIPLIER_DOC, GROUP_RELIABILITY, ++order, Width.SHORT,
                "Reconnect backoff multiplier");
        def.define(RECONNECT_MAX_DURATION_CONFIG, Type.LONG, RECONNECT_MAX_DURATION_DEFAULT,
                Range.atLeast(-1L), Importance.LOW, RECONNECT_MAX_DURATION_DOC, GROUP_RELIABILITY, ++order,
                Width.SHORT, "Reconnect budget (ms)");
        def.define(DEDUP_CACHE_SIZE_CONFIG, Type.INT, DEDUP_CACHE_SIZE_DEFAULT, Range.between(1, 1_000_000),
                Importance.LOW, DEDUP_CACHE_SIZE_DOC, GROUP_RELIABILITY, ++order, Width.SHORT, "Dedup cache size");
        def.define(DEDUP_CACHE_TASK_SIZE_CONFIG, Type.INT, DEDUP_CACHE_TASK_SIZE_DEFAULT,
                Range.between(1, 100_000_000), Importance.LOW, DEDUP_CACHE_TASK_SIZE_DOC, GROUP_RELIABILITY, ++order,
                Width.SHORT, "Dedup cache size per task");
        def.define(DEDUP_CLOCK_SKEW_CONFIG, Type.LONG, DEDUP_CLOCK_SKEW_DEFAULT, Range.between(0L, 3_600_000L),
                Importance.LOW, DEDUP_CLOCK_SKEW_DOC, GROUP_RELIABILITY, ++order, Width.SHORT,
                "Dedup clock skew (ms)");
        AstroBackfillConfig.addTo(def, GROUP_RELIABILITY, order);
    }

    private static void addAdvancedGroup(ConfigDef def) {
        int order = 0;
        def.define(BUFFER_MAX_RECORDS_CONFIG, Type.INT, BUFFER_MAX_RECORDS_DEFAULT, Range.between(1, 10_000_000),
                Importance.LOW, BUFFER_MAX_RECORDS_DOC, GROUP_ADVANCED, ++order, Width.SHORT, "Buffer size (records)");
        def.define(BUFFER_MAX_BYTES_CONFIG, Type.LONG, BUFFER_MAX_BYTES_DEFAULT,
                Range.between(1024L, 4L * 1024 * 1024 * 1024), Importance.LOW, BUFFER_MAX_BYTES_DOC,
                GROUP_ADVANCED, ++order, Width.SHORT, "Buffer size (bytes)");
        def.define(POLL_BATCH_MAX_RECORDS_CONFIG, Type.INT, POLL_BATCH_MAX_RECORDS_DEFAULT, Range.between(1, 100_000),
                Importance.LOW, POLL_BATCH_MAX_RECORDS_DOC, GROUP_ADVANCED, ++order, Width.SHORT, "Batch size");
        def.define(POLL_TIMEOUT_CONFIG, Type.LONG, POLL_TIMEOUT_DEFAULT, Range.between(1L, 60_000L),
                Importance.LOW, POLL_TIMEOUT_DOC, GROUP_ADVANCED, ++order, Width.SHORT, "Poll timeout (ms)");
        def.define(FRAME_MAX_BYTES_CONFIG, Type.INT, FRAME_MAX_BYTES_DEFAULT, Range.between(1024, 256 * 1024 * 1024),
                Importance.LOW, FRAME_MAX_BYTES_DOC, GROUP_ADVANCED, ++order, Width.SHORT, "Max frame size (bytes)");
        def.define(JSON_MAX_NESTING_DEPTH_CONFIG, Type.INT, JSON_MAX_NESTING_DEPTH_DEFAULT, Range.between(4, 1000),
                Importance.LOW, JSON_MAX_NESTING_DEPTH_DOC, GROUP_ADVANCED, ++order, Width.SHORT, "Max JSON depth");
    }

    public URI url() {
        return URI.create(getString(URL_CONFIG).trim());
    }

    public Password token() {
        return getPassword(TOKEN_CONFIG);
    }

    /** astro.token.type; with OAuth2, oauth2 unless it says oauth (the older spelling). */
    public TokenType tokenType() {
        TokenType configured = TokenType.parse(getString(TOKEN_TYPE_CONFIG));
        return oauth2() && configured != TokenType.OAUTH ? TokenType.OAUTH2 : configured;
    }

    /** True when the connector refreshes OAuth2 tokens itself (astro.oauth2.refresh.token is set). */
    public boolean oauth2() {
        return AstroAuthConfig.oauth2(values());
    }

    public String oauth2ClientId() {
        return getString(AstroAuthConfig.CLIENT_ID_CONFIG).trim();
    }

    public Password oauth2ClientSecret() {
        return getPassword(AstroAuthConfig.CLIENT_SECRET_CONFIG);
    }

    public Password oauth2RefreshToken() {
        return getPassword(AstroAuthConfig.REFRESH_TOKEN_CONFIG);
    }

    public Duration connectTimeout() {
        return Duration.ofMillis(getLong(CONNECT_TIMEOUT_CONFIG));
    }

    public URI oauth2TokenUrl() {
        return URI.create(getString(AstroAuthConfig.TOKEN_URL_CONFIG).trim());
    }

    /** Whether astro.token or astro.oauth2.* is complete; a ConfigException names the key to set. */
    public void requireCredentials() {
        AstroAuthConfig.require(values());
    }

    public List<Subscription> subscriptions() {
        return Subscription.parseAll(getList(SUBSCRIPTIONS_CONFIG));
    }

    public String topicNamePattern() {
        return getString(TOPIC_NAME_PATTERN_CONFIG);
    }

    /** Zero when heartbeats are off. */
    public Duration heartbeatInterval() {
        return Duration.ofMillis(getLong(HEARTBEAT_INTERVAL_CONFIG));
    }

    public String heartbeatTopic() {
        return getString(HEARTBEAT_TOPIC_CONFIG);
    }

    public ValueFormat valueFormat() {
        return ValueFormat.fromConfig(getString(AstroRecordsConfig.VALUE_FORMAT_CONFIG));
    }

    public boolean includePersonalData() {
        return AstroRecordsConfig.PERSONAL_DATA_INCLUDE.equalsIgnoreCase(
                getString(AstroRecordsConfig.PERSONAL_DATA_CONFIG).trim());
    }

    /** Everything gap repair needs. */
    public BackfillSettings backfillSettings() {
        return AstroBackfillConfig.settings(this);
    }

    public boolean validateProbeEnabled() {
        return getBoolean(VALIDATE_PROBE_CONFIG);
    }

    public int dedupCacheSize() {
        return getInt(DEDUP_CACHE_SIZE_CONFIG);
    }

    public int dedupCacheTaskSize() {
        return getInt(DEDUP_CACHE_TASK_SIZE_CONFIG);
    }

    public int bufferMaxRecords() {
        return getInt(BUFFER_MAX_RECORDS_CONFIG);
    }

    public long bufferMaxBytes() {
        return getLong(BUFFER_MAX_BYTES_CONFIG);
    }

    public int pollBatchMaxRecords() {
        return getInt(POLL_BATCH_MAX_RECORDS_CONFIG);
    }

    public Duration pollTimeout() {
        return Duration.ofMillis(getLong(POLL_TIMEOUT_CONFIG));
    }

    public Duration dedupClockSkew() {
        return Duration.ofMillis(getLong(DEDUP_CLOCK_SKEW_CONFIG));
    }

    /**
     * astro.subscription.error.policy, or the value of its former name when only that is set. The former name is
     * not in the ConfigDef (Connect owns errors.*), so it is read from the originals.
     */
    public SubscriptionErrorPolicy subscriptionErrorPolicy() {
        Object former = originals().get(DEPRECATED_SUBSCRIPTION_ERROR_POLICY_CONFIG);
        if (former != null && !originals().containsKey(SUBSCRIPTION_ERROR_POLICY_CONFIG)) {
            return SubscriptionErrorPolicy.parse(former.toString());
        }
        return SubscriptionErrorPolicy.parse(getString(SUBSCRIPTION_ERROR_POLICY_CONFIG));
    }

    /** The session settings for astro.token; a ConfigException names the Security key that cannot work. */
    public SessionSettings sessionSettings() {
        return sessionSettingsBuilder().build();
    }

    /**
     * {@link #sessionSettings()}, for a task to add what only it has, such as its worker's shared pacer or tokens
     * that change ({@link SessionSettings.Builder#credentials}).
     */
    public SessionSettings.Builder sessionSettingsBuilder() {
        long budget = getLong(RECONNECT_MAX_DURATION_CONFIG);
        return SessionSettings.builder()
                .uri(url())
                .credentials(new ConfiguredToken(token(), tokenType(), Clock.systemUTC()))
                .connectTimeout(Duration.ofMillis(getLong(CONNECT_TIMEOUT_CONFIG)))
                .welcomeTimeout(Duration.ofMillis(getLong(WELCOME_TIMEOUT_CONFIG)))
                .subscribeTimeout(Duration.ofMillis(getLong(SUBSCRIBE_TIMEOUT_CONFIG)))
                .livenessTimeout(Duration.ofMillis(getLong(LIVENESS_TIMEOUT_CONFIG)))
                .backoffInitial(Duration.ofMillis(getLong(BACKOFF_INITIAL_CONFIG)))
                .backoffMax(Duration.ofMillis(getLong(BACKOFF_MAX_CONFIG)))
                .backoffMultiplier(getDouble(BACKOFF_MULTIPLIER_CONFIG))
                .retryAfterMax(Duration.ofMillis(getLong(RETRY_AFTER_MAX_CONFIG)))
                .reconnectMaxDuration(budget < 0 ? null : Duration.ofMillis(budget))
                .subscriptionErrorPolicy(subscriptionErrorPolicy())
                .maxFrameBytes(getInt(FRAME_MAX_BYTES_CONFIG))
                .maxNestingDepth(getInt(JSON_MAX_NESTING_DEPTH_CONFIG))
                .commandBurst(getInt(COMMAND_BURST_CONFIG))
                .commandInterval(Duration.ofMillis(getLong(COMMAND_INTERVAL_CONFIG)))
                .transport(AstroSecurityConfig.transport(url(), values()));
    }

    /** Whether the tasks of a worker share one command pacer per gateway host. */
    public boolean commandLimitPerAddress() {
        return COMMAND_LIMIT_SCOPE_ADDRESS.equalsIgnoreCase(getString(COMMAND_LIMIT_SCOPE_CONFIG).trim());
    }
}
