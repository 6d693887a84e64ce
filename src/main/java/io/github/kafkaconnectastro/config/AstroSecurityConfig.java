package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.transport.TransportSettings;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.net.URI;
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
public final class AstroSecurityConfig {

    private static final String STORE_TYPE_DEFAULT = "JKS";

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

    private static final ConfigDef.Validator HOST_NAME_CHECK = new Validators.Named("https, or empty") {
        @Override
        public void ensureValid(String name, Object value) {
            String text = value == null ? "" : value.toString().trim();
            if (!text.isEmpty() && !text.equalsIgnoreCase("https")) {
                throw new ConfigException(name, value, "expected https, or empty to turn the host-name check off");
            }
        }
    };

    public static final Key<String> TRUSTSTORE_LOCATION = Key.string("astro.ssl.truststore.location")
            .withDefault(null)
            .withImportance(Importance.MEDIUM).withDisplay(Width.LONG, "Trust store")
            .withDoc("The trust store file the gateway's certificate (or a CA above it) must be in for wss://. Not "
                    + "set (default): the JVM's own trust store (its cacerts), which trusts the public CAs the real "
                    + "gateway's certificate comes from.");

    public static final Key<Password> TRUSTSTORE_PASSWORD = Key.password("astro.ssl.truststore.password")
            .withDefault(null)
            .withImportance(Importance.MEDIUM).withDisplay(Width.MEDIUM, "Trust store password")
            .withDoc("The trust store's password. Not set: the store is read without checking its integrity. Keep "
                    + "it out of the connector config with a config provider, e.g. "
                    + "${file:/etc/kafka/secrets/astro.properties:truststore.password}.");

    public static final Key<String> TRUSTSTORE_TYPE = Key.string("astro.ssl.truststore.type").as(String::trim)
            .withDefault(STORE_TYPE_DEFAULT).withValidator(STORE_TYPE)
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Trust store type")
            .withDoc("The trust store's file format: JKS or PKCS12.");

    public static final Key<String> KEYSTORE_LOCATION = Key.string("astro.ssl.keystore.location")
            .withDefault(null)
            .withImportance(Importance.LOW).withDisplay(Width.LONG, "Key store")
            .withDoc("A key store with the client certificate and its private key, for a gateway (or a TLS proxy in "
                    + "front of it) that asks for one. Not set (default): no client certificate.");

    public static final Key<Password> KEYSTORE_PASSWORD = Key.password("astro.ssl.keystore.password")
            .withDefault(null)
            .withImportance(Importance.LOW).withDisplay(Width.MEDIUM, "Key store password")
            .withDoc("The key store's password; required with astro.ssl.keystore.location.");

    public static final Key<Password> KEY_PASSWORD = Key.password("astro.ssl.key.password")
            .withDefault(null)
            .withImportance(Importance.LOW).withDisplay(Width.MEDIUM, "Key password")
            .withDoc("The private key's password in the key store. Not set: the key store's password.");

    public static final Key<String> KEYSTORE_TYPE = Key.string("astro.ssl.keystore.type").as(String::trim)
            .withDefault(STORE_TYPE_DEFAULT).withValidator(STORE_TYPE)
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Key store type")
            .withDoc("The key store's file format: JKS or PKCS12.");

    public static final Key<String> PROTOCOL = Key.string("astro.ssl.protocol").as(String::trim)
            .withDefault("TLSv1.3").withValidator(TLS_PROTOCOL)
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "TLS protocol")
            .withDoc("The TLS protocol the context is made for, as Kafka's ssl.protocol: TLSv1.3 (default) also "
                    + "speaks TLSv1.2 with a gateway that has no TLSv1.3; TLSv1.2 speaks only it.");

    public static final Key<String> ENDPOINT_IDENTIFICATION = Key.string("astro.ssl.endpoint.identification.algorithm")
            .withDefault("https").withValidator(HOST_NAME_CHECK)
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Host name check")
            .withDoc("https (default): the gateway's certificate must name the host of astro.url, as a browser "
                    + "checks it. Empty: any host name is accepted as long as the certificate is trusted, which lets "
                    + "anyone with a trusted certificate for another name pose as the gateway; only for a test "
                    + "gateway.");

    public static final Key<Boolean> ALLOW_PLAINTEXT = Key.bool("astro.allow.plaintext")
            .withDefault(false)
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Allow ws:// beyond loopback")
            .withDoc("false (default): a ws:// astro.url (no TLS) is accepted only for a loopback host (localhost, "
                    + "127.0.0.0/8, ::1), so that the token never crosses a network in clear text by mistake, and so "
                    + "are astro.proxy.user and astro.proxy.password, which go to the http:// proxy in clear text. "
                    + "true: ws:// to any host, e.g. an emulator on another machine of a test network, and proxy "
                    + "credentials to any proxy.");

    /** Null when there is no proxy. */
    public static final Key<URI> PROXY_URL = Key.string("astro.proxy.url")
            .as(text -> text.isBlank() ? null : URI.create(text.trim()))
            .withDefault(null)
            .withValidator(UrlValidator.httpProxy("; use astro.proxy.user and astro.proxy.password"))
            .withImportance(Importance.MEDIUM).withDisplay(Width.LONG, "Proxy URL")
            .withDoc("An HTTP proxy to reach the gateway through, as http://host:port (port 80 when left out): the "
                    + "connector asks it for a tunnel with CONNECT, then speaks TLS to the gateway through it, so the "
                    + "proxy sees neither the token nor the notifications of a wss:// URL. Not set (default): direct "
                    + "connections; the JVM's proxy settings are not used.");

    public static final Key<String> PROXY_USER = Key.string("astro.proxy.user")
            .withDefault(null)
            .withImportance(Importance.LOW).withDisplay(Width.MEDIUM, "Proxy user")
            .withDoc("The user for a proxy that wants authentication; sent with astro.proxy.password as "
                    + "Proxy-Authorization: Basic, which the proxy (and anyone between it and the worker) can read: "
                    + "accepted only for a loopback proxy host unless astro.allow.plaintext=true. Not set: no "
                    + "authentication.");

    public static final Key<Password> PROXY_PASSWORD = Key.password("astro.proxy.password")
            .withDefault(null)
            .withImportance(Importance.LOW).withDisplay(Width.MEDIUM, "Proxy password")
            .withDoc("The password of astro.proxy.user. Keep it out of the connector config with a config "
                    + "provider, e.g. ${env:ASTRO_PROXY_PASSWORD}.");

    static final KeyGroup GROUP = new KeyGroup("Security", TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD,
            TRUSTSTORE_TYPE, KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEY_PASSWORD, KEYSTORE_TYPE, PROTOCOL,
            ENDPOINT_IDENTIFICATION, ALLOW_PLAINTEXT, PROXY_URL, PROXY_USER, PROXY_PASSWORD);

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    private AstroSecurityConfig() {
    }

    /**
     * The transport for parsed values ({@code AbstractConfig.values()}, or validate()'s parsed values).
     *
     * @throws InvalidSecuritySetting naming the key when a store cannot be read or the URL breaks the plaintext rule
     */
    static TransportSettings transport(URI url, Map<String, ?> values) {
        boolean tls = "wss".equalsIgnoreCase(url.getScheme());
        if (!tls && !Boolean.TRUE.equals(ALLOW_PLAINTEXT.read(values)) && !isLoopback(url.getHost())) {
            throw new InvalidSecuritySetting(AstroConnectionConfig.URL.name(), "ws:// sends the token in clear "
                    + "text, and " + url.getHost() + " is not a loopback host: use wss://, or set "
                    + ALLOW_PLAINTEXT + "=true if this network may see the token");
        }
        URI proxy = PROXY_URL.read(values);
        String proxyUser = PROXY_USER.read(values);
        // The proxy is always reached with http://, so Basic credentials cross the network to it as the token
        // crosses it with ws://: the same rule, on the proxy's host.
        if (proxy != null && proxyUser != null && !proxyUser.isBlank()
                && !Boolean.TRUE.equals(ALLOW_PLAINTEXT.read(values)) && !isLoopback(proxy.getHost())) {
            throw new InvalidSecuritySetting(PROXY_URL.name(), PROXY_USER + " and " + PROXY_PASSWORD + " are sent "
                    + "to the proxy in clear text (http://), and " + proxy.getHost() + " is not a loopback host: "
                    + "use a proxy on this machine, leave " + PROXY_USER + " unset, or set " + ALLOW_PLAINTEXT
                    + "=true if this network may see them");
        }
        SSLContext context = !tls ? null : SslContextFactory.build(PROTOCOL.read(values),
                store(values, TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE),
                store(values, KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_TYPE), KEY_PASSWORD.read(values));
        return new TransportSettings(context, ENDPOINT_IDENTIFICATION.read(values), proxy, proxyUser,
                PROXY_PASSWORD.read(values));
    }

    /** validate()'s part: the transport's problem on the key to change, or none (also when a key has errors). */
    static Map<String, String> problems(Map<String, Object> parsed) {
        for (Key<?> key : List.of(AstroConnectionConfig.URL, TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD,
                TRUSTSTORE_TYPE, KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEY_PASSWORD, KEYSTORE_TYPE, PROTOCOL,
                ALLOW_PLAINTEXT, PROXY_URL, PROXY_USER, PROXY_PASSWORD)) {
            if (!parsed.containsKey(key.name())) {
                return Map.of();
            }
        }
        try {
            transport(AstroConnectionConfig.URL.read(parsed), parsed);
            return Map.of();
        } catch (InvalidSecuritySetting e) {
            return Map.of(e.key(), e.getMessage());
        }
    }

    private static SslContextFactory.StoreFile store(Map<String, ?> values, Key<String> location,
                                                     Key<Password> password, Key<String> type) {
        String path = location.read(values);
        return path == null || path.isBlank() ? null
                : new SslContextFactory.StoreFile(path.trim(), password.read(values), type.read(values));
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
}
