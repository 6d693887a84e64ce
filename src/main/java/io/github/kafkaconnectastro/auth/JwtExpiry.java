package io.github.kafkaconnectastro.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads the {@code exp} claim of a JWT without verifying it: the gateway verifies tokens, the connector only wants
 * to see the end coming. A token that is not a JWT (an overlay token, an opaque OAuth2 token), or a JWT without a
 * numeric {@code exp}, has no known expiry. Nothing here ever puts the token into an exception or a log line.
 */
public final class JwtExpiry {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A claims part larger than this is not a dashboard JWT; not decoded, so that a huge value costs nothing. */
    private static final int MAX_CLAIMS_CHARS = 16 * 1024;

    private JwtExpiry() {
    }

    /** The token's expiry, or empty when it is not a JWT with a numeric {@code exp} claim. */
    public static Optional<Instant> of(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.trim().split("\\.", -1);
        if (parts.length != 3 || parts[1].isEmpty() || parts[1].length() > MAX_CLAIMS_CHARS) {
            return Optional.empty();
        }
        try {
            byte[] claims = Base64.getUrlDecoder().decode(stripPadding(parts[1]));
            JsonNode exp = JSON.readTree(new String(claims, StandardCharsets.UTF_8)).get("exp");
            if (exp == null || !exp.isNumber()) {
                return Optional.empty();
            }
            return Optional.of(Instant.ofEpochSecond(exp.asLong()));
        } catch (IllegalArgumentException | java.io.IOException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    private static String stripPadding(String part) {
        int end = part.length();
        while (end > 0 && part.charAt(end - 1) == '=') {
            end--;
        }
        return part.substring(0, end);
    }
}
