package io.github.kafkaconnectastro.auth;

import io.github.kafkaconnectastro.protocol.TokenType;
import org.apache.kafka.common.config.types.Password;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * A token that never changes while a session runs, such as the one of {@code astro.token}, which the connector cannot
 * renew itself: a dashboard JWT (whose {@code exp} it reads, so that the end is seen coming), an overlay token or an
 * OAuth2 access token (opaque: expiry unknown). A refusal of an expired JWT says when it expired and where to get a
 * new one.
 */
public final class ConfiguredToken implements Credentials {

    private final Password token;
    private final TokenType type;
    private final Optional<Instant> expiry;
    private final Clock clock;

    /**
     * @param token null when {@code astro.token} is not set, as with OAuth2, where the task's own credentials take
     *              this one's place before any session starts
     * @param clock tells whether the JWT has expired when a refusal is explained
     */
    public ConfiguredToken(Password token, TokenType type, Clock clock) {
        this.token = token;
        this.type = type;
        this.expiry = JwtExpiry.of(token == null ? null : token.value());
        this.clock = clock;
    }

    @Override
    public Password token() {
        return token;
    }

    @Override
    public TokenType type() {
        return type;
    }

    /** The JWT's {@code exp}; empty for a token that is not a JWT with one. */
    public Optional<Instant> expiry() {
        return expiry;
    }

    @Override
    public String refusalHint() {
        if (expiry.isPresent() && !expiry.get().isAfter(clock.instant())) {
            return "astro.token expired at " + expiry.get() + ", renew it at " + TokenRenewal.DASHBOARD_URL
                    + " (Show secrets) and update astro.token, or use OAuth2 (astro.oauth2.*), which the connector "
                    + "refreshes itself.";
        }
        return Credentials.super.refusalHint();
    }
}
