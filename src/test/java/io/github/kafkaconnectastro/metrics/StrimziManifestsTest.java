package io.github.kafkaconnectastro.metrics;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.github.kafkaconnectastro.config.AstroSourceConnectorConfig;
import io.strimzi.api.kafka.model.common.metrics.JmxPrometheusExporterMetrics;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.connect.build.DockerOutput;
import io.strimzi.api.kafka.model.connect.build.Plugin;
import io.strimzi.api.kafka.model.connect.build.ZipArtifact;
import io.strimzi.api.kafka.model.connector.KafkaConnector;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/strimzi/ read into Strimzi's own model classes ({@code io.strimzi:api}), as the operator reads them: a field
 * Strimzi does not know would be kept aside in an object's additional properties and ignored, so the test walks
 * every object and requires them empty.
 */
class StrimziManifestsTest {

    private static final Path STRIMZI = Path.of("deploy/strimzi");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void theKafkaConnectBuildsThePluginFromItsZipWithItsChecksumAndExportsMetricsWithTheRules() throws IOException {
        KafkaConnect connect = YAML.readValue(STRIMZI.resolve("kafka-connect.yaml").toFile(), KafkaConnect.class);
        assertEquals(List.of(), unknownFields(connect));
        // The model class serves every version of the resource; the file must ask for v1.
        assertEquals("kafka.strimzi.io/v1", YAML.readTree(STRIMZI.resolve("kafka-connect.yaml").toFile())
                .path("apiVersion").asText());

        Plugin plugin = connect.getSpec().getBuild().getPlugins().get(0);
        assertEquals("kafka-connect-astro", plugin.getName());
        ZipArtifact zip = assertInstanceOf(ZipArtifact.class, plugin.getArtifacts().get(0));
        assertTrue(zip.getUrl().endsWith(".zip"), zip.getUrl());
        assertTrue(zip.getSha512sum().matches("[0-9a-f]{128}"), "a SHA-512 in hex: " + zip.getSha512sum());
        assertInstanceOf(DockerOutput.class, connect.getSpec().getBuild().getOutput());

        JmxPrometheusExporterMetrics metrics = assertInstanceOf(JmxPrometheusExporterMetrics.class,
                connect.getSpec().getMetricsConfig());
        assertEquals("astro-connect-metrics", metrics.getValueFrom().getConfigMapKeyRef().getName());
        assertEquals("astro-jmx-exporter.yaml", metrics.getValueFrom().getConfigMapKeyRef().getKey());

        Map<String, Object> config = connect.getSpec().getConfig();
        assertEquals("/mnt/astro-oauth2", config.get("config.providers.directory.param.allowed.paths"));
        assertEquals("/mnt/astro-oauth2",
                connect.getSpec().getTemplate().getConnectContainer().getVolumeMounts().get(0).getMountPath());
        assertEquals("astro-oauth2",
                connect.getSpec().getTemplate().getPod().getVolumes().get(0).getSecret().getSecretName());
    }

    @Test
    void theKafkaConnectorUsesOnlyKeysTheConnectorDefinesAndTakesItsSecretsFromTheProvider() throws IOException {
        KafkaConnector connector = YAML.readValue(STRIMZI.resolve("kafka-connector.yaml").toFile(),
                KafkaConnector.class);
        assertEquals(List.of(), unknownFields(connector));
        assertEquals("kafka.strimzi.io/v1", YAML.readTree(STRIMZI.resolve("kafka-connector.yaml").toFile())
                .path("apiVersion").asText());
        assertEquals("io.github.kafkaconnectastro.AstroSourceConnector", connector.getSpec().getClassName());
        assertEquals("astro-connect", connector.getMetadata().getLabels().get("strimzi.io/cluster"));

        Set<String> astroKeys = AstroSourceConnectorConfig.CONFIG_DEF.names();
        Set<String> connectKeys = SourceConnectorConfig.configDef().names();
        for (Map.Entry<String, Object> entry : connector.getSpec().getConfig().entrySet()) {
            String key = entry.getKey();
            assertTrue(astroKeys.contains(key) || connectKeys.contains(key) || key.startsWith("topic.creation."),
                    key + " is neither a connector key nor a Connect framework key");
            if (key.startsWith("astro.oauth2.client") || key.equals("astro.oauth2.refresh.token")) {
                assertTrue(String.valueOf(entry.getValue()).startsWith("${directory:/mnt/astro-oauth2:"),
                        key + " comes from the mounted secret");
            }
        }
    }

    @Test
    void theConfigMapHoldsTheExporterRulesUnchanged() throws IOException {
        ConfigMap map = YAML.readValue(STRIMZI.resolve("astro-connect-metrics.yaml").toFile(), ConfigMap.class);
        assertEquals(List.of(), unknownFields(map));
        assertEquals(PrometheusFiles.read(PrometheusFiles.EXPORTER_RULES), map.getData().get("astro-jmx-exporter.yaml"),
                "astro-connect-metrics.yaml must hold deploy/prometheus/astro-jmx-exporter.yaml as it is");
    }

    /** The check above must be able to fail: a misspelt field is found, however deep. */
    @Test
    void aFieldStrimziDoesNotKnowIsFound() throws IOException {
        String yaml = "apiVersion: kafka.strimzi.io/v1\nkind: KafkaConnect\nmetadata: {name: x}\n"
                + "spec:\n  bootstrapServers: b:9092\n  build:\n    plugins:\n      - name: p\n        artifacts:\n"
                + "          - {type: zip, url: 'https://x/p.zip', sha512sums: abc}\n";
        KafkaConnect connect = YAML.readValue(yaml, KafkaConnect.class);
        assertEquals(List.of("sha512sums"), unknownFields(connect));
    }

    /** The names of the fields Strimzi's or Kubernetes' model kept aside as unknown, anywhere in {@code root}. */
    private static List<String> unknownFields(Object root) {
        List<String> unknown = new ArrayList<>();
        walk(root, unknown, new IdentityHashMap<>());
        return unknown;
    }

    private static void walk(Object node, List<String> unknown, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            items.forEach(item -> walk(item, unknown, seen));
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(value -> walk(value, unknown, seen));
            return;
        }
        String type = node.getClass().getName();
        if (!type.startsWith("io.strimzi.") && !type.startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))
                    || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties") && value instanceof Map<?, ?> extra) {
                extra.keySet().forEach(key -> unknown.add(String.valueOf(key)));
            } else {
                walk(value, unknown, seen);
            }
        }
    }
}
