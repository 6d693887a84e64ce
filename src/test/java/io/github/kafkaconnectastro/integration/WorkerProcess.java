package io.github.kafkaconnectastro.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A Connect worker in a JVM of its own ({@code ConnectDistributed}, from the test JVM's class path, which holds
 * Kafka's jars and the connector), so that a test can kill it with SIGKILL: {@code EmbeddedConnectCluster}'s
 * workers share the test JVM and only stop gracefully. Killed on {@link #close()} if still alive.
 */
final class WorkerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private WorkerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a worker with {@code props} (those of {@link ConnectFixture#workerPropertiesToJoin()}, to join the
     * class's cluster) on a free REST port, logging to {@code log}, and waits until its {@code /health} answers 200:
     * it has joined the group and read the config topic.
     */
    static WorkerProcess start(Map<String, String> props, Path log, Duration timeout) throws IOException {
        return start(props, List.of(), log, timeout);
    }

    /** As {@link #start(Map, Path, Duration)}, with more options for the JVM, e.g. a {@code -javaagent}. */
    static WorkerProcess start(Map<String, String> props, List<String> jvmOptions, Path log, Duration timeout)
            throws IOException {
        int port = freePort();
        Properties worker = new Properties();
        worker.putAll(props);
        worker.put("listeners", "http://localhost:" + port);
        Files.createDirectories(log.getParent());
        Path file = log.resolveSibling(log.getFileName() + ".properties");
        try (var out = Files.newBufferedWriter(file)) {
            worker.store(out, "Connect worker in its own JVM, started by " + WorkerProcess.class.getSimpleName());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.connect.cli.ConnectDistributed", file.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        WorkerProcess started = new WorkerProcess(process, port, log);
        if (!ConnectFixture.eventually(() -> !process.isAlive() || started.healthy(), timeout)) {
            started.close();
            throw new AssertionError("the worker process was not healthy within " + timeout + "; see " + log);
        }
        if (!process.isAlive()) {
            throw new AssertionError("the worker process ended with " + process.exitValue() + "; see " + log);
        }
        return started;
    }

    /** Whether the worker has joined the group and is ready to serve requests. */
    boolean healthy() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The worker's REST API, e.g. {@code http://localhost:8083/}. */
    URI restUri() {
        return URI.create("http://localhost:" + port + "/");
    }

    /** Whether a task status's {@code worker_id} ({@code host:port}) names this worker. */
    boolean runs(String workerId) {
        return workerId.endsWith(":" + port);
    }

    /** SIGKILL: no shutdown hook, no graceful stop of its tasks, its sockets closed by the operating system. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the worker process " + process.pid() + " outlived SIGKILL by 30 s");
        }
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A port nothing listens on now, on loopback. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
