package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.protocol.PayloadReader;
import io.github.kafkaconnectastro.auth.Credentials;
import io.github.kafkaconnectastro.subscribe.CommandPacer;
import io.github.kafkaconnectastro.subscribe.SubscribeSettings;
import io.github.kafkaconnectastro.subscribe.SubscriptionErrorPolicy;
import io.github.kafkaconnectastro.transport.TransportSettings;

import io.github.kafkaconnectastro.util.SafeText;
import io.github.kafkaconnectastro.protocol.TokenType;
import org.apache.kafka.common.config.types.Password;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a session needs from the configuration, built by name ({@link #builder()}) so that two durations
 * cannot be swapped silently. The configuration fills the builder ({@code AstroSourceConnectorConfig
 * .sessionSettingsBuilder()}), and the defaults are the configuration's: this class has none of its own. The token
 * stays a {@link Password} so that printing these settings, by mistake or in a debugger, shows {@code [hidden]}.
 */
public final class SessionSettings implements SubscribeSettings {

    private static final int HARD_FRAME_CEILING_FACTOR = 4;

    private final URI uri;
    private final Credentials credentials;
    private final Duration connectTimeout;
    private final Duration welcomeTimeout;
    private final Duration subscribeTimeout;
    private final Duration livenessTimeout;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final double backoffMultiplier;
    private final Duration retryAfterMax;
    private final Duration reconnectMaxDuration;
    private final SubscriptionErrorPolicy subscriptionErrorPolicy;
    private final int maxFrameBytes;
    private final int maxNestingDepth;
    private final int commandBurst;
    private final Duration commandInterval;
    private final TransportSettings transport;
    private final CommandPacer sharedPacer;
    private final PayloadReader payloads;

    private SessionSettings(Builder b) {
        this.uri = Objects.requireNonNull(b.uri, "uri");
        this.credentials = Objects.requireNonNull(b.credentials, "credentials");
        this.connectTimeout = Objects.requireNonNull(b.connectTimeout, "connectTimeout");
        this.welcomeTimeout = Objects.requireNonNull(b.welcomeTimeout, "welcomeTimeout");
        this.subscribeTimeout = Objects.requireNonNull(b.subscribeTimeout, "subscribeTimeout");
        this.livenessTimeout = Objects.requireNonNull(b.livenessTimeout, "livenessTimeout");
        this.backoffInitial = Objects.requireNonNull(b.backoffInitial, "backoffInitial");
        this.backoffMax = Objects.requireNonNull(b.backoffMax, "backoffMax");
        this.backoffMultiplier = Objects.requireNonNull(b.backoffMultiplier, "backoffMultiplier");
        this.retryAfterMax = Objects.requireNonNull(b.retryAfterMax, "retryAfterMax");
        this.reconnectMaxDuration = b.reconnectMaxDuration;
        this.subscriptionErrorPolicy = Objects.requireNonNull(b.subscriptionErrorPolicy, "subscriptionErrorPolicy");
        this.maxFrameBytes = Objects.requireNonNull(b.maxFrameBytes, "maxFrameBytes");
        this.maxNestingDepth = Objects.requireNonNull(b.maxNestingDepth, "maxNestingDepth");
        this.commandBurst = Objects.requireNonNull(b.commandBurst, "commandBurst");
        this.commandInterval = Objects.requireNonNull(b.commandInterval, "commandInterval");
        this.transport = Objects.requireNonNull(b.transport, "transport");
        this.sharedPacer = b.sharedPacer;
        this.payloads = b.payloads;
    }

    /**
     * Reads each notification's payload into its record value on the reader thread, in the codec's pass; null
     * to keep payloads as text, for {@code poll()} to map.
     */
    public PayloadReader payloads() {
        return payloads;
    }

    /** An empty builder: every value must be set, except the reconnect budget, the shared pacer and the payload reader. */
    public static Builder builder() {
        return new Builder();
    }

    public URI uri() {
        return uri;
    }

    /** The token to subscribe with now; it may change while the session runs (see {@link #credentials()}). */
    public Password token() {
        return credentials.token();
    }

    public TokenType tokenType() {
        return credentials.type();
    }

    /** Where the token comes from, and how a refused one is renewed. */
    public Credentials credentials() {
        return credentials;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration welcomeTimeout() {
        return welcomeTimeout;
    }

    public Duration subscribeTimeout() {
        return subscribeTimeout;
    }

    public Duration livenessTimeout() {
        return livenessTimeout;
    }

    public Duration backoffInitial() {
        return backoffInitial;
    }

    public Duration backoffMax() {
        return backoffMax;
    }

    public double backoffMultiplier() {
        return backoffMultiplier;
    }

    /** The longest handshake Retry-After obeyed. */
    public Duration retryAfterMax() {
        return retryAfterMax;
    }

    /** How long the session may go without a healthy connection before it fails; null means for ever. */
    public Duration reconnectMaxDuration() {
        return reconnectMaxDuration;
    }

    public SubscriptionErrorPolicy subscriptionErrorPolicy() {
        return subscriptionErrorPolicy;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * The websocket library's own frame ceiling, four times {@link #maxFrameBytes()}: a frame between the two is
     * skipped, a larger one closes the connection before it is read whole.
     */
    public int hardFrameCeiling() {
        return (int) Math.min(Integer.MAX_VALUE, (long) maxFrameBytes * HARD_FRAME_CEILING_FACTOR);
    }

    public int maxNestingDepth() {
        return maxNestingDepth;
    }

    public int commandBurst() {
        return commandBurst;
    }

    public Duration commandInterval() {
        return commandInterval;
    }

    /** TLS and proxy: how connections reach the gateway. */
    public TransportSettings transport() {
        return transport;
    }

    /** The pacer the task shares with the worker's other tasks on the same gateway host; null: one of its own. */
    public CommandPacer sharedPacer() {
        return sharedPacer;
    }

    /** How long subscribes pause after a {@code rate_limit_exceeded}: ten command intervals, at least the backoff. */
    public long rateLimitPauseMs() {
        return Math.max(commandInterval.toMillis() * 10, backoffInitial.toMillis());
    }

    @Override
    public String toString() {
        return "SessionSettings{uri=" + SafeText.displayUri(uri) + ", token=" + token() + ", tokenType=" + tokenType()
                + ", transport=" + transport + "}";
    }

    /** Named setters; {@link #build()} fails on a value left unset. */
    public static final class Builder {
        private URI uri;
        private Credentials credentials;
        private Duration connectTimeout;
        private Duration welcomeTimeout;
        private Duration subscribeTimeout;
        private Duration livenessTimeout;
        private Duration backoffInitial;
        private Duration backoffMax;
        private Double backoffMultiplier;
        private Duration retryAfterMax;
        private Duration reconnectMaxDuration;
        private SubscriptionErrorPolicy subscriptionErrorPolicy;
        private Integer maxFrameBytes;
        private Integer maxNestingDepth;
        private Integer commandBurst;
        private Duration commandInterval;
        private TransportSettings transport;
        private CommandPacer sharedPacer;
        private PayloadReader payloads;

        private Builder() {
        }

        public Builder uri(URI value) {
            uri = value;
            return this;
        }

        /** A token that may change while the session runs. */
        public Builder credentials(Credentials value) {
            credentials = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder welcomeTimeout(Duration value) {
            welcomeTimeout = value;
            return this;
        }

        public Builder subscribeTimeout(Duration value) {
            subscribeTimeout = value;
            return this;
        }

        public Builder livenessTimeout(Duration value) {
            livenessTimeout = value;
            return this;
        }

        public Builder backoffInitial(Duration value) {
            backoffInitial = value;
            return this;
        }

        public Builder backoffMax(Duration value) {
            backoffMax = value;
            return this;
        }

        public Builder backoffMultiplier(double value) {
            backoffMultiplier = value;
            return this;
        }

        public Builder retryAfterMax(Duration value) {
            retryAfterMax = value;
            return this;
        }

        public Builder reconnectMaxDuration(Duration value) {
            reconnectMaxDuration = value;
            return this;
        }

        public Builder subscriptionErrorPolicy(SubscriptionErrorPolicy value) {
            subscriptionErrorPolicy = value;
            return this;
        }

        public Builder maxFrameBytes(int value) {
            maxFrameBytes = value;
            return this;
        }

        public Builder maxNestingDepth(int value) {
            maxNestingDepth = value;
            return this;
        }

        public Builder commandBurst(int value) {
            commandBurst = value;
            return this;
        }

        public Builder commandInterval(Duration value) {
            commandInterval = value;
            return this;
        }

        public Builder payloads(PayloadReader value) {
            payloads = value;
            return this;
        }

        public Builder sharedPacer(CommandPacer value) {
            sharedPacer = value;
            return this;
        }

        public Builder transport(TransportSettings value) {
            transport = value;
            return this;
        }

        public SessionSettings build() {
            return new SessionSettings(this);
        }
    }
}
