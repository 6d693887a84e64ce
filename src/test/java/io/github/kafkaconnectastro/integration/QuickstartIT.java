package io.github.kafkaconnectastro.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's first command, as CI can run it: {@code quickstart.sh --skip-build --duration N} on free ports, with
 * a work directory under {@code target/}. It uses the plugin archive and tool jars this build just packaged, fetches
 * Kafka's jars once (from the local Maven repository, where this build's test dependencies already put most of
 * them), runs a real broker and worker as processes and the emulator as the gateway.
 *
 * <p>Checks that records of several Astro topics arrived through the pipeline, once each and UTF-8 intact, and that
 * no process the script started outlives it: every descendant seen while it ran, and every PID it reported. Runs
 * the script a second time in the same work directory, with {@code --streams}, which must work like the first, reuse
 * the cached Kafka jars, and print the Kafka Streams example's tip totals and follow counts of a closed minute, each
 * what the tips and follows printed beside them add up to; that run ends as soon as both have been printed
 * ({@code --until-shown}), not a fixed time long enough for the latest a minute can close.
 */
class QuickstartIT {

    private static final Set<String> EMULATOR_ROOMS = Set.of("5f3c1a9be7d24c0012ab34cd", "64b7e2f19a3c5d0011fe8a27");
    /** timestamp, topic, key, value: the console's record line. */
    private static final Pattern RECORD = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+(astro\\.\\S+)\\s+(\\S+)\\s+(\\{.*)$");
    private static final Pattern STARTED = Pattern.compile("started (\\w+) \\(pid (\\d+)\\)");
    private static final Pattern RECEIVED = Pattern.compile("^== received (\\d+) records");
    private static final long RUN_TIMEOUT_SECONDS = 420;
    /** At 5 notifications/s, ten records of three topics come within seconds; the rest is margin for a slow machine. */
    private static final int FIRST_RUN_SECONDS = 15;
    /** A minute closes 10 s after its end; 100 s of records see at least one closed, on a slow machine too. */
    private static final int STREAMS_RUN_SECONDS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path basedir = Path.of(System.getProperty("project.basedir", "."));
    private final Path workDir = basedir.resolve("target/quickstart-it");

    @Test
    void showsRecordsFromTheEmulatorAndLeavesNoProcessBehind() throws Exception {
        Map<String, Integer> ports = freePorts("broker", "controller", "rest", "emulator", "prometheus", "exporter");

        // The first run mostly waits on records arriving at 5/s: the example builds meanwhile, once the script has
        // fetched Kafka's jars (it starts the broker after that), as two Maven 3.8 builds must not write to one
        // local repository at once.
        Process[] streamsBuild = new Process[1];
        // With --monitoring: the worker runs the JMX exporter agent, and Prometheus loads the alert rules.
        Run first = run(ports, FIRST_RUN_SECONDS, () -> streamsBuild[0] = startStreamsExampleBuild(), "--monitoring");
        awaitStreamsExampleBuild(streamsBuild[0] != null ? streamsBuild[0] : startStreamsExampleBuild());
        first.assertSucceededWithRecords();
        first.assertNothingLeftBehind(ports, Set.of("broker", "emulator", "connect", "prometheus"));
        int alerts = io.github.kafkaconnectastro.metrics.PrometheusFiles.alerts().size();
        assertTrue(first.output.stream().anyMatch(l -> l.contains("; " + alerts + " alert rules loaded")),
                "Prometheus's URL and its " + alerts + " alert rules, printed at the start");
        assertTrue(first.output.stream().anyMatch(l -> l.startsWith("quickstart: Prometheus alerts")),
                "the alerts' state, printed at the end");

        // With the Kafka Streams example, until a minute has closed (its end plus 10 s of grace) and its results
        // shown, at the latest when the longest wait for that is over. A faster emulator makes it likelier that the
        // first, partial, minute already holds a follow, so that its close shows both results.
        Run second = run(ports, STREAMS_RUN_SECONDS, null, "--streams", "--emulator-rate", "20", "--until-shown",
                StreamsExampleLines.TOTALS_TOPIC + "," + StreamsExampleLines.FOLLOWS_TOPIC);
        second.assertSucceededWithRecords();
        second.assertNothingLeftBehind(ports, Set.of("broker", "emulator", "connect", "streams"));
        assertTrue(second.output.stream().anyMatch(l -> l.contains("Kafka jars are up to date")),
                "the second run reuses the Kafka jars of the first");
        new StreamsExampleLines(List.copyOf(second.output), RECORD).assertTotalsMatchTheRecords();
    }

    /** Runs the script to its end; {@code brokerStarted}, if not null, runs once the script has started the broker. */
    private Run run(Map<String, Integer> ports, int durationSeconds, BrokerStarted brokerStarted, String... options)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", basedir.resolve("quickstart.sh").toString(),
                "--skip-build", "--duration", Integer.toString(durationSeconds), "--work-dir", workDir.toString()));
        ports.forEach((name, port) -> command.addAll(List.of("--" + name + "-port", port.toString())));
        command.addAll(List.of(options));
        ProcessBuilder builder = withThisMaven(new ProcessBuilder(command));

        Process process = builder.start();
        Run run = new Run(process);
        Thread reader = new Thread(() -> run.read(process), "quickstart-output");
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RUN_TIMEOUT_SECONDS);
        while (!process.waitFor(500, TimeUnit.MILLISECONDS)) {
            // Sampled while it runs: once the script has exited, its orphans are no longer its descendants.
            process.descendants().forEach(run.descendants::add);
            if (brokerStarted != null && run.reportedPids.containsKey("broker")) {
                brokerStarted.run();
                brokerStarted = null;
            }
            if (System.nanoTime() > deadline) {
                process.destroy();
                process.waitFor(90, TimeUnit.SECONDS);
                fail("quickstart.sh did not finish within " + RUN_TIMEOUT_SECONDS + " s");
            }
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        run.exitCode = process.exitValue();
        return run;
    }

    /**
     * Builds examples/tip-totals as {@code quickstart.sh --streams} does without {@code --skip-build}: its jar and
     * its libraries in its target/.
     */
    private Process startStreamsExampleBuild() throws IOException {
        List<String> command = new ArrayList<>(List.of(maven(), "-B", "-ntp", "-q", "-DskipTests",
                "-f", "examples/tip-totals/pom.xml", "package", "dependency:copy-dependencies",
                "-DincludeScope=runtime", "-DoutputDirectory=" + basedir.resolve("examples/tip-totals/target/lib")));
        if (Boolean.getBoolean("build.offline")) {
            command.add("-o");
        }
        Files.createDirectories(workDir);
        return withThisMaven(new ProcessBuilder(command)).redirectOutput(streamsBuildLog().toFile()).start();
    }

    private void awaitStreamsExampleBuild(Process process) throws InterruptedException {
        Path log = streamsBuildLog();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroy();
            fail("the Streams example's build did not finish within 300 s; see " + log);
        }
        assertEquals(0, process.exitValue(), () -> "the Streams example's build failed; see " + log);
    }

    private Path streamsBuildLog() {
        return workDir.resolve("build-streams.log");
    }

    @FunctionalInterface
    private interface BrokerStarted {
        void run() throws IOException;
    }

    /** In the project directory, with the Maven running this build (the script's $MVN) and its local repository. */
    private ProcessBuilder withThisMaven(ProcessBuilder builder) {
        builder.directory(basedir.toFile()).redirectErrorStream(true);
        builder.environment().put("MVN", maven());
        String localRepository = System.getProperty("maven.repo.local");
        if (localRepository != null && !localRepository.isEmpty()) {
            builder.environment().put("MAVEN_OPTS", "-Dmaven.repo.local=" + localRepository);
        }
        return builder;
    }

    private static String maven() {
        String mavenHome = System.getProperty("maven.home");
        return mavenHome == null || mavenHome.isEmpty() ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString();
    }

    private static Map<String, Integer> freePorts(String... names) throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (String name : names) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports.put(name, socket.getLocalPort());
            }
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
        return ports;
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One run of the script: its output and the processes it started. */
    private static final class Run {

        final List<String> output = Collections.synchronizedList(new ArrayList<>());
        final Set<ProcessHandle> descendants = Collections.synchronizedSet(new HashSet<>());
        final Map<String, Long> reportedPids = Collections.synchronizedMap(new HashMap<>());
        int exitCode;

        Run(Process process) {
            descendants.addAll(process.descendants().toList());
        }

        void read(Process process) {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                    System.out.println("[quickstart] " + line);
                    Matcher started = STARTED.matcher(line);
                    if (started.find()) {
                        reportedPids.put(started.group(1), Long.parseLong(started.group(2)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void assertSucceededWithRecords() throws IOException {
            assertEquals(0, exitCode, "quickstart.sh exit status");
            List<String> records = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            Set<String> topics = new HashSet<>();
            boolean nonAscii = false;
            int streamsLines = 0;
            for (String line : List.copyOf(output)) {
                Matcher record = RECORD.matcher(line);
                if (!record.matches()) {
                    continue;
                }
                String topic = record.group(1);
                if (StreamsExampleLines.isExampleTopic(topic)) {
                    // Not the connector's: checked by StreamsExampleLines, and not counted below.
                    streamsLines++;
                    continue;
                }
                records.add(line);
                String key = record.group(2);
                JsonNode value = JSON.readTree(record.group(3));
                assertEquals(topic, "astro." + value.get("topic").asText(), line);
                assertEquals(key, value.get("room").asText(), line);
                assertTrue(EMULATOR_ROOMS.contains(key), line);
                assertTrue(ids.add(value.get("id").asText()), "shown twice: " + line);
                topics.add(topic);
                nonAscii |= line.chars().anyMatch(c -> c > 127);
            }
            // 5 notifications/s for the duration; a slow shared machine still gets well past this.
            assertTrue(records.size() >= 10, "records shown: " + records.size());
            assertTrue(topics.size() >= 3, "topics: " + topics);
            assertTrue(nonAscii, "the emulator's non-ASCII names and messages arrive intact");
            long received = output.stream().map(RECEIVED::matcher).filter(Matcher::find)
                    .mapToLong(m -> Long.parseLong(m.group(1))).findFirst()
                    .orElseThrow(() -> new AssertionError("no summary line"));
            assertEquals(records.size() + streamsLines, received, "the summary counts every record shown");
        }

        void assertNothingLeftBehind(Map<String, Integer> ports, Set<String> processes) {
            assertEquals(processes, reportedPids.keySet(), "processes reported");
            assertTrue(descendants.size() >= 4, "descendants seen: " + descendants);
            for (ProcessHandle process : descendants) {
                assertFalse(process.isAlive(), "still running after quickstart.sh exited: " + process.pid() + " "
                        + process.info().commandLine().orElse(""));
            }
            // A reported process seen as a descendant was checked above, with its start time (no PID reuse).
            reportedPids.forEach((name, pid) -> assertTrue(descendants.stream().anyMatch(p -> p.pid() == pid),
                    name + " (pid " + pid + ") was not seen as the script's descendant"));
            ports.forEach((name, port) -> assertFalse(listening(port), name + " port " + port + " still open"));
        }
    }
}
