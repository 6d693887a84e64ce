package io.github.kafkaconnectastro.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kafkaconnectastro.metrics.PrometheusFiles;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.kafkaconnectastro.integration.ConnectFixture.AWAIT;
import static io.github.kafkaconnectastro.integration.ConnectFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/prometheus/ and deploy/grafana/ for real: a Connect worker in a JVM of its own runs the connector with the
 * Prometheus JMX exporter agent and the connector's rules, as docs/monitoring.md installs it. The test scrapes the
 * agent over HTTP, then runs a real Prometheus on that worker with the alert rules, cuts the gateway, and asks
 * Prometheus's HTTP API for the alert and for every query of the dashboard.
 */
class MonitoringIT {

    private static final String CONNECTOR = "it-monitoring";
    private static final String ROOM = "a0a0a0a0a0a0a0a0a0a0a0a0";
    private static final List<String[]> PAIRS = List.of(new String[] {"channel.activities", ROOM},
            new String[] {"channel.tips", ROOM});
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** A series line of the text format: name, labels. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})? ", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1)
            .workerProperties(Map.of(
                    // Named, so that the worker in its own JVM joins the same cluster.
                    "group.id", "astro-monitoring",
                    "config.storage.topic", "astro-monitoring-configs",
                    "offset.storage.topic", "astro-monitoring-offsets",
                    "status.storage.topic", "astro-monitoring-status"))
            .connectorDefaults(GapRepairIT.QUICK_REPAIR);

    @TempDir
    Path dir;

    @Test
    void aWorkerWithTheExporterServesEverySeriesAndPrometheusAlertsAndAnswersEveryPanel() throws Exception {
        Path agent = Path.of(System.getProperty("jmx.exporter.agent", "(set by the build)"));
        assertTrue(Files.isRegularFile(agent), "no JMX exporter agent at " + agent
                + ": the build copies io.prometheus.jmx:jmx_prometheus_javaagent in pre-integration-test");
        Path prometheus = PrometheusFiles.binary("prometheus");
        int exporterPort = WorkerProcess.freePort();
        String javaAgent = "-javaagent:" + agent + "=127.0.0.1:" + exporterPort + ":"
                + PrometheusFiles.EXPORTER_RULES.toAbsolutePath();
        try (WorkerProcess worker = WorkerProcess.start(fixture.workerPropertiesToJoin(), List.of(javaAgent),
                dir.resolve("worker.log"), AWAIT)) {
            // A JWT, so that the token's time left is known; tips refused and skipped, so that a pair has an error.
            String jwt = fixture.emulator.issueJwt(ConnectFixture.OWN_ROOM, Instant.now().plus(Duration.ofDays(3)));
            fixture.emulator.failSubscriptions("channel.tips", ROOM, "err_bad_request");
            fixture.configureConnector(CONNECTOR, PAIRS, Map.of("tasks.max", "1", "astro.token", jwt,
                    "astro.subscription.error.policy", "skip"));
            fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, 1, "not running");
            fixture.awaitSubscribed(PAIRS.subList(0, 1));
            // Everything onto the worker with the agent: the connector and its task.
            WorkerHandle embedded = fixture.connect.workers().iterator().next();
            fixture.connect.removeWorker(embedded);
            try {
                await(() -> runsOn(worker), "the connector and its task RUNNING on the worker with the agent");
                exercise(exporterPort, prometheus);
            } finally {
                fixture.connect.addWorker();
            }
        }
    }

    private void exercise(int exporterPort, Path prometheusBinary) throws Exception {
        URI metrics = URI.create("http://127.0.0.1:" + exporterPort + "/metrics");
        await(() -> scrape(metrics).contains("astro_task_connected{connector=\"" + CONNECTOR + "\",task=\"0\"} 1.0"),
                "the task connected, on the agent's /metrics");
        fixture.awaitSubscribed(PAIRS.subList(0, 1));
        fixture.emulator.publish("channel.activities", ROOM, "{\"type\":\"follow\"}");

        try (Prometheus prometheus = Prometheus.start(prometheusBinary, dir, exporterPort)) {
            // The gateway refuses every connection: not connected beyond the alert's threshold. The REST API refuses
            // the first repair request.
            fixture.rest.failNext(429, 1, null);
            fixture.emulator.refuseHandshakes(502, null, 100_000);
            fixture.emulator.dropAllConnections();
            await(() -> prometheus.firing("AstroTaskNotConnected", CONNECTOR),
                    "AstroTaskNotConnected firing in Prometheus's /api/v1/alerts");
            fixture.emulator.refuseHandshakes(502, null, 0);
            fixture.emulator.publish("channel.activities", ROOM, "{\"type\":\"follow\"}");

            // Every series docs/monitoring.md promises, with its labels, once the gap's repair has run (and met a 429).
            Map<String, Set<String>> documented = PrometheusFiles.documentedSeries();
            assertTrue(ConnectFixture.eventually(() -> {
                // A frame the connector cannot read, until the task has counted one (a connection that was being
                // replaced when it was sent may have had it).
                Map<String, Set<String>> missing = missing(scrape(metrics), documented);
                if (missing.containsKey("astro_task_malformed_frames_by_kind_total")) {
                    fixture.emulator.sendRawToAll("{not json");
                }
                return missing.isEmpty();
            }, AWAIT),
                    () -> "series on the agent's /metrics, as docs/monitoring.md lists them; missing: "
                            + missing(scrape(metrics), documented));
            String scrape = get(metrics);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target/monitoring-it-scrape.txt"), scrape);
            PrometheusFiles.Result lint = PrometheusFiles.promtool(scrape, "check", "metrics");
            assertEquals(0, lint.exitCode(), "promtool check metrics on target/monitoring-it-scrape.txt: "
                    + lint.output());
            assertEquals("", lint.output().strip(), "promtool check metrics finds nothing");

            // Every panel's query answers with data (the variables as "All").
            List<String> empty = new ArrayList<>();
            for (String query : PrometheusFiles.dashboardQueries()) {
                String resolved = query.replace("$connector", ".*").replace("$task", ".*");
                if (!ConnectFixture.eventually(() -> prometheus.hasData(resolved), Duration.ofSeconds(20))) {
                    empty.add(resolved);
                }
            }
            assertEquals(List.of(), empty, "dashboard queries without data");
        }
    }

    private boolean runsOn(WorkerProcess worker) {
        try {
            JsonNode status = JSON.readTree(get(worker.restUri().resolve("connectors/" + CONNECTOR + "/status")));
            JsonNode task = status.path("tasks").path(0);
            return "RUNNING".equals(status.path("connector").path("state").asText())
                    && worker.runs(status.path("connector").path("worker_id").asText())
                    && "RUNNING".equals(task.path("state").asText())
                    && worker.runs(task.path("worker_id").asText());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The documented series (and labels) the scrape lacks. */
    private static Map<String, Set<String>> missing(String scrape, Map<String, Set<String>> documented) {
        Map<String, Set<String>> found = new TreeMap<>();
        Matcher sample = SAMPLE.matcher(scrape);
        while (sample.find()) {
            Set<String> labels = found.computeIfAbsent(sample.group(1), name -> new TreeSet<>());
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        Map<String, Set<String>> missing = new TreeMap<>();
        documented.forEach((name, labels) -> {
            Set<String> have = found.get(name);
            if (have == null || !have.containsAll(labels)) {
                missing.put(name, labels);
            }
        });
        return missing;
    }

    /** The agent's /metrics, or "" while it does not answer. */
    private static String scrape(URI metrics) {
        try {
            return get(metrics);
        } catch (IOException e) {
            return "";
        }
    }

    static String get(URI uri) throws IOException {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /**
     * A real Prometheus scraping the agent every second with the alert rules loaded; the not-connected alert's
     * {@code for} shortened from 2 minutes to 3 seconds (the promtool unit tests check the real one).
     */
    private static final class Prometheus implements AutoCloseable {
        private final Process process;
        private final URI api;

        private Prometheus(Process process, URI api) {
            this.process = process;
            this.api = api;
        }

        static Prometheus start(Path binary, Path dir, int exporterPort) throws Exception {
            String alerts = Files.readString(PrometheusFiles.ALERTS);
            String shortened = alerts.replaceFirst("(alert: AstroTaskNotConnected\\n\\s+expr: [^\\n]+\\n\\s+)for: 2m",
                    "$1for: 3s");
            assertTrue(!shortened.equals(alerts), "the not-connected alert's for: 2m, to shorten for the test");
            Path rules = dir.resolve("astro-alerts.yaml");
            Files.writeString(rules, shortened);
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    + "rule_files:\n  - " + rules + "\n"
                    + "scrape_configs:\n  - job_name: kafka-connect\n    static_configs:\n"
                    + "      - targets: ['127.0.0.1:" + exporterPort + "']\n");
            int port = WorkerProcess.freePort();
            Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            Prometheus prometheus = new Prometheus(process, URI.create("http://127.0.0.1:" + port + "/"));
            await(() -> {
                try {
                    return get(prometheus.api.resolve("-/ready")).contains("Ready");
                } catch (IOException e) {
                    return false;
                }
            }, "Prometheus ready");
            return prometheus;
        }

        boolean firing(String alert, String connector) throws IOException {
            for (JsonNode a : JSON.readTree(get(api.resolve("api/v1/alerts"))).path("data").path("alerts")) {
                if (alert.equals(a.path("labels").path("alertname").asText())
                        && connector.equals(a.path("labels").path("connector").asText())
                        && "firing".equals(a.path("state").asText())) {
                    return true;
                }
            }
            return false;
        }

        boolean hasData(String query) {
            try {
                JsonNode answer = JSON.readTree(get(api.resolve("api/v1/query?query="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8))));
                return "success".equals(answer.path("status").asText())
                        && !answer.path("data").path("result").isEmpty();
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
