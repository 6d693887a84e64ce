package io.github.kafkaconnectastro.auth;

import org.apache.kafka.common.config.types.Password;

import java.time.Duration;
import java.time.Instant;

/**
 * An OAuth2 access token with the refresh token that obtains the next one. Both stay {@link Password}s, so that
 * printing a grant shows {@code [hidden]}.
 *
 * @param accessToken  what subscribes
 * @param refreshToken what the next refresh must present (StreamElements replaces it on use)
 * @param obtainedAt   when the endpoint issued it
 * @param expiresAt    when the access token expires, from the endpoint's {@code expires_in}
 */
public record TokenGrant(Password accessToken, Password refreshToken, Instant obtainedAt, Instant expiresAt) {

    /** The longest a refresh comes before the access token expires. */
    static final Duration MAX_MARGIN = Duration.ofHours(1);

    /** False for a grant kept only for its refresh token: the answer that carried it had no usable access token. */
    public boolean hasAccessToken() {
        return accessToken != null && !accessToken.value().isEmpty();
    }

    /**
     * When to refresh: an hour before expiry, or half-way through the token's life when it lives less than two
     * hours. The margin leaves tasks other than task 0 time to read the new token from the offsets (written within
     * offset.flush.interval.ms) before the old one expires.
     */
    public Instant refreshAt() {
        Duration lifetime = Duration.between(obtainedAt, expiresAt);
        Duration half = lifetime.isNegative() ? Duration.ZERO : lifetime.dividedBy(2);
        return expiresAt.minus(half.compareTo(MAX_MARGIN) < 0 ? half : MAX_MARGIN);
    }
}
