package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.auth.ConfiguredToken;
import io.github.kafkaconnectastro.gaps.BackfillSettings;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.protocol.TokenType;
import io.github.kafkaconnectastro.records.PayloadReading;
import io.github.kafkaconnectastro.records.ValueFormat;
import io.github.kafkaconnectastro.session.SessionSettings;
import io.github.kafkaconnectastro.subscribe.SubscriptionErrorPolicy;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The connector's configuration: one {@link ConfigDef} made of six groups, each a class that declares its keys
 * ({@link AstroConnectionConfig}, {@link AstroSecurityConfig}, {@link AstroSubscriptionsConfig},
 * {@link AstroOutputConfig}, {@link AstroReliabilityConfig}, {@link AstroAdvancedConfig}), and typed accessors so
 * the rest of the code never reads a raw key. {@code docs/configuration.md} is generated from {@link #CONFIG_DEF}.
 */
public class AstroSourceConnectorConfig extends AbstractConfig {

    /** The groups, in the order the Connect REST API and the generated reference show them. */
    private static final List<KeyGroup> GROUPS = List.of(AstroConnectionConfig.GROUP, AstroSecurityConfig.GROUP,
            AstroSubscriptionsConfig.GROUP, AstroOutputConfig.GROUP, AstroReliabilityConfig.GROUP,
            AstroAdvancedConfig.GROUP);

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
        GROUPS.forEach(group -> group.addTo(def));
        return def;
    }

    /** The value of a key, as its declaration reads it. */
    <T> T get(Key<T> key) {
        return key.convert(get(key.name()));
    }

    public URI url() {
        return get(AstroConnectionConfig.URL);
    }

    public Password token() {
        return get(AstroConnectionConfig.TOKEN);
    }

    /** astro.token.type; with OAuth2, oauth2 unless it says oauth (the older spelling). */
    public TokenType tokenType() {
        TokenType configured = get(AstroConnectionConfig.TOKEN_TYPE);
        return oauth2() && configured != TokenType.OAUTH ? TokenType.OAUTH2 : configured;
    }

    /** True when the connector refreshes OAuth2 tokens itself (astro.oauth2.refresh.token is set). */
    public boolean oauth2() {
        return AstroAuthConfig.oauth2(values());
    }

    public String oauth2ClientId() {
        return get(AstroAuthConfig.CLIENT_ID);
    }

    public Password oauth2ClientSecret() {
        return get(AstroAuthConfig.CLIENT_SECRET);
    }

    /** The client secret in use before astro.oauth2.client.secret, for reading the kept token; null when unset. */
    public Password oauth2ClientSecretPrevious() {
        return get(AstroAuthConfig.CLIENT_SECRET_PREVIOUS);
    }

    public Password oauth2RefreshToken() {
        return get(AstroAuthConfig.REFRESH_TOKEN);
    }

    public URI oauth2TokenUrl() {
        return get(AstroAuthConfig.TOKEN_URL);
    }

    /** How long a task other than task 0 waits for task 0's first access token. */
    public Duration oauth2TokenWait() {
        return get(AstroAuthConfig.TOKEN_WAIT);
    }

    public Duration connectTimeout() {
        return get(AstroConnectionConfig.CONNECT_TIMEOUT);
    }

    /** Whether astro.token or astro.oauth2.* is complete; a ConfigException names the key to set. */
    public void requireCredentials() {
        AstroAuthConfig.require(values());
    }

    public boolean validateProbeEnabled() {
        return get(AstroConnectionConfig.VALIDATE_PROBE);
    }

    public List<Subscription> subscriptions() {
        return get(AstroSubscriptionsConfig.SUBSCRIPTIONS);
    }

    /** Whether the tasks of a worker share one command pacer per gateway host. */
    public boolean commandLimitPerAddress() {
        return AstroSubscriptionsConfig.COMMAND_LIMIT_SCOPE_ADDRESS.equalsIgnoreCase(
                get(AstroSubscriptionsConfig.COMMAND_LIMIT_SCOPE).trim());
    }

    public String topicNamePattern() {
        return get(AstroOutputConfig.TOPIC_NAME_PATTERN);
    }

    /** Zero when heartbeats are off. */
    public Duration heartbeatInterval() {
        return get(AstroOutputConfig.HEARTBEAT_INTERVAL);
    }

    public String heartbeatTopic() {
        return get(AstroOutputConfig.HEARTBEAT_TOPIC);
    }

    public ValueFormat valueFormat() {
        return get(AstroOutputConfig.VALUE_FORMAT);
    }

    public boolean includePersonalData() {
        return get(AstroOutputConfig.PERSONAL_DATA);
    }

    /**
     * astro.subscription.error.policy, or the value of its former name when only that is set. The former name is
     * not in the ConfigDef (Connect owns errors.*), so it is read from the originals.
     */
    public SubscriptionErrorPolicy subscriptionErrorPolicy() {
        Object former = originals().get(AstroReliabilityConfig.DEPRECATED_SUBSCRIPTION_ERROR_POLICY);
        if (former != null && !originals().containsKey(AstroReliabilityConfig.SUBSCRIPTION_ERROR_POLICY.name())) {
            return SubscriptionErrorPolicy.parse(former.toString());
        }
        return get(AstroReliabilityConfig.SUBSCRIPTION_ERROR_POLICY);
    }

    public int dedupCacheSize() {
        return get(AstroReliabilityConfig.DEDUP_CACHE_SIZE);
    }

    public int dedupCacheTaskSize() {
        return get(AstroReliabilityConfig.DEDUP_CACHE_TASK_SIZE);
    }

    public Duration dedupClockSkew() {
        return get(AstroReliabilityConfig.DEDUP_CLOCK_SKEW);
    }

    /** Everything gap repair needs. */
    public BackfillSettings backfillSettings() {
        return AstroBackfillConfig.settings(this);
    }

    public int bufferMaxRecords() {
        return get(AstroAdvancedConfig.BUFFER_MAX_RECORDS);
    }

    public long bufferMaxBytes() {
        return get(AstroAdvancedConfig.BUFFER_MAX_BYTES);
    }

    public int pollBatchMaxRecords() {
        return get(AstroAdvancedConfig.POLL_BATCH_MAX_RECORDS);
    }

    public Duration pollTimeout() {
        return get(AstroAdvancedConfig.POLL_TIMEOUT);
    }

    /** The session settings for astro.token; a ConfigException names the Security key that cannot work. */
    public SessionSettings sessionSettings() {
        return sessionSettingsBuilder().build();
    }

    /**
     * {@link #sessionSettings()}, for a task to add what only it has, such as its worker's shared pacer or tokens
     * that change ({@link SessionSettings.Builder#credentials}), and for a test to change what it needs.
     */
    public SessionSettings.Builder sessionSettingsBuilder() {
        Duration budget = get(AstroReliabilityConfig.RECONNECT_MAX_DURATION);
        return SessionSettings.builder()
                .uri(url())
                .credentials(new ConfiguredToken(token(), tokenType(), Clock.systemUTC()))
                .connectTimeout(connectTimeout())
                .welcomeTimeout(get(AstroConnectionConfig.WELCOME_TIMEOUT))
                .livenessTimeout(get(AstroConnectionConfig.LIVENESS_TIMEOUT))
                .subscribeTimeout(get(AstroSubscriptionsConfig.SUBSCRIBE_TIMEOUT))
                .commandBurst(get(AstroSubscriptionsConfig.COMMAND_BURST))
                .commandInterval(get(AstroSubscriptionsConfig.COMMAND_INTERVAL))
                .backoffInitial(get(AstroReliabilityConfig.BACKOFF_INITIAL))
                .backoffMax(get(AstroReliabilityConfig.BACKOFF_MAX))
                .backoffMultiplier(get(AstroReliabilityConfig.BACKOFF_MULTIPLIER))
                .retryAfterMax(get(AstroReliabilityConfig.RETRY_AFTER_MAX))
                .reconnectMaxDuration(budget.isNegative() ? null : budget)
                .subscriptionErrorPolicy(subscriptionErrorPolicy())
                .maxFrameBytes(get(AstroAdvancedConfig.FRAME_MAX_BYTES))
                .maxNestingDepth(get(AstroAdvancedConfig.JSON_MAX_NESTING_DEPTH))
                .payloads(new PayloadReading(valueFormat(), includePersonalData()))
                .transport(AstroSecurityConfig.transport(url(), values()));
    }
}
