package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.AstroSourceConnector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
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
import java.util.stream.Stream;

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

    /** Every connector example in config/, so that a new one is checked without touching this test. */
    static Stream<String> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("config"))) {
            List<String> names = files.map(Path::toString)
                    .filter(name -> name.endsWith(".json") || name.endsWith(".properties"))
                    .sorted()
                    .toList();
            assertTrue(names.size() >= 6, "examples in config/: " + names);
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
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

    /** A scenario shipped for both worker modes must be the same connector in both. */
    @ParameterizedTest
    @ValueSource(strings = {"astro-source-quickstart", "astro-source-many-channels", "astro-source-oauth2",
            "astro-source-gateway"})
    void standaloneAndDistributedExamplesAgree(String scenario) throws IOException {
        Map<String, String> standalone = read(Path.of("config", scenario + ".properties"));
        Map<String, String> distributed = read(Path.of("config", scenario + ".json"));
        distributed.put("name", new ObjectMapper().readTree(Path.of("config", scenario + ".json").toFile())
                .get("name").asText());
        if (scenario.equals("astro-source-gateway")) {
            // The one difference on purpose: the token from a file (standalone) or the environment (distributed).
            assertEquals("${file:/etc/kafka/secrets/astro.properties:token}", standalone.remove("astro.token"));
            assertEquals("${env:ASTRO_TOKEN}", distributed.remove("astro.token"));
        }
        assertEquals(standalone, distributed);
    }

    /** An example that names a token type oauth2 must refresh (astro.oauth2.*): a fixed one is never renewed. */
    @ParameterizedTest
    @MethodSource("examples")
    void noExampleGivesAFixedOAuth2Token(String file) throws IOException {
        Map<String, String> config = read(Path.of(file));
        boolean fixedOAuth2 = config.containsKey("astro.token")
                && config.getOrDefault("astro.token.type", "jwt").startsWith("oauth");
        assertTrue(!fixedOAuth2, file + ": a fixed OAuth2 access token is never refreshed; use astro.oauth2.*");
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
