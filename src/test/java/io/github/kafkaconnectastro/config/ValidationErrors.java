package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.AstroSourceConnector;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What {@link AstroSourceConnector#validate} says about a configuration, as the REST API would show it. */
public final class ValidationErrors {

    private ValidationErrors() {
    }

    /** The error messages of each key that has any. */
    public static Map<String, List<String>> of(Map<String, String> props) {
        Config config = new AstroSourceConnector().validate(props);
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigValue value : config.configValues()) {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), value.errorMessages());
            }
        }
        return errors;
    }
}
