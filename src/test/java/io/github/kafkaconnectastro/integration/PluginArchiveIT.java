package io.github.kafkaconnectastro.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.runtime.isolation.PluginClassLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The plugin archive installed the way an operator installs it: the zip from {@code mvn package} unpacked into a
 * directory on the worker's {@code plugin.path}, laid out as Strimzi's image build lays out a zip artifact
 * ({@code <name>/<hash>/}).
 *
 * <p>Connect loads a plugin found both on its class path and on {@code plugin.path} from the class path, so the
 * build runs this test in a failsafe execution of its own that leaves the project's classes off the class path
 * (the other integration tests skip it). Records arriving in Kafka would still prove little; the test asks the
 * MBean server which class loader loaded the running task's metrics: it must be Connect's plugin class loader
 * for the unpacked archive.
 */
class PluginArchiveIT {

    private static final String CONNECTOR_CLASS = "io.github.kafkaconnectastro.AstroSourceConnector";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path pluginPath;
    private static Path installed;
    private static JsonNode manifest;

    /** The worker starts once the archive is unpacked into its {@code plugin.path}. */
    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1)
            .workerPropertiesAtStart(PluginArchiveIT::installArchive);

    private static Map<String, String> installArchive() {
        try {
            unpackArchive();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the plugin archive into " + pluginPath, e);
        }
        return Map.of("plugin.path", pluginPath.toString());
    }

    private static void unpackArchive() throws IOException {
        assumeTrue(Boolean.getBoolean("plugin.archive.isolated"),
                "runs in failsafe's plugin-archive execution, where the project's classes are not on the class path");
        assertThrows(ClassNotFoundException.class, () -> Class.forName(CONNECTOR_CLASS),
                "the connector is on the class path: the worker would load it from there, not from the archive");
        Path archive = Path.of(System.getProperty("plugin.archive", "(set by the build)"));
        assertTrue(Files.isRegularFile(archive), "no plugin archive at " + archive + ": run mvn verify");
        // As Strimzi's image build installs a zip artifact: into <plugin name>/<first 8 hex of the SHA-1 of its
        // URL>/ under the plugin path, symbolic links removed. The worker finds the jars two levels down.
        Path target = pluginPath.resolve("kafka-connect-astro").resolve(strimziHashStub(archive.toUri().toString()));
        unzip(archive, target);
        try (Stream<Path> links = Files.walk(target)) {
            for (Path link : links.filter(Files::isSymbolicLink).toList()) {
                Files.delete(link);
            }
        }
        try (Stream<Path> entries = Files.list(target)) {
            List<Path> roots = entries.toList();
            assertEquals(1, roots.size(), "the archive has one top-level directory: " + roots);
            installed = roots.get(0);
        }
        manifest = JSON.readTree(installed.resolve("manifest.json").toFile());
    }

    @Test
    void archiveHasTheComponentLayout() throws IOException {
        assertEquals("kafka-connect-astro", manifest.get("name").asText());
        assertEquals(List.of("source"), JSON.convertValue(manifest.get("component_types"), List.class));
        assertFalse(manifest.get("version").asText().contains("${"), "manifest version is filled in by the build");
        for (String file : List.of("doc/README.md", "doc/LICENSE", "doc/docs/configuration.md",
                "etc/astro-source-quickstart.json", "etc/deploy/prometheus/astro-jmx-exporter.yaml",
                "etc/deploy/prometheus/astro-alerts.yaml", "etc/deploy/prometheus/astro-prometheusrule.yaml",
                "etc/deploy/grafana/astro-connect-dashboard.json", "etc/deploy/strimzi/kafka-connect.yaml")) {
            assertTrue(Files.isRegularFile(installed.resolve(file)), file);
        }
        try (Stream<Path> jars = Files.list(installed.resolve("lib"))) {
            Set<String> names = Set.copyOf(jars.map(p -> p.getFileName().toString()).toList());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("kafka-connect-astro-")), names.toString());
            // The worker provides these; a second copy in the plugin would shadow or clash with the worker's own.
            for (String provided : List.of("kafka-clients", "connect-api", "slf4j-api")) {
                assertFalse(names.stream().anyMatch(n -> n.startsWith(provided + "-")), provided + " in " + names);
            }
        }
    }

    /** docs/install.md checks the archive with {@code sha512sum -c <archive>.sha512}: the file must say the truth. */
    @Test
    void archiveHasItsSha512BesideItInSha512sumsFormat() throws Exception {
        Path archive = Path.of(System.getProperty("plugin.archive"));
        Path checksum = archive.resolveSibling(archive.getFileName() + ".sha512");
        assertTrue(Files.isRegularFile(checksum), "no " + checksum);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(Files.readAllBytes(archive)));
        assertEquals(expected + "  " + archive.getFileName(), Files.readString(checksum).strip());
    }

    @Test
    void billOfMaterialsListsExactlyTheJarsInLib() throws Exception {
        Path bom = installed.resolve("doc/bom.json");
        if (!Files.isRegularFile(bom)) {
            assumeFalse(Boolean.getBoolean("build.offline"),
                    "Maven ran offline, and the CycloneDX plugin only runs online: no doc/bom.json");
            fail("no doc/bom.json in the archive");
        }
        JsonNode root = JSON.readTree(bom.toFile());
        assertEquals("CycloneDX", root.get("bomFormat").asText());
        Map<String, String> listed = new TreeMap<>();
        JsonNode self = root.get("metadata").get("component");
        listed.put(self.get("name").asText() + "-" + self.get("version").asText() + ".jar", null);
        for (JsonNode component : root.get("components")) {
            String sha256 = null;
            for (JsonNode hash : component.path("hashes")) {
                if ("SHA-256".equals(hash.get("alg").asText())) {
                    sha256 = hash.get("content").asText();
                }
            }
            assertTrue(sha256 != null, "no SHA-256 for " + component);
            listed.put(component.get("name").asText() + "-" + component.get("version").asText() + ".jar", sha256);
        }
        Path lib = installed.resolve("lib");
        try (Stream<Path> jars = Files.list(lib)) {
            Set<String> shipped = jars.map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(listed.keySet(), shipped, "the jars the bill of materials lists, and those in lib/");
        }
        for (Map.Entry<String, String> jar : listed.entrySet()) {
            if (jar.getValue() != null) {
                assertEquals(jar.getValue(), sha256(lib.resolve(jar.getKey())), "SHA-256 of " + jar.getKey());
            }
        }
    }

    @Test
    void workerListsThePluginWithTheManifestVersion() throws Exception {
        String url = fixture.connect.endpointForResource("connector-plugins");
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode plugin = null;
        for (JsonNode candidate : JSON.readTree(response.body())) {
            if (CONNECTOR_CLASS.equals(candidate.get("class").asText())) {
                plugin = candidate;
            }
        }
        assertTrue(plugin != null, CONNECTOR_CLASS + " not in " + response.body());
        assertEquals("source", plugin.get("type").asText());
        assertEquals(manifest.get("version").asText(), plugin.get("version").asText());
    }

    @Test
    void runsTheConnectorFromTheArchive() throws Exception {
        String room = "archive01";
        fixture.startConnector("from-archive", ConnectFixture.pairs("channel.activities", room), Map.of());

        String id = fixture.emulator.publish("channel.activities", room, "{\"type\":\"follow\"}");
        List<ConsumerRecord<byte[], byte[]>> records = fixture.consumeUntil(Duration.ofSeconds(30),
                r -> r.stream().anyMatch(rec -> ConnectFixture.id(rec).equals(id)), "astro.channel.activities");
        assertTrue(records.stream().anyMatch(rec -> ConnectFixture.id(rec).equals(id)), "record " + id);

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        // The documented name, docs/metrics.md: MetricsRegistration is not on this test's class path.
        Set<ObjectName> names = server.queryNames(new ObjectName("kafka.connect.astro:type=task-metrics,*"), null)
                .stream()
                .filter(name -> "from-archive".equals(unquoted(name.getKeyProperty("connector"))))
                .collect(Collectors.toSet());
        assertEquals(1, names.size(), "task metrics MBeans: " + names);
        ClassLoader loader = server.getClassLoaderFor(names.iterator().next());
        PluginClassLoader pluginLoader = assertInstanceOf(PluginClassLoader.class, loader,
                "the task was loaded from the class path, not from the archive: " + loader);
        // Connect names a plugin by its directory right under plugin.path: the plugin's name in Strimzi's layout.
        assertEquals(pluginPath.resolve("kafka-connect-astro").toRealPath(),
                Path.of(URI.create(pluginLoader.location())).toRealPath(), "plugin location");
        assertTrue(installed.startsWith(pluginPath.resolve("kafka-connect-astro")), installed.toString());
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static String unquoted(String value) {
        return value != null && value.startsWith("\"") ? ObjectName.unquote(value) : value;
    }

    private static String strimziHashStub(String url) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(url.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1).substring(0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void unzip(Path archive, Path target) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
