package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.AstroSourceTask;
import io.github.kafkaconnectastro.AstroSourceTaskTest;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AstroSecurityConfigTest {

    private static final String STORE_PASSWORD = "store-pass-3141";

    @TempDir
    Path dir;

    private static Map<String, String> config(String url) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "astro");
        props.put("astro.url", url);
        props.put("astro.token", "security-test-token");
        props.put("astro.subscriptions", "channel.activities:room1");
        return props;
    }

    private static Map<String, List<String>> errors(Map<String, String> props) {
        return ValidationErrors.of(props);
    }

    @Test
    void plaintextToAHostBeyondLoopbackIsAnErrorOnTheUrlNamingAllowPlaintext() {
        List<String> errors = errors(config("ws://gateway.example.com:8080")).get("astro.url");

        assertNotNull(errors);
        assertTrue(errors.get(0).contains("astro.allow.plaintext=true"), errors.get(0));
    }

    @Test
    void plaintextToLoopbackIsAllowed() {
        for (String url : List.of("ws://127.0.0.1:7070", "ws://127.1.2.3", "ws://localhost:7070", "ws://[::1]:7070")) {
            assertEquals(Map.of(), errors(config(url)), url);
        }
    }

    @Test
    void allowPlaintextLetsWsReachAnyHost() {
        Map<String, String> props = config("ws://10.1.2.3:7070");
        props.put("astro.allow.plaintext", "true");

        assertEquals(Map.of(), errors(props));
    }

    @Test
    void aTaskRefusesPlaintextBeyondLoopbackWhenValidationWasBypassed() {
        AstroSourceTask task = new AstroSourceTask();
        task.initialize(contextWithoutOffsets());
        Map<String, String> props = config("ws://10.1.2.3:7070");
        props.put("astro.task.id", "0");

        ConfigException e = assertThrows(ConfigException.class, () -> task.start(props));
        assertTrue(e.getMessage().contains("astro.allow.plaintext"), e.getMessage());
    }

    @Test
    void aMissingTrustStoreIsAnErrorOnItsLocation() {
        Map<String, String> props = config("wss://astro.example.com");
        props.put("astro.ssl.truststore.location", dir.resolve("missing.jks").toString());

        List<String> errors = errors(props).get("astro.ssl.truststore.location");

        assertNotNull(errors);
        assertTrue(errors.get(0).contains("does not exist"), errors.get(0));
    }

    @Test
    void aWrongTrustStorePasswordIsAnErrorOnThePasswordWithoutRepeatingIt() throws Exception {
        Map<String, String> props = withTrustStore("JKS", "wrong-pass-2718");

        Map<String, List<String>> errors = errors(props);

        assertEquals(List.of("astro.ssl.truststore.password"), List.copyOf(errors.keySet()), errors.toString());
        assertTrue(errors.get("astro.ssl.truststore.password").get(0).contains("wrong password"), errors.toString());
        assertFalse(errors.toString().contains("wrong-pass-2718"), errors.toString());
    }

    @Test
    void aPkcs12TrustStoreWithItsPasswordIsAccepted() throws Exception {
        Map<String, String> props = withTrustStore("PKCS12", STORE_PASSWORD);

        assertEquals(Map.of(), errors(props));
    }

    @Test
    void aKeyStoreWithoutItsPasswordIsAnError() throws Exception {
        Map<String, String> props = config("wss://astro.example.com");
        props.put("astro.ssl.keystore.location", emptyStore("JKS").toString());

        assertTrue(errors(props).containsKey("astro.ssl.keystore.password"));
    }

    @Test
    void aProxyUrlWithCredentialsIsRefusedWithoutRepeatingThem() {
        Map<String, String> props = config("wss://astro.example.com");
        props.put("astro.proxy.url", "http://user:proxy-pass-1618@proxy:3128");

        Map<String, List<String>> errors = errors(props);

        assertTrue(errors.get("astro.proxy.url").get(0).contains("astro.proxy.password"), errors.toString());
        assertFalse(errors.toString().contains("proxy-pass-1618"), errors.toString());
    }

    /** A wss:// configuration through the proxy {@code url} with a user and password. */
    private static Map<String, String> withProxyCredentials(String url) {
        Map<String, String> props = config("wss://astro.example.com");
        props.put("astro.proxy.url", url);
        props.put("astro.proxy.user", "astro");
        props.put("astro.proxy.password", "proxy-pass-1618");
        return props;
    }

    @Test
    void proxyCredentialsToAProxyBeyondLoopbackAreRefusedUnlessPlaintextIsAllowed() {
        Map<String, String> props = withProxyCredentials("http://proxy.example.com:3128");

        List<String> errors = errors(props).get("astro.proxy.url");

        assertNotNull(errors, "proxy credentials in clear text beyond loopback were accepted");
        String message = errors.get(0);
        assertTrue(message.contains("astro.proxy.user") && message.contains("astro.proxy.password")
                && message.contains("astro.allow.plaintext=true"), message);
        assertFalse(message.contains("proxy-pass-1618"), message);
        props.put("astro.allow.plaintext", "true");
        assertEquals(Map.of(), errors(props));
    }

    @Test
    void proxyCredentialsToALoopbackProxyOrAProxyWithoutCredentialsAreAccepted() {
        Map<String, String> loopback = withProxyCredentials("http://127.0.0.1:3128");
        Map<String, String> anonymous = config("wss://astro.example.com");
        anonymous.put("astro.proxy.url", "http://proxy.example.com:3128");

        assertEquals(Map.of(), errors(loopback));
        assertEquals(Map.of(), errors(anonymous));
    }

    @Test
    void passwordsAreHiddenInTheSessionSettings() throws Exception {
        Map<String, String> props = withTrustStore("JKS", STORE_PASSWORD);
        props.put("astro.proxy.url", "http://proxy:3128");
        props.put("astro.proxy.user", "astro");
        props.put("astro.proxy.password", "proxy-pass-1618");
        props.put("astro.allow.plaintext", "true");

        String settings = new AstroSourceConnectorConfig(props).sessionSettings().toString();

        assertFalse(settings.contains("proxy-pass-1618") || settings.contains(STORE_PASSWORD), settings);
    }

    /** A wss:// configuration with an empty trust store of {@code type}, and {@code password} for it. */
    private Map<String, String> withTrustStore(String type, String password) throws Exception {
        Map<String, String> props = config("wss://astro.example.com");
        props.put("astro.ssl.truststore.location", emptyStore(type).toString());
        props.put("astro.ssl.truststore.password", password);
        props.put("astro.ssl.truststore.type", type);
        return props;
    }

    private Path emptyStore(String type) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        store.load(null, null);
        Path path = dir.resolve("empty." + type.toLowerCase());
        try (OutputStream out = Files.newOutputStream(path)) {
            store.store(out, STORE_PASSWORD.toCharArray());
        }
        return path;
    }

    /** A context whose offset store knows no offsets; see AstroSourceTaskTest for why a proxy. */
    private static SourceTaskContext contextWithoutOffsets() {
        OffsetStorageReader reader = (OffsetStorageReader) Proxy.newProxyInstance(
                AstroSecurityConfigTest.class.getClassLoader(), new Class<?>[] {OffsetStorageReader.class},
                (proxy, method, args) -> Map.of());
        return (SourceTaskContext) Proxy.newProxyInstance(AstroSecurityConfigTest.class.getClassLoader(),
                new Class<?>[] {SourceTaskContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("offsetStorageReader")) {
                        return reader;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
