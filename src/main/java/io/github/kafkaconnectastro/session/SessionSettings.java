package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.protocol.TokenType;
import org.apache.kafka.common.config.types.Password;

import java.net.URI;
import java.time.Duration;

/**
 * Everything a session needs from the configuration. The token stays a {@link Password} so that printing these
 * settings, by mistake or in a debugger, shows {@code [hidden]}.
 *
 * @param reconnectMaxDuration how long the session may go without a healthy connection before it fails;
 *                             null means for ever
 */
public record SessionSettings(
        URI uri,
        Password token,
        TokenType tokenType,
        Duration connectTimeout,
        Duration welcomeTimeout,
        Duration subscribeTimeout,
        Duration livenessTimeout,
        Duration backoffInitial,
        Duration backoffMax,
        double backoffMultiplier,
        Duration reconnectMaxDuration,
        SubscriptionErrorPolicy subscriptionErrorPolicy,
        int maxFrameBytes,
        int maxNestingDepth,
        int commandBurst,
        Duration commandInterval) {
}
