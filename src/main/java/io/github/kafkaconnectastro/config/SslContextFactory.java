package io.github.kafkaconnectastro.config;

import org.apache.kafka.common.config.types.Password;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.UnrecoverableKeyException;

import static io.github.kafkaconnectastro.config.AstroSecurityConfig.KEYSTORE_LOCATION;
import static io.github.kafkaconnectastro.config.AstroSecurityConfig.KEYSTORE_PASSWORD;
import static io.github.kafkaconnectastro.config.AstroSecurityConfig.KEY_PASSWORD;
import static io.github.kafkaconnectastro.config.AstroSecurityConfig.PROTOCOL;
import static io.github.kafkaconnectastro.config.AstroSecurityConfig.TRUSTSTORE_LOCATION;
import static io.github.kafkaconnectastro.config.AstroSecurityConfig.TRUSTSTORE_PASSWORD;

/**
 * Builds the TLS context from the {@code astro.ssl.*} keys, the way Kafka's {@code DefaultSslEngineFactory} does for
 * its clients: trust managers from the trust store (the JDK's cacerts when none is set), key managers from the key
 * store when one is set, the key's password defaulting to the store's. Every problem names the key to change and
 * never a password.
 */
final class SslContextFactory {

    /** A store file with its password and type, as configured. */
    record StoreFile(String location, Password password, String type) {
    }

    private SslContextFactory() {
    }

    static SSLContext build(String protocol, StoreFile trustStore, StoreFile keyStore, Password keyPassword) {
        KeyManager[] keyManagers = null;
        if (keyStore != null) {
            if (keyStore.password() == null) {
                throw new InvalidSecuritySetting(KEYSTORE_PASSWORD.name(), KEYSTORE_PASSWORD.name() + " is not set; "
                        + "the key store " + keyStore.location() + " (" + KEYSTORE_LOCATION.name() + ") needs it");
            }
            KeyStore keys = load(keyStore, KEYSTORE_LOCATION.name(), KEYSTORE_PASSWORD.name(), "key store");
            Password password = keyPassword != null ? keyPassword : keyStore.password();
            try {
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(keys, password.value().toCharArray());
                keyManagers = factory.getKeyManagers();
            } catch (UnrecoverableKeyException e) {
                throw new InvalidSecuritySetting(KEY_PASSWORD.name(), "the private key in " + keyStore.location()
                        + " cannot be read with " + (keyPassword != null ? KEY_PASSWORD.name()
                        : KEYSTORE_PASSWORD.name() + " (" + KEY_PASSWORD.name() + " is not set)")
                        + ": wrong password");
            } catch (GeneralSecurityException e) {
                throw new InvalidSecuritySetting(KEYSTORE_LOCATION.name(), "the key store " + keyStore.location()
                        + " cannot be used: " + e.getClass().getSimpleName());
            }
        }
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore == null ? null
                    : load(trustStore, TRUSTSTORE_LOCATION.name(), TRUSTSTORE_PASSWORD.name(), "trust store"));
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(keyManagers, trust.getTrustManagers(), null);
            return context;
        } catch (NoSuchAlgorithmException e) {
            throw new InvalidSecuritySetting(PROTOCOL.name(), "this JVM has no TLS protocol '" + protocol + "'");
        } catch (GeneralSecurityException e) {
            throw new InvalidSecuritySetting(TRUSTSTORE_LOCATION.name(), "the trust store cannot be used: "
                    + e.getClass().getSimpleName());
        }
    }

    private static KeyStore load(StoreFile file, String locationKey, String passwordKey, String what) {
        Path path = Path.of(file.location());
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new InvalidSecuritySetting(locationKey, "the " + what + " " + file.location() + " ("
                    + locationKey + ") does not exist or cannot be read");
        }
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(file.type());
            store.load(in, file.password() == null ? null : file.password().value().toCharArray());
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new InvalidSecuritySetting(passwordKey, "the " + what + " " + file.location()
                        + " cannot be opened with " + passwordKey + ": wrong password");
            }
            throw new InvalidSecuritySetting(locationKey, "the " + what + " " + file.location() + " cannot be read as "
                    + file.type() + " (" + e.getClass().getSimpleName() + "); check " + locationKey + " and its type");
        } catch (GeneralSecurityException e) {
            throw new InvalidSecuritySetting(locationKey, "the " + what + " " + file.location() + " cannot be read as "
                    + file.type() + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
