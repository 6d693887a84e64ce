package io.github.kafkaconnectastro.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kafkaconnectastro.util.SafeText;
import io.github.kafkaconnectastro.util.SharedHttpClients;
import org.apache.kafka.common.config.types.Password;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * StreamElements' OAuth2 refresh grant: POSTs {@code grant_type=refresh_token}, the client id and
 * secret and the refresh token as a form, and reads {@code access_token}, {@code refresh_token} and
 * {@code expires_in}. A response without a new {@code refresh_token} keeps the one presented. The endpoint is
 * reached directly with the JVM's trust store, through the worker's {@linkplain SharedHttpClients shared} HTTP
 * client, leased at the first refresh and released at {@link #close()}.
 */
public final class OAuth2Client implements AutoCloseable {

    /** The lifetime taken when expires_in is missing or not a number. */
    static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    /** The shortest lifetime taken, whatever expires_in says. */
    static final Duration MIN_LIFETIME = Duration.ofSeconds(10);
    /** The longest lifetime taken, whatever expires_in says. */
    static final Duration MAX_LIFETIME = Duration.ofDays(90);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Error codes of RFC 6749 §5.2 after which retrying with the same credentials cannot work. */
    private static final Set<String> PERMANENT_ERRORS = Set.of("invalid_grant", "invalid_client",
            "unauthorized_client", "unsupported_grant_type", "invalid_request", "invalid_scope");

    private final URI tokenUrl;
    private final String clientId;
    private final Password clientSecret;
    private final Duration timeout;
    private final SharedHttpClients.OnFirstUse http;
    private final Clock clock;

    public OAuth2Client(URI tokenUrl, String clientId, Password clientSecret, Duration timeout, Clock clock) {
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.timeout = timeout;
        this.clock = clock;
        this.http = new SharedHttpClients.OnFirstUse(timeout);
    }

    /** Releases the shared client; a refresh after this cannot reach the endpoint. */
    @Override
    public void close() {
        http.close();
    }

    private HttpClient http() throws OAuth2Exception {
        return http.http().orElseThrow(() -> new OAuth2Exception("the task stops; the OAuth2 token endpoint "
                + SafeText.displayUri(tokenUrl) + " is not called", false));
    }

    /** The endpoint, for messages. */
    public String tokenUrl() {
        return SafeText.displayUri(tokenUrl);
    }

    /**
     * Exchanges a refresh token for a new access token (and, usually, a new refresh token).
     *
     * @throws OAuth2Exception when the endpoint cannot be reached or refuses; {@link OAuth2Exception#permanent()}
     *         says whether trying again can help
     */
    public TokenGrant refresh(Password refreshToken) throws OAuth2Exception, InterruptedException {
        String form = "grant_type=refresh_token&client_id=" + encode(clientId) + "&client_secret="
                + encode(clientSecret.value()) + "&refresh_token=" + encode(refreshToken.value());
        HttpRequest request = HttpRequest.newBuilder(tokenUrl).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response;
        try {
            response = http().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new OAuth2Exception("the OAuth2 token endpoint " + SafeText.displayUri(tokenUrl)
                    + " could not be reached (" + e.getClass().getSimpleName() + ")", false);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() != 200) {
            String error = text(body, "error");
            boolean permanent = error != null ? PERMANENT_ERRORS.contains(error)
                    : response.statusCode() == 400 || response.statusCode() == 401;
            throw new OAuth2Exception("the OAuth2 token endpoint " + SafeText.displayUri(tokenUrl) + " answered HTTP "
                    + response.statusCode() + (error == null ? "" : " " + safe(error, refreshToken))
                    + describe(text(body, "error_description"), refreshToken), permanent);
        }
        String refresh = text(body, "refresh_token");
        Password next = refresh == null || refresh.isEmpty() ? refreshToken : new Password(refresh);
        String access = text(body, "access_token");
        if (access == null || access.isEmpty()) {
            // The endpoint has replaced the presented refresh token by now: the new one goes back with the failure.
            throw new OAuth2Exception("the OAuth2 token endpoint " + SafeText.displayUri(tokenUrl) + " answered "
                    + "without access_token", false, next == refreshToken ? null : next);
        }
        Instant now = clock.instant();
        return new TokenGrant(new Password(access), next, now, now.plus(lifetime(body.get("expires_in"))));
    }

    /**
     * The access token's lifetime from expires_in, bounded: a missing or non-numeric one is taken as
     * {@link #DEFAULT_LIFETIME}, so that the token is refreshed early rather than never; one below
     * {@link #MIN_LIFETIME} as that, so that the refresher does not call the endpoint back to back; one above
     * {@link #MAX_LIFETIME} as that, so that no time overflows.
     */
    static Duration lifetime(JsonNode expiresIn) {
        double seconds;
        if (expiresIn != null && expiresIn.isNumber()) {
            seconds = expiresIn.asDouble();
        } else if (expiresIn != null && expiresIn.isTextual() && expiresIn.asText().trim().matches("-?\\d{1,18}")) {
            seconds = Long.parseLong(expiresIn.asText().trim());
        } else {
            return DEFAULT_LIFETIME;
        }
        if (seconds < MIN_LIFETIME.toSeconds()) {
            return MIN_LIFETIME;
        }
        return seconds > MAX_LIFETIME.toSeconds() ? MAX_LIFETIME : Duration.ofSeconds((long) seconds);
    }

    private String describe(String description, Password refreshToken) {
        return description == null ? "" : " (" + safe(description, refreshToken) + ")";
    }

    /** A server's text with both secrets removed, in case it echoes them. */
    private String safe(String text, Password refreshToken) {
        return SafeText.serverText(SafeText.serverText(text, refreshToken), clientSecret);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isEmpty() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body == null ? null : body.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
