package io.github.kafkaconnectastro.integration;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real schema registry for integration tests: Apicurio Registry 2.6, which serves the Confluent-compatible REST
 * API ({@code /apis/ccompat/v7}), run from the application the build unpacks in {@code pre-integration-test} as a
 * child process of the test JVM with in-memory storage.
 *
 * <p>A JUnit 5 extension, one per test class, beside {@link ConnectFixture}:
 * <pre>
 * &#64;RegisterExtension
 * static final ApicurioRegistry registry = new ApicurioRegistry();
 * </pre>
 * It starts the registry on a free loopback port before the class's first test, waits until the Confluent API
 * answers, and stops the process after the last test, or from a shutdown hook when the test JVM exits without
 * reaching that (a JVM killed with SIGKILL leaves it running: its PID is in the log).
 */
public final class ApicurioRegistry implements BeforeAllCallback, AfterAllCallback {

    /** Where the build put the application's runner jar (failsafe's {@code apicurio.registry.jar}). */
    static final String JAR_PROPERTY = "apicurio.registry.jar";
    /** The Avro converter of {@code io.apicurio:apicurio-registry-utils-converter}. */
    static final String AVRO_CONVERTER = "io.apicurio.registry.utils.converter.AvroConverter";

    /** A cold start takes 5-10 s alone; on a loaded, shared machine several times that. */
    private static final Duration READY_WAIT = Duration.ofSeconds(180);
    private static final Duration STOP_WAIT = Duration.ofSeconds(20);
    /** The port is chosen free, then bound by the child: another process may take it in between. */
    private static final int START_ATTEMPTS = 3;
    private static final String HOST = "127.0.0.1";
    private static final Logger LOG = LoggerFactory.getLogger(ApicurioRegistry.class);

    private Process process;
    private Thread shutdownHook;
    private int port;
    private ConfluentRegistryApi api;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path jar = runnerJar();
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            Path log = jar.resolveSibling("registry-" + port + ".log");
            process = launch(jar, log, port);
            shutdownHook = new Thread(this::stop, "apicurio-registry-stop");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            api = new ConfluentRegistryApi(URI.create("http://" + HOST + ":" + port + "/apis/ccompat/v7"));
            if (awaitReady()) {
                return;
            }
            boolean exited = !process.isAlive();
            String tail = tail(log);
            afterAll(context);
            // Only an early exit may be a port taken in between; a registry too slow to answer is not retried.
            if (!exited || attempt == START_ATTEMPTS) {
                throw new IllegalStateException("Apicurio Registry " + (exited ? "exited" : "did not answer within "
                        + READY_WAIT) + " on port " + port + "; the end of " + log + ":\n" + tail);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to: it stops the process itself.
            }
            shutdownHook = null;
        }
    }

    /** The Confluent-compatible API, as a consumer or an operator calls it. */
    public ConfluentRegistryApi api() {
        return api;
    }

    /** The registry's own v2 API, which the Apicurio converter registers and looks schemas up with. */
    public String registryUrl() {
        return "http://" + HOST + ":" + port + "/apis/registry/v2";
    }

    /**
     * Connector properties that make the Apicurio Avro converter the connector's value converter, writing the
     * Confluent wire format (magic byte 0, the schema's 4-byte id, Avro binary) and registering each topic's value
     * schema under the subject {@code <topic>-value}. The ids are content ids, the ids the Confluent API serves.
     */
    public Map<String, String> avroValueConverter() {
        return Map.of(
                "value.converter", AVRO_CONVERTER,
                "value.converter.apicurio.registry.url", registryUrl(),
                "value.converter.apicurio.registry.auto-register", "true",
                "value.converter.apicurio.registry.as-confluent", "true",
                "value.converter.apicurio.registry.use-id", "contentId",
                "value.converter.apicurio.registry.headers.enabled", "false");
    }

    private static Path runnerJar() {
        String location = System.getProperty(JAR_PROPERTY);
        if (location == null || !Files.isRegularFile(Path.of(location))) {
            throw new IllegalStateException("No Apicurio Registry at " + JAR_PROPERTY + "=" + location
                    + ": run the test through Maven (mvn verify -Dit.test=...), whose pre-integration-test phase"
                    + " unpacks io.apicurio:apicurio-registry-app:zip:all into target/");
        }
        return Path.of(location);
    }

    /** The registry on {@code port}, set through Quarkus's environment variables; its output goes to {@code log}. */
    private static Process launch(Path jar, Path log, int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // A small heap and the client compiler: the registry holds a few schemas, and the machine is shared.
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString()))
                .directory(jar.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_HTTP_HOST", HOST);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        Process started = builder.start();
        LOG.info("Apicurio Registry: PID {} on port {}, log {}", started.pid(), port, log);
        return started;
    }

    private boolean awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            if (api.answers()) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** Asks the process to stop, then kills it after {@link #STOP_WAIT}; the registry keeps nothing on disk. */
    private synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }
}
