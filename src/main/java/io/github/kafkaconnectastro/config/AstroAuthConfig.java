package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.auth.JwtExpiry;
import io.github.kafkaconnectastro.auth.TokenRenewal;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
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
final class AstroAuthConfig {

    static final String CLIENT_ID_CONFIG = "astro.oauth2.client.id";
    private static final String CLIENT_ID_DOC = "The OAuth2 client id of the application StreamElements approved. "
            + "Set it, with astro.oauth2.client.secret and astro.oauth2.refresh.token, instead of astro.token: the "
            + "connector then refreshes its own access tokens and subscribes with token type oauth2.";

    static final String CLIENT_SECRET_CONFIG = "astro.oauth2.client.secret";
    private static final String CLIENT_SECRET_DOC = "The OAuth2 client secret. Also the source of the key that "
            + "encrypts the refresh token the connector keeps in its offsets (AES-GCM; the key is derived, never "
            + "stored): a changed secret makes the kept refresh token unreadable, and astro.oauth2.refresh.token is "
            + "used again. Keep it out of the connector config with a config provider.";

    static final String REFRESH_TOKEN_CONFIG = "astro.oauth2.refresh.token";
    private static final String REFRESH_TOKEN_DOC = "The first refresh token, from the OAuth2 authorization flow. "
            + "StreamElements replaces a refresh token when it is used; the connector keeps each new one, encrypted, "
            + "in its offsets, and uses it instead of this one until this one is changed. Keep it out of the "
            + "connector config with a config provider.";

    static final String TOKEN_URL_CONFIG = "astro.oauth2.token.url";
    static final String TOKEN_URL_DEFAULT = "https://api.streamelements.com/oauth2/token";
    private static final String TOKEN_URL_DOC = "StreamElements' OAuth2 token endpoint, POSTed grant_type="
            + "refresh_token with the client id and secret. http:// only for a loopback host unless "
            + "astro.allow.plaintext.";

    /** The first warning about a JWT running out: from then on the task warns too. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(7);

    private static final Logger log = LoggerFactory.getLogger(AstroAuthConfig.class);

    private AstroAuthConfig() {
    }

    /** Adds the OAuth2 keys to the Connection group after {@code order}; returns the last order used. */
    static int addOAuth2Keys(ConfigDef def, String group, int order) {
        def.define(CLIENT_ID_CONFIG, Type.STRING, null, Importance.MEDIUM, CLIENT_ID_DOC, group, ++order,
                Width.MEDIUM, "OAuth2 client id");
        def.define(CLIENT_SECRET_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, CLIENT_SECRET_DOC, group, ++order,
                Width.MEDIUM, "OAuth2 client secret");
        def.define(REFRESH_TOKEN_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, REFRESH_TOKEN_DOC, group, ++order,
                Width.LONG, "OAuth2 refresh token");
        def.define(TOKEN_URL_CONFIG, Type.STRING, TOKEN_URL_DEFAULT, TOKEN_URL, Importance.LOW, TOKEN_URL_DOC, group,
                ++order, Width.LONG, "OAuth2 token endpoint");
        return order;
    }

    /** True when the OAuth2 keys, not astro.token, are to authenticate. */
    static boolean oauth2(Map<String, ?> values) {
        return present(values.get(REFRESH_TOKEN_CONFIG));
    }

    /**
     * validate()'s part: which of astro.token and astro.oauth2.* is missing or set twice, and an expired JWT (named
     * with its expiry time). A JWT that expires within 7 days is logged as a warning: Connect's validation has no
     * warnings, and an error would refuse a token that still works.
     */
    static Map<String, String> problems(Map<String, Object> parsed, Instant now) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (!parsed.containsKey(AstroSourceConnectorConfig.TOKEN_CONFIG) || !parsed.containsKey(REFRESH_TOKEN_CONFIG)
                || !parsed.containsKey(CLIENT_ID_CONFIG) || !parsed.containsKey(CLIENT_SECRET_CONFIG)) {
            return problems;
        }
        Object token = parsed.get(AstroSourceConnectorConfig.TOKEN_CONFIG);
        if (oauth2(parsed)) {
            Object url = parsed.get(TOKEN_URL_CONFIG);
            URI tokenUrl = url == null ? null : URI.create(url.toString().trim());
            if (tokenUrl != null && "http".equalsIgnoreCase(tokenUrl.getScheme())
                    && !Boolean.TRUE.equals(parsed.get(AstroSecurityConfig.ALLOW_PLAINTEXT_CONFIG))
                    && !AstroSecurityConfig.isLoopback(tokenUrl.getHost())) {
                problems.put(TOKEN_URL_CONFIG, "http:// sends the client secret and refresh token in clear text, and "
                        + tokenUrl.getHost() + " is not a loopback host: use https://, or set "
                        + AstroSecurityConfig.ALLOW_PLAINTEXT_CONFIG + "=true if this network may see them");
            }
            if (present(token)) {
                problems.put(AstroSourceConnectorConfig.TOKEN_CONFIG, "set either astro.token or "
                        + REFRESH_TOKEN_CONFIG + " (with " + CLIENT_ID_CONFIG + " and " + CLIENT_SECRET_CONFIG
                        + "), not both");
            }
            if (!present(parsed.get(CLIENT_ID_CONFIG))) {
                problems.put(CLIENT_ID_CONFIG, CLIENT_ID_CONFIG + " is needed with " + REFRESH_TOKEN_CONFIG);
            }
            if (!present(parsed.get(CLIENT_SECRET_CONFIG))) {
                problems.put(CLIENT_SECRET_CONFIG, CLIENT_SECRET_CONFIG + " is needed with " + REFRESH_TOKEN_CONFIG);
            }
            return problems;
        }
        if (!present(token)) {
            problems.put(AstroSourceConnectorConfig.TOKEN_CONFIG, "set astro.token to the token from the "
                    + "StreamElements dashboard (or a config provider reference such as ${file:/path:token}), or set "
                    + REFRESH_TOKEN_CONFIG + ", " + CLIENT_ID_CONFIG + " and " + CLIENT_SECRET_CONFIG
                    + " to let the connector refresh OAuth2 tokens itself");
            return problems;
        }
        Optional<Instant> expiry = JwtExpiry.of(((Password) token).value());
        if (expiry.isPresent() && !expiry.get().isAfter(now)) {
            problems.put(AstroSourceConnectorConfig.TOKEN_CONFIG, "the JWT in astro.token expired at "
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

    static final ConfigDef.Validator TOKEN_URL = new Validators.Named("an http:// or https:// URL") {
        @Override
        public void ensureValid(String name, Object value) {
            String text = value == null ? "" : value.toString().trim();
            try {
                URI uri = new URI(text);
                if (uri.getHost() == null || !("https".equalsIgnoreCase(uri.getScheme())
                        || "http".equalsIgnoreCase(uri.getScheme()))) {
                    throw new ConfigException(name, text, "expected an https:// URL such as " + TOKEN_URL_DEFAULT);
                }
                if (uri.getUserInfo() != null) {
                    throw new ConfigException(name, "[hidden]", "the URL must not carry credentials");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException(name, text, "not a URL; expected e.g. " + TOKEN_URL_DEFAULT);
            }
        }
    };
}
