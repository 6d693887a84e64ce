package io.github.kafkaconnectastro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The examples shipped in the archive's etc/ must keep up with the ConfigDef. */
class ExampleConfigTest {

    /**
     * Prefixes of keys that configure a plugin the worker loads, topic creation groups or client overrides:
     * their names are open-ended, so the framework's ConfigDef does not list them.
     */
    private static final List<String> PLUGIN_PREFIXES = List.of("key.converter.", "value.converter.",
            "header.converter.", "transforms.", "predicates.", "topic.creation.", "producer.override.");

    @ParameterizedTest
    @ValueSource(strings = {"config/astro-source.properties", "config/astro-source-quickstart.json"})
    void exampleUsesOnlyKnownKeysAndValidates(String file) throws IOException {
        Map<String, String> config = read(Path.of(file));
        assertEquals(AstroSourceConnector.class.getName(), config.get("connector.class"), file);

        Set<String> connectKeys = SourceConnectorConfig.configDef().names();
        Set<String> astroKeys = AstroSourceConnectorConfig.CONFIG_DEF.names();
        for (String key : config.keySet()) {
            boolean known = astroKeys.contains(key) || connectKeys.contains(key)
                    || PLUGIN_PREFIXES.stream().anyMatch(key::startsWith);
            assertTrue(known, file + ": " + key + " is neither a connector key nor a Connect framework key");
        }

        for (ConfigValue value : new AstroSourceConnector().validate(config).configValues()) {
            assertTrue(value.errorMessages().isEmpty(), file + ": " + value.name() + " " + value.errorMessages());
        }
    }

    private static Map<String, String> read(Path file) throws IOException {
        Map<String, String> config = new TreeMap<>();
        if (file.toString().endsWith(".json")) {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            root.get("config").properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
            return config;
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        properties.stringPropertyNames().forEach(name -> config.put(name, properties.getProperty(name)));
        return config;
    }
}
