package io.github.kafkaconnectastro.integration;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@code metric.reporters} class for an embedded worker: keeps every metric the worker's {@code Metrics} registers,
 * as Strimzi's metrics reporter or an OpenTelemetry exporter would see them. The workers share the test JVM, so the
 * test reads what it kept.
 */
public class CapturingMetricsReporter implements MetricsReporter {

    private static final Map<MetricName, KafkaMetric> METRICS = new ConcurrentHashMap<>();

    /** The metrics of {@code group} registered now. */
    static Map<MetricName, KafkaMetric> inGroup(String group) {
        Map<MetricName, KafkaMetric> found = new ConcurrentHashMap<>();
        METRICS.forEach((name, metric) -> {
            if (name.group().equals(group)) {
                found.put(name, metric);
            }
        });
        return found;
    }

    @Override
    public void init(List<KafkaMetric> metrics) {
        metrics.forEach(this::metricChange);
    }

    @Override
    public void metricChange(KafkaMetric metric) {
        METRICS.put(metric.metricName(), metric);
    }

    @Override
    public void metricRemoval(KafkaMetric metric) {
        METRICS.remove(metric.metricName());
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
