package io.github.kafkaconnectastro.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.config.types.Password;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * What task 0 keeps after each refresh (encrypted, in the connector's offsets): the newest grant, a sequence number
 * that grows with each refresh, and the fingerprint of the configured refresh token the grant descends from. The
 * fingerprint tells, at start, which refresh token is the newest: the kept one while {@code
 * astro.oauth2.refresh.token} is unchanged, the configured one once an operator has put a new one there.
 *
 * @param grant  the newest grant
 * @param seq    1 for the first refresh of a lineage, then one more per refresh
 * @param origin the fingerprint ({@link #fingerprint}) of the configured refresh token the lineage started from
 */
public record StoredCredentials(TokenGrant grant, long seq, String origin) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** SHA-256 of a refresh token, base64url: identifies it without revealing it (it is also only ever encrypted). */
    public static String fingerprint(Password refreshToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(refreshToken.value().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM");
        }
    }

    /** True when this lineage started from {@code configured}, i.e. the kept refresh token is newer than it. */
    public boolean descendsFrom(Password configured) {
        return origin.equals(fingerprint(configured));
    }

    String toJson() {
        ObjectNode node = JSON.createObjectNode()
                .put("access_token", grant.accessToken().value())
                .put("refresh_token", grant.refreshToken().value())
                .put("obtained_at_ms", grant.obtainedAt().toEpochMilli())
                .put("expires_at_ms", grant.expiresAt().toEpochMilli())
                .put("seq", seq)
                .put("origin", origin);
        return node.toString();
    }

    static Optional<StoredCredentials> fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            JsonNode access = node.get("access_token");
            JsonNode refresh = node.get("refresh_token");
            JsonNode obtained = node.get("obtained_at_ms");
            JsonNode expires = node.get("expires_at_ms");
            JsonNode seq = node.get("seq");
            JsonNode origin = node.get("origin");
            if (access == null || refresh == null || obtained == null || expires == null || seq == null
                    || origin == null || !obtained.canConvertToLong() || !expires.canConvertToLong()
                    || !seq.canConvertToLong()) {
                return Optional.empty();
            }
            return Optional.of(new StoredCredentials(new TokenGrant(new Password(access.asText()),
                    new Password(refresh.asText()), Instant.ofEpochMilli(obtained.asLong()),
                    Instant.ofEpochMilli(expires.asLong())), seq.asLong(),
                    origin.asText()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
