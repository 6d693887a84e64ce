package io.github.kafkaconnectastro.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kafkaconnectastro.config.MarkdownAnchors;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.github.kafkaconnectastro.metrics.PrometheusFiles.ALERTS;
import static io.github.kafkaconnectastro.metrics.PrometheusFiles.ALERT_TESTS;
import static io.github.kafkaconnectastro.metrics.PrometheusFiles.PROMETHEUS_RULE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The files of {@code deploy/} that operators load into Prometheus and Grafana, checked as Prometheus itself checks
 * them ({@code promtool}) and against what docs/monitoring.md promises. {@code MonitoringIT} runs them for real.
 */
class PrometheusFilesTest {

    private static final String RUNBOOK = "https://github.com/kafkaconnectastro/kafka-connect-astro/blob/main/docs/";

    @Test
    void promtoolChecksTheAlertRules() {
        PrometheusFiles.Result result = PrometheusFiles.promtool(null, "check", "rules", ALERTS.toString());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS: " + PrometheusFiles.alerts().size() + " rules found"),
                result.output());
    }

    @Test
    void promtoolUnitTestsOfEveryAlertPass() {
        PrometheusFiles.Result result = PrometheusFiles.promtool(null, "test", "rules", ALERT_TESTS.toString());
        assertEquals(0, result.exitCode(), result.output());
    }

    /** Each alert has a test where it fires and one where it stays silent (an evaluation expecting no alert). */
    @Test
    void everyAlertIsTestedFiringAndSilent() {
        Set<String> firing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (JsonNode test : PrometheusFiles.yaml(ALERT_TESTS).path("tests")) {
            for (JsonNode eval : test.path("alert_rule_test")) {
                String name = eval.path("alertname").asText();
                (eval.path("exp_alerts").isEmpty() ? silent : firing).add(name);
            }
        }
        Set<String> alerts = new TreeSet<>();
        PrometheusFiles.alerts().forEach(a -> alerts.add(a.path("alert").asText()));
        assertEquals(alerts, firing, "alerts with a test where they fire");
        assertEquals(alerts, silent, "alerts with a test where they stay silent");
    }

    @Test
    void thePrometheusRuleHoldsExactlyThePlainFilesRules() {
        JsonNode rule = PrometheusFiles.yaml(PROMETHEUS_RULE);
        assertEquals("monitoring.coreos.com/v1", rule.path("apiVersion").asText());
        assertEquals("PrometheusRule", rule.path("kind").asText());
        assertEquals(PrometheusFiles.yaml(ALERTS).path("groups"), rule.path("spec").path("groups"),
                "astro-prometheusrule.yaml must hold the groups of astro-alerts.yaml, unchanged");
    }

    @Test
    void everyAlertHasASummaryADescriptionASeverityAndARunbookSectionThatExists() {
        List<String> sections = MarkdownAnchors.of(PrometheusFiles.read(Path.of("docs/operations.md")));
        for (JsonNode alert : PrometheusFiles.alerts()) {
            String name = alert.path("alert").asText();
            JsonNode annotations = alert.path("annotations");
            assertFalse(annotations.path("summary").asText().isBlank(), name + " summary");
            assertFalse(annotations.path("description").asText().isBlank(), name + " description");
            assertTrue(Set.of("critical", "warning", "info").contains(alert.path("labels").path("severity").asText()),
                    name + " severity");
            String runbook = annotations.path("runbook_url").asText();
            assertTrue(runbook.startsWith(RUNBOOK + "operations.md#"), name + " runbook_url: " + runbook);
            String anchor = runbook.substring(runbook.indexOf('#') + 1);
            assertTrue(sections.contains(anchor), name + ": no section #" + anchor + " in docs/operations.md");
        }
    }

    @Test
    void everyPanelHasADataSourceAQueryAndAUnit() {
        int panels = 0;
        for (JsonNode panel : PrometheusFiles.dashboard().path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            panels++;
            String title = panel.path("title").asText();
            assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), title);
            assertFalse(panel.path("fieldConfig").path("defaults").path("unit").asText().isBlank(), title + " unit");
            assertFalse(panel.path("targets").isEmpty(), title + " queries");
            for (JsonNode target : panel.path("targets")) {
                assertFalse(target.path("expr").asText().isBlank(), title + " query");
                assertEquals("${datasource}", target.path("datasource").path("uid").asText(), title);
            }
        }
        assertTrue(panels >= 10, "panels: " + panels);
        Set<String> variables = new HashSet<>();
        PrometheusFiles.dashboard().path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        assertEquals(Set.of("datasource", "connector", "task"), variables);
    }

    /** What the alerts and the dashboard read is what the exporter rules make, as docs/monitoring.md lists it. */
    @Test
    void everySeriesTheAlertsAndTheDashboardReadIsDocumented() {
        Map<String, Set<String>> documented = PrometheusFiles.documentedSeries();
        assertTrue(documented.size() > 40, "series listed in docs/monitoring.md: " + documented.keySet());
        List<String> queries = new ArrayList<>(PrometheusFiles.dashboardQueries());
        PrometheusFiles.alerts().forEach(a -> queries.add(a.path("expr").asText()));
        Set<String> undocumented = new TreeSet<>();
        for (String query : queries) {
            for (String series : PrometheusFiles.seriesIn(query)) {
                if (!documented.containsKey(series)) {
                    undocumented.add(series + " (in " + query + ")");
                }
            }
        }
        assertEquals(Set.of(), undocumented);
    }

    /** Every astro_ series documented is one an exporter rule names, with the rule's labels. */
    @Test
    void everyDocumentedSeriesOfTheConnectorIsAnExporterRule() {
        Map<String, Set<String>> fromRules = new java.util.LinkedHashMap<>();
        for (JsonNode rule : PrometheusFiles.yaml(PrometheusFiles.EXPORTER_RULES).path("rules")) {
            String name = rule.path("name").asText();
            if (name.startsWith("astro_")) {
                Set<String> labels = new TreeSet<>();
                rule.path("labels").fieldNames().forEachRemaining(labels::add);
                fromRules.put(name, labels);
            }
        }
        Map<String, Set<String>> documented = new java.util.LinkedHashMap<>(PrometheusFiles.documentedSeries());
        documented.keySet().removeIf(name -> !name.startsWith("astro_"));
        assertEquals(fromRules, documented);
    }

    @Test
    void seriesAreFoundInQueriesButFunctionsAndLabelsAreNot() {
        assertEquals(Set.of("astro_task_buffer_records", "astro_task_buffer_capacity_records"), PrometheusFiles.seriesIn(
                "sum by (connector) (rate(astro_task_buffer_records{connector=~\"astro_x\"}[5m])) / "
                        + "astro_task_buffer_capacity_records"));
    }
}
