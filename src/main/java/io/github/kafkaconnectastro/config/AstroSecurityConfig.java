package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.transport.TransportSettings;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.security.KeyStore;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The "Security" group: TLS named as Kafka's own clients name it ({@code ssl.*}, here under {@code astro.}), the
 * HTTP CONNECT proxy, and the rule that the token crosses a network in clear text only when asked to. Turns these
 * keys into the session's {@link TransportSettings}.
 */
final class AstroSecurityConfig {

    static final String GROUP = "Security";

    static final String TRUSTSTORE_LOCATION_CONFIG = "astro.ssl.truststore.location";
    private static final String TRUSTSTORE_LOCATION_DOC = "The trust store file the gateway's certificate (or a CA "
            + "above it) must be in for wss://. Not set (default): the JVM's own trust store (its cacerts), which "
            + "trusts the public CAs the real gateway's certificate comes from.";

    static final String TRUSTSTORE_PASSWORD_CONFIG = "astro.ssl.truststore.password";
    private static final String TRUSTSTORE_PASSWORD_DOC = "The trust store's password. Not set: the store is read "
            + "without checking its integrity. Keep it out of the connector config with a config provider, e.g. "
            + "${file:/etc/kafka/secrets/astro.properties:truststore.password}.";

    static final String TRUSTSTORE_TYPE_CONFIG = "astro.ssl.truststore.type";
    static final String STORE_TYPE_DEFAULT = "JKS";
    private static final String TRUSTSTORE_TYPE_DOC = "The trust store's file format: JKS or PKCS12.";

    static final String KEYSTORE_LOCATION_CONFIG = "astro.ssl.keystore.location";
    private static final String KEYSTORE_LOCATION_DOC = "A key store with the client certificate and its private key, "
            + "for a gateway (or a TLS proxy in front of it) that asks for one. Not set (default): no client "
            + "certificate.";

    static final String KEYSTORE_PASSWORD_CONFIG = "astro.ssl.keystore.password";
    private static final String KEYSTORE_PASSWORD_DOC = "The key store's password; required with "
            + KEYSTORE_LOCATION_CONFIG + ".";

    static final String KEY_PASSWORD_CONFIG = "astro.ssl.key.password";
    private static final String KEY_PASSWORD_DOC = "The private key's password in the key store. Not set: the key "
            + "store's password.";

    static final String KEYSTORE_TYPE_CONFIG = "astro.ssl.keystore.type";
    private static final String KEYSTORE_TYPE_DOC = "The key store's file format: JKS or PKCS12.";

    static final String PROTOCOL_CONFIG = "astro.ssl.protocol";
    static final String PROTOCOL_DEFAULT = "TLSv1.3";
    private static final String PROTOCOL_DOC = "The TLS protocol the context is made for, as Kafka's ssl.protocol: "
            + "TLSv1.3 (default) also speaks TLSv1.2 with a gateway that has no TLSv1.3; TLSv1.2 speaks only it.";

    static final String ENDPOINT_IDENTIFICATION_CONFIG = "astro.ssl.endpoint.identification.algorithm";
    static final String ENDPOINT_IDENTIFICATION_DEFAULT = "https";
    private static final String ENDPOINT_IDENTIFICATION_DOC = "https (default): the gateway's certificate must "
            + "name the host of astro.url, as a browser checks it. Empty: any host name is accepted as long as the "
            + "certificate is trusted, which lets anyone with a trusted certificate for another name pose as the "
            + "gateway; only for a test gateway.";

    static final String ALLOW_PLAINTEXT_CONFIG = "astro.allow.plaintext";
    private static final String ALLOW_PLAINTEXT_DOC = "false (default): a ws:// astro.url (no TLS) is accepted only "
            + "for a loopback host (localhost, 127.0.0.0/8, ::1), so that the token never crosses a network in clear "
            + "text by mistake. true: ws:// to any host, e.g. an emulator on another machine of a test network.";

    static final String PROXY_URL_CONFIG = "astro.proxy.url";
    private static final String PROXY_URL_DOC = "An HTTP proxy to reach the gateway through, as http://host:port "
            + "(port 80 when left out): the connector asks it for a tunnel with CONNECT, then speaks TLS to the "
            + "gateway through it, so the proxy sees neither the token nor the notifications of a wss:// URL. Not "
            + "set (default): direct connections; the JVM's proxy settings are not used.";

    static final String PROXY_USER_CONFIG = "astro.proxy.user";
    private static final String PROXY_USER_DOC = "The user for a proxy that wants authentication; sent with "
            + "astro.proxy.password as Proxy-Authorization: Basic, which the proxy (and anyone between it and the "
            + "worker) can read. Not set: no authentication.";

    static final String PROXY_PASSWORD_CONFIG = "astro.proxy.password";
    private static final String PROXY_PASSWORD_DOC = "The password of astro.proxy.user. Keep it out of the connector "
            + "config with a config provider, e.g. ${env:ASTRO_PROXY_PASSWORD}.";

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    private AstroSecurityConfig() {
    }

    static void addSecurityGroup(ConfigDef def) {
        int order = 0;
        def.define(TRUSTSTORE_LOCATION_CONFIG, Type.STRING, null, Importance.MEDIUM, TRUSTSTORE_LOCATION_DOC, GROUP,
                ++order, Width.LONG, "Trust store");
        def.define(TRUSTSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, TRUSTSTORE_PASSWORD_DOC, GROUP,
                ++order, Width.MEDIUM, "Trust store password");
        def.define(TRUSTSTORE_TYPE_CONFIG, Type.STRING, STORE_TYPE_DEFAULT, STORE_TYPE, Importance.LOW,
                TRUSTSTORE_TYPE_DOC, GROUP, ++order, Width.SHORT, "Trust store type");
        def.define(KEYSTORE_LOCATION_CONFIG, Type.STRING, null, Importance.LOW, KEYSTORE_LOCATION_DOC, GROUP,
                ++order, Width.LONG, "Key store");
        def.define(KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.LOW, KEYSTORE_PASSWORD_DOC, GROUP,
                ++order, Width.MEDIUM, "Key store password");
        def.define(KEY_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.LOW, KEY_PASSWORD_DOC, GROUP, ++order,
                Width.MEDIUM, "Key password");
        def.define(KEYSTORE_TYPE_CONFIG, Type.STRING, STORE_TYPE_DEFAULT, STORE_TYPE, Importance.LOW,
                KEYSTORE_TYPE_DOC, GROUP, ++order, Width.SHORT, "Key store type");
        def.define(PROTOCOL_CONFIG, Type.STRING, PROTOCOL_DEFAULT, TLS_PROTOCOL, Importance.LOW, PROTOCOL_DOC, GROUP,
                ++order, Width.SHORT, "TLS protocol");
        def.define(ENDPOINT_IDENTIFICATION_CONFIG, Type.STRING, ENDPOINT_IDENTIFICATION_DEFAULT, ENDPOINT_IDENTIFICATION,
                Importance.LOW, ENDPOINT_IDENTIFICATION_DOC, GROUP, ++order, Width.SHORT, "Host name check");
        def.define(ALLOW_PLAINTEXT_CONFIG, Type.BOOLEAN, false, Importance.LOW, ALLOW_PLAINTEXT_DOC, GROUP, ++order,
                Width.SHORT, "Allow ws:// beyond loopback");
        def.define(PROXY_URL_CONFIG, Type.STRING, null, PROXY_URL, Importance.MEDIUM, PROXY_URL_DOC, GROUP, ++order,
                Width.LONG, "Proxy URL");
        def.define(PROXY_USER_CONFIG, Type.STRING, null, Importance.LOW, PROXY_USER_DOC, GROUP, ++order, Width.MEDIUM,
                "Proxy user");
        def.define(PROXY_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.LOW, PROXY_PASSWORD_DOC, GROUP, ++order,
                Width.MEDIUM, "Proxy password");
    }

    /**
     * The transport for parsed values ({@code AbstractConfig.values()}, or validate()'s parsed values).
     *
     * @throws InvalidSecuritySetting naming the key when a store cannot be read or the URL breaks the plaintext rule
     */
    static TransportSettings transport(URI url, Map<String, ?> values) {
        boolean tls = "wss".equalsIgnoreCase(url.getScheme());
        if (!tls && !Boolean.TRUE.equals(values.get(ALLOW_PLAINTEXT_CONFIG)) && !isLoopback(url.getHost())) {
            throw new InvalidSecuritySetting(AstroSourceConnectorConfig.URL_CONFIG, "ws:// sends the token in clear "
                    + "text, and " + url.getHost() + " is not a loopback host: use wss://, or set "
                    + ALLOW_PLAINTEXT_CONFIG + "=true if this network may see the token");
        }
        SSLContext context = !tls ? null : SslContextFactory.build(((String) values.get(PROTOCOL_CONFIG)).trim(),
                store(values, TRUSTSTORE_LOCATION_CONFIG, TRUSTSTORE_PASSWORD_CONFIG, TRUSTSTORE_TYPE_CONFIG),
                store(values, KEYSTORE_LOCATION_CONFIG, KEYSTORE_PASSWORD_CONFIG, KEYSTORE_TYPE_CONFIG),
                (Password) values.get(KEY_PASSWORD_CONFIG));
        String proxy = (String) values.get(PROXY_URL_CONFIG);
        return new TransportSettings(context, (String) values.get(ENDPOINT_IDENTIFICATION_CONFIG),
                proxy == null || proxy.isBlank() ? null : URI.create(proxy.trim()),
                (String) values.get(PROXY_USER_CONFIG), (Password) values.get(PROXY_PASSWORD_CONFIG));
    }

    /** validate()'s part: the transport's problem on the key to change, or none (also when a key has errors). */
    static Map<String, String> problems(Map<String, Object> parsed) {
        Object url = parsed.get(AstroSourceConnectorConfig.URL_CONFIG);
        for (String key : List.of(AstroSourceConnectorConfig.URL_CONFIG, TRUSTSTORE_LOCATION_CONFIG,
                TRUSTSTORE_PASSWORD_CONFIG, TRUSTSTORE_TYPE_CONFIG, KEYSTORE_LOCATION_CONFIG, KEYSTORE_PASSWORD_CONFIG,
                KEY_PASSWORD_CONFIG, KEYSTORE_TYPE_CONFIG, PROTOCOL_CONFIG, ALLOW_PLAINTEXT_CONFIG, PROXY_URL_CONFIG)) {
            if (!parsed.containsKey(key)) {
                return Map.of();
            }
        }
        try {
            transport(URI.create(url.toString().trim()), parsed);
            return Map.of();
        } catch (InvalidSecuritySetting e) {
            return Map.of(e.key(), e.getMessage());
        }
    }

    private static SslContextFactory.StoreFile store(Map<String, ?> values, String location, String password,
                                                     String type) {
        Object path = values.get(location);
        return path == null || path.toString().isBlank() ? null : new SslContextFactory.StoreFile(
                path.toString().trim(), (Password) values.get(password), ((String) values.get(type)).trim());
    }

    /** Loopback by its literal name or address only: a name that resolves to 127.0.0.1 might not everywhere. */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost") || IPV4_LOOPBACK.matcher(bare).matches()) {
            return true;
        }
        try {
            // An IPv6 literal is parsed, never looked up.
            return bare.contains(":") && InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** What looks a name up among the JVM's algorithms or formats, throwing when it has none by that name. */
    private interface JvmLookup {
        void find(String name) throws GeneralSecurityException;
    }

    /** A validator of a name the JVM must know, e.g. a key store type. */
    private static ConfigDef.Validator knownToTheJvm(String what, String expected, JvmLookup lookup) {
        return new Validators.Named(expected) {
            @Override
            public void ensureValid(String name, Object value) {
                try {
                    lookup.find(String.valueOf(value).trim());
                } catch (GeneralSecurityException e) {
                    throw new ConfigException(name, value, "not a " + what + " this JVM knows; expected " + expected);
                }
            }
        };
    }

    private static final ConfigDef.Validator STORE_TYPE = knownToTheJvm("key store type", "JKS, PKCS12",
            KeyStore::getInstance);

    private static final ConfigDef.Validator TLS_PROTOCOL = knownToTheJvm("TLS protocol", "TLSv1.3, TLSv1.2",
            SSLContext::getInstance);

    private static final ConfigDef.Validator ENDPOINT_IDENTIFICATION = new Validators.Named("https, or empty") {
        @Override
        public void ensureValid(String name, Object value) {
            String text = value == null ? "" : value.toString().trim();
            if (!text.isEmpty() && !text.equalsIgnoreCase("https")) {
                throw new ConfigException(name, value, "expected https, or empty to turn the host-name check off");
            }
        }
    };

    private static final ConfigDef.Validator PROXY_URL = new Validators.Named("http://host:port, or empty") {
        @Override
        public void ensureValid(String name, Object value) {
            String text = value == null ? "" : value.toString().trim();
            if (text.isEmpty()) {
                return;
            }
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                throw new ConfigException(name, "[hidden]", "not a URL; expected http://host:port");
            }
            if (uri.getUserInfo() != null) {
                throw new ConfigException(name, "[hidden]", "the URL must not carry credentials; use "
                        + PROXY_USER_CONFIG + " and " + PROXY_PASSWORD_CONFIG);
            }
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null
                    || !(uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))) {
                throw new ConfigException(name, text, "expected http://host:port (an HTTP proxy that supports "
                        + "CONNECT)");
            }
        }
    };
}
