package io.github.kafkaconnectastro.config;

import org.apache.kafka.common.config.ConfigException;

/**
 * A TLS, proxy or plaintext setting that cannot work, with the key to change: an error on that key in
 * {@code validate()}, and the reason a task refuses to start. The message never holds a password.
 */
final class InvalidSecuritySetting extends ConfigException {

    private final String key;

    InvalidSecuritySetting(String key, String message) {
        super(message);
        this.key = key;
    }

    String key() {
        return key;
    }
}
