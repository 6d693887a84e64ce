package io.github.kafkaconnectastro.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The monitoring files of {@code deploy/} as the tests read them: the alert rules, the dashboard, the series that
 * docs/monitoring.md promises, and Prometheus's own binaries to check them with.
 */
public final class PrometheusFiles {

    public static final Path PROMETHEUS = Path.of("deploy/prometheus");
    public static final Path EXPORTER_RULES = PROMETHEUS.resolve("astro-jmx-exporter.yaml");
    public static final Path ALERTS = PROMETHEUS.resolve("astro-alerts.yaml");
    public static final Path ALERT_TESTS = PROMETHEUS.resolve("astro-alerts.test.yaml");
    public static final Path PROMETHEUS_RULE = PROMETHEUS.resolve("astro-prometheusrule.yaml");
    public static final Path DASHBOARD = Path.of("deploy/grafana/astro-connect-dashboard.json");
    public static final Path MONITORING_DOC = Path.of("docs/monitoring.md");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SERIES_ROW = Pattern.compile("^\\| `([a-z_:][a-z0-9_:]*)` \\|[^|]+\\|([^|]*)\\|",
            Pattern.MULTILINE);
    /** A series name in PromQL: a word followed by a selector, a range or an operator, not a function's name. */
    private static final Pattern SERIES_IN_QUERY = Pattern.compile(
            "\\b((?:astro|kafka_connect|jvm|process)_[a-z0-9_]+)\\b(?!\\s*\\()");

    private PrometheusFiles() {
    }

    public static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode dashboard() {
        try {
            return JSON.readTree(DASHBOARD.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every alert rule of the plain rule file. */
    public static List<JsonNode> alerts() {
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode group : yaml(ALERTS).path("groups")) {
            group.path("rules").forEach(alerts::add);
        }
        return alerts;
    }

    /** The series docs/monitoring.md promises, each with its labels (Prometheus's own job and instance aside). */
    public static Map<String, Set<String>> documentedSeries() {
        Map<String, Set<String>> series = new LinkedHashMap<>();
        Matcher row = SERIES_ROW.matcher(read(MONITORING_DOC));
        while (row.find()) {
            Set<String> labels = new TreeSet<>();
            for (String label : row.group(2).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.strip());
                }
            }
            series.put(row.group(1), labels);
        }
        return series;
    }

    /** Every query of the dashboard's panels, as written (with its variables). */
    public static List<String> dashboardQueries() {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asText());
            }
        }
        return queries;
    }

    /** The series names a PromQL expression reads. */
    public static Set<String> seriesIn(String query) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = SERIES_IN_QUERY.matcher(query.replaceAll("\\{[^}]*}", "{}"));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * Prometheus's binary {@code name} ({@code prometheus}, {@code promtool}) from where the build put it; fails, with
     * how to get it, where it is not: a monitoring test never skips.
     */
    public static Path binary(String name) {
        String dir = System.getProperty("prometheus.bin", ".tools/prometheus/usr/bin");
        Path binary = Path.of(dir, name);
        if (!Files.isExecutable(binary)) {
            fail(name + " is not at " + binary + ". The build fetches it with deploy/prometheus/get-prometheus.sh"
                    + " (Debian's prometheus package: apt-get download prometheus && dpkg -x, as root after"
                    + " apt-get update); elsewhere put prometheus and promtool 2.x from https://prometheus.io/download/"
                    + " in that directory.");
        }
        return binary;
    }

    /** Runs {@code promtool} with {@code args}; its exit code and output. */
    public static Result promtool(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary("promtool").toString());
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            Path input = null;
            if (stdin != null) {
                input = Files.createTempFile("promtool-", ".txt");
                Files.writeString(input, stdin);
                builder.redirectInput(input.toFile());
            }
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (input != null) {
                Files.delete(input);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("promtool " + String.join(" ", args) + " did not end within 60 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Result(int exitCode, String output) {
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
