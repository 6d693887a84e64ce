package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.auth.JwtExpiry;
import io.github.kafkaconnectastro.auth.TokenRenewal;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How the connector authenticates: either a token it is given ({@code astro.token}), or OAuth2 credentials with
 * which it refreshes its own access tokens ({@code astro.oauth2.*}). Part of the Connection group; checks which of
 * the two is configured, and refuses a JWT that has already expired.
 */
public final class AstroAuthConfig {

    public static final Key<String> CLIENT_ID = Key.string("astro.oauth2.client.id").as(String::trim)
            .withDefault(null)
            .withImportance(Importance.MEDIUM).withDisplay(Width.MEDIUM, "OAuth2 client id")
            .withDoc("The OAuth2 client id of the application StreamElements approved. Set it, with "
                    + "astro.oauth2.client.secret and astro.oauth2.refresh.token, instead of astro.token: the "
                    + "connector then refreshes its own access tokens and subscribes with token type oauth2.");

    public static final Key<Password> CLIENT_SECRET = Key.password("astro.oauth2.client.secret")
            .withDefault(null)
            .withImportance(Importance.MEDIUM).withDisplay(Width.MEDIUM, "OAuth2 client secret")
            .withDoc("The OAuth2 client secret. Also the source of the key that encrypts the refresh token the "
                    + "connector keeps in its offsets (AES-GCM; the key is derived, never stored). To change it, set "
                    + "the former one as astro.oauth2.client.secret.previous until task 0 has saved the kept token "
                    + "again (docs/operations.md, Rotating the OAuth2 client secret). Keep it out of the connector "
                    + "config with a config provider.");

    public static final Key<Password> CLIENT_SECRET_PREVIOUS = Key.password("astro.oauth2.client.secret.previous")
            .withDefault(null)
            .withImportance(Importance.LOW).withDisplay(Width.MEDIUM, "Previous OAuth2 client secret")
            .withDoc("The client secret in use before astro.oauth2.client.secret, while it is being rotated: the "
                    + "refresh token kept in the offsets, encrypted with it, is read with it when the current one "
                    + "cannot read it, and task 0 saves it again with the current one at its start. Never sent to the "
                    + "token endpoint. Remove it once task 0 runs with the new secret and one offset commit has "
                    + "passed (offset.flush.interval.ms). Without it, a kept token that no secret reads fails task 0 "
                    + "at once while astro.oauth2.refresh.token is the one it descends from, rather than present that "
                    + "spent refresh token again.");

    public static final Key<Password> REFRESH_TOKEN = Key.password("astro.oauth2.refresh.token")
            .withDefault(null)
            .withImportance(Importance.MEDIUM).withDisplay(Width.LONG, "OAuth2 refresh token")
            .withDoc("The first refresh token, from the OAuth2 authorization flow. StreamElements replaces a refresh "
                    + "token when it is used; the connector keeps each new one, encrypted, in its offsets, and uses "
                    + "it instead of this one until this one is changed. Keep it out of the connector config with a "
                    + "config provider.");

    private static final String TOKEN_URL_DEFAULT = "https://api.streamelements.com/oauth2/token";

    public static final Key<URI> TOKEN_URL = Key.uri("astro.oauth2.token.url")
            .withDefault(TOKEN_URL_DEFAULT).withValidator(UrlValidator.http(TOKEN_URL_DEFAULT))
            .withImportance(Importance.LOW).withDisplay(Width.LONG, "OAuth2 token endpoint")
            .withDoc("StreamElements' OAuth2 token endpoint, POSTed grant_type=refresh_token with the client id and "
                    + "secret. http:// only for a loopback host unless astro.allow.plaintext.");

    public static final Key<Duration> TOKEN_WAIT = Key.millis("astro.oauth2.token.wait.ms")
            .withDefault(600_000L).withValidator(Range.between(1_000L, 86_400_000L))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "OAuth2 token wait (ms)")
            .withDoc("How long a task other than task 0 waits, in milliseconds, for the first access token task 0 "
                    + "saves in the offsets. Past it the task fails, naming what to check (task 0's status and log, "
                    + "its heartbeat topic, offset.flush.interval.ms), rather than running with nothing flowing; "
                    + "restart it once task 0 runs.");

    /** The first warning about a JWT running out: from then on the task warns too. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(7);

    private static final Logger log = LoggerFactory.getLogger(AstroAuthConfig.class);

    private AstroAuthConfig() {
    }

    /** True when the OAuth2 keys, not astro.token, are to authenticate. */
    static boolean oauth2(Map<String, ?> values) {
        return present(values.get(REFRESH_TOKEN.name()));
    }

    /**
     * validate()'s part: which of astro.token and astro.oauth2.* is missing or set twice, and an expired JWT (named
     * with its expiry time). A JWT that expires within 7 days is logged as a warning: Connect's validation has no
     * warnings, and an error would refuse a token that still works.
     */
    static Map<String, String> problems(Map<String, Object> parsed, Instant now) {
        Map<String, String> problems = new LinkedHashMap<>();
        String tokenKey = AstroConnectionConfig.TOKEN.name();
        if (!parsed.containsKey(tokenKey) || !parsed.containsKey(REFRESH_TOKEN.name())
                || !parsed.containsKey(CLIENT_ID.name()) || !parsed.containsKey(CLIENT_SECRET.name())) {
            return problems;
        }
        Object token = parsed.get(tokenKey);
        if (oauth2(parsed)) {
            URI tokenUrl = TOKEN_URL.read(parsed);
            if (tokenUrl != null && "http".equalsIgnoreCase(tokenUrl.getScheme())
                    && !Boolean.TRUE.equals(AstroSecurityConfig.ALLOW_PLAINTEXT.read(parsed))
                    && !AstroSecurityConfig.isLoopback(tokenUrl.getHost())) {
                problems.put(TOKEN_URL.name(), "http:// sends the client secret and refresh token in clear text, and "
                        + tokenUrl.getHost() + " is not a loopback host: use https://, or set "
                        + AstroSecurityConfig.ALLOW_PLAINTEXT + "=true if this network may see them");
            }
            if (present(token)) {
                problems.put(tokenKey, "set either astro.token or "
                        + REFRESH_TOKEN + " (with " + CLIENT_ID + " and " + CLIENT_SECRET
                        + "), not both");
            }
            if (!present(parsed.get(CLIENT_ID.name()))) {
                problems.put(CLIENT_ID.name(), CLIENT_ID + " is needed with " + REFRESH_TOKEN);
            }
            if (!present(parsed.get(CLIENT_SECRET.name()))) {
                problems.put(CLIENT_SECRET.name(), CLIENT_SECRET + " is needed with " + REFRESH_TOKEN);
            }
            return problems;
        }
        if (!present(token)) {
            problems.put(tokenKey, "set astro.token to the token from the "
                    + "StreamElements dashboard (or a config provider reference such as ${file:/path:token}), or set "
                    + REFRESH_TOKEN + ", " + CLIENT_ID + " and " + CLIENT_SECRET
                    + " to let the connector refresh OAuth2 tokens itself");
            return problems;
        }
        Optional<Instant> expiry = JwtExpiry.of(((Password) token).value());
        if (expiry.isPresent() && !expiry.get().isAfter(now)) {
            problems.put(tokenKey, "the JWT in astro.token expired at "
                    + expiry.get() + "; renew it at " + TokenRenewal.DASHBOARD_URL + " (Show secrets)");
        } else if (expiry.isPresent() && Duration.between(now, expiry.get()).compareTo(EXPIRY_WARNING) < 0) {
            log.warn("The JWT in astro.token expires at {}, in less than {} days; renew it at {} (Show secrets) "
                    + "before then, or use OAuth2 (astro.oauth2.*)", expiry.get(), EXPIRY_WARNING.toDays(),
                    TokenRenewal.DASHBOARD_URL);
        }
        return problems;
    }

    /** The check for a connector or task started without validation (e.g. from a stored configuration). */
    static void require(Map<String, ?> values) {
        Map<String, String> problems = problems(new HashMap<>(values), Instant.MIN);
        if (!problems.isEmpty()) {
            Map.Entry<String, String> first = problems.entrySet().iterator().next();
            throw new ConfigException(first.getKey() + ": " + first.getValue());
        }
    }

    private static boolean present(Object value) {
        if (value instanceof Password p) {
            return p.value() != null && !p.value().isBlank();
        }
        return value != null && !value.toString().isBlank();
    }
}
