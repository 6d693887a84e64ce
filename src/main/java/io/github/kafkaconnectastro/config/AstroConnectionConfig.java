package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.protocol.TokenType;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

import java.net.URI;
import java.time.Duration;

/**
 * The "Connection" group: where the gateway is, the token (or, from {@link AstroAuthConfig}, the OAuth2
 * credentials) it is subscribed with, and how long the task waits for it.
 */
public final class AstroConnectionConfig {

    private static final String URL_DEFAULT = "wss://astro.streamelements.com";

    public static final Key<URI> URL = Key.uri("astro.url")
            .withDefault(URL_DEFAULT).withValidator(UrlValidator.websocket(URL_DEFAULT, "; use astro.token"))
            .withImportance(Importance.HIGH).withDisplay(Width.LONG, "Gateway URL")
            .withDoc("The Astro gateway's websocket address. wss:// for the real gateway, its certificate checked "
                    + "(see Security); ws:// only for a loopback host unless astro.allow.plaintext.");

    public static final Key<Password> TOKEN = Key.password("astro.token")
            .withDefault(null).withValidator(Validators.NON_EMPTY_PASSWORD)
            .withImportance(Importance.HIGH).withDisplay(Width.LONG, "Token")
            .withDoc("The token every subscribe is authorised with: a JWT from the StreamElements dashboard, an "
                    + "overlay token (apikey) or an OAuth2 access token. Keep it out of the connector config with a "
                    + "config provider, e.g. ${file:/etc/kafka/secrets/astro.properties:token}. Never logged. A "
                    + "JWT's expiry (its exp claim) is watched: validation refuses an expired one, and the task warns "
                    + "from 7 days before. Not set: astro.oauth2.* must be, and the connector refreshes its own "
                    + "OAuth2 access tokens.");

    public static final Key<TokenType> TOKEN_TYPE = Key.string("astro.token.type").as(TokenType::parse)
            .withDefault("jwt").withValidator(Validators.TOKEN_TYPE)
            .withImportance(Importance.HIGH).withDisplay(Width.SHORT, "Token type")
            .withDoc("The kind of astro.token: jwt, oauth2 or apikey (oauth, the older documents' spelling, is "
                    + "accepted and sent as written). With astro.oauth2.* the type is oauth2, or oauth when this says "
                    + "so.");

    public static final Key<Duration> CONNECT_TIMEOUT = Key.millis("astro.connect.timeout.ms")
            .withDefault(10_000L).withValidator(Range.between(100L, 600_000L))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Connect timeout (ms)")
            .withDoc("How long one connection attempt (TCP, TLS and websocket handshake) may take, in milliseconds, "
                    + "before it counts as failed and is retried with backoff. Also bounds each call of the OAuth2 "
                    + "token endpoint, which a stop of task 0 waits for (see Tokens in docs/operations.md).");

    public static final Key<Duration> WELCOME_TIMEOUT = Key.millis("astro.welcome.timeout.ms")
            .withDefault(5_000L).withValidator(Range.between(0L, 600_000L))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Welcome timeout (ms)")
            .withDoc("How long to wait for the gateway's welcome message after connecting, in milliseconds. When it "
                    + "does not come, the task subscribes anyway. A connection resumed with a reconnect token that "
                    + "closes within this time is replaced by a fresh one.");

    public static final Key<Duration> LIVENESS_TIMEOUT = Key.millis("astro.liveness.timeout.ms")
            .withDefault(75_000L).withValidator(Range.between(100L, 3_600_000L))
            .withImportance(Importance.MEDIUM).withDisplay(Width.SHORT, "Liveness timeout (ms)")
            .withDoc("A connection on which nothing at all (no message, no ping) arrived for this many milliseconds "
                    + "is treated as half-open, dropped and reconnected. The task pings the gateway after a third of "
                    + "it. Time the task spends waiting for Kafka (full buffer) does not count. Just above the "
                    + "gateway's own 70 s pong deadline by default.");

    public static final Key<Boolean> VALIDATE_PROBE = Key.bool("astro.validate.probe.enabled")
            .withDefault(false)
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Probe the gateway on validation")
            .withDoc("When true, validating the configuration (PUT "
                    + "/connector-plugins/AstroSourceConnector/config/validate, and every create or update of the "
                    + "connector) connects to astro.url, subscribes each pair once with astro.token, then "
                    + "unsubscribes and disconnects. A pair refused with err_unauthorized is reported on astro.token, "
                    + "one refused with err_bad_request on astro.subscriptions, a gateway that cannot be reached on "
                    + "astro.url; the token is never repeated. Validation then takes up to astro.connect.timeout.ms + "
                    + "astro.welcome.timeout.ms + astro.subscribe.timeout.ms (more for many pairs, as subscribes are "
                    + "paced), and no connector can be created or updated while the gateway is unreachable. false "
                    + "(default): validation only checks the configuration's shape and has no side effects.");

    static final KeyGroup GROUP = new KeyGroup("Connection", URL, TOKEN, TOKEN_TYPE,
            AstroAuthConfig.CLIENT_ID, AstroAuthConfig.CLIENT_SECRET, AstroAuthConfig.CLIENT_SECRET_PREVIOUS,
            AstroAuthConfig.REFRESH_TOKEN,
            AstroAuthConfig.TOKEN_URL, AstroAuthConfig.TOKEN_WAIT,
            CONNECT_TIMEOUT, WELCOME_TIMEOUT, LIVENESS_TIMEOUT, VALIDATE_PROBE);

    private AstroConnectionConfig() {
    }
}
