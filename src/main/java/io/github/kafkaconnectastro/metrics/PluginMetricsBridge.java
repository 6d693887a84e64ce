package io.github.kafkaconnectastro.metrics;

import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.MetricValueProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The task's metrics also through Connect's plugin metrics (KIP-877, {@code SourceTaskContext.pluginMetrics()}, Kafka
 * Connect 4.1 and later), so that the worker's metrics reporters see them (Strimzi's metrics reporter, OpenTelemetry
 * exporters). Each numeric or boolean attribute of the task's and the pairs' MBeans becomes a gauge of group
 * {@code plugins}, named in Kafka's style ({@code NotificationsReceived} as {@code notifications-received}), with
 * Connect's tags {@code connector} and {@code task}, and {@code topic} and {@code room} for a pair. The gauges only read
 * the MBeans. Connect removes them when the task closes.
 *
 * <p>The connector is compiled against Connect 3.6 as well, which has no such API: it is reached by reflection, and on
 * an older worker nothing is registered and JMX alone carries the metrics, as before.
 */
public final class PluginMetricsBridge {

    private static final Logger log = LoggerFactory.getLogger(PluginMetricsBridge.class);
    private static final String API = "org.apache.kafka.common.metrics.PluginMetrics";

    private final Object pluginMetrics;
    private final Method metricName;
    private final Method addMetric;
    private int registered;

    private PluginMetricsBridge(Object pluginMetrics, Method metricName, Method addMetric) {
        this.pluginMetrics = pluginMetrics;
        this.metricName = metricName;
        this.addMetric = addMetric;
    }

    /**
     * Registers the task's metrics with the plugin metrics of {@code taskContext}, where the worker offers them.
     *
     * @return how many metrics were registered: 0 on a worker without plugin metrics
     */
    public static int register(Object taskContext, AstroTaskMetrics metrics) {
        PluginMetricsBridge bridge;
        try {
            Object pluginMetrics = taskContext.getClass().getMethod("pluginMetrics").invoke(taskContext);
            if (pluginMetrics == null) {
                return 0;
            }
            Class<?> api = Class.forName(API, false, PluginMetricsBridge.class.getClassLoader());
            bridge = new PluginMetricsBridge(pluginMetrics,
                    api.getMethod("metricName", String.class, String.class, LinkedHashMap.class),
                    api.getMethod("addMetric", MetricName.class, MetricValueProvider.class));
        } catch (NoSuchMethodException | ClassNotFoundException e) {
            log.debug("This worker offers no plugin metrics (Kafka Connect before 4.1): the task's metrics are in JMX"
                    + " only");
            return 0;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("Could not reach the worker's plugin metrics; the task's metrics are in JMX only", e);
            return 0;
        }
        try {
            bridge.addAll(AstroTaskMetricsMXBean.class, metrics, new LinkedHashMap<>());
            for (Map.Entry<Subscription, SubscriptionMetrics> pair : metrics.subscriptions().entrySet()) {
                LinkedHashMap<String, String> tags = new LinkedHashMap<>();
                tags.put("topic", pair.getKey().topic());
                tags.put("room", pair.getKey().room());
                bridge.addAll(SubscriptionMetricsMXBean.class, pair.getValue(), tags);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("Could not register all of the task's plugin metrics ({} were); JMX has them all",
                    bridge.registered, e);
        }
        return bridge.registered;
    }

    private void addAll(Class<?> mxBean, Object source, LinkedHashMap<String, String> tags)
            throws ReflectiveOperationException {
        for (Method getter : mxBean.getMethods()) {
            String attribute = numericAttribute(getter);
            if (attribute == null) {
                continue;
            }
            Object name = metricName.invoke(pluginMetrics, kebabCase(attribute),
                    "The " + attribute + " attribute of " + mxBean.getSimpleName() + " (docs/metrics.md)", tags);
            Gauge<Double> gauge = (config, now) -> read(getter, source);
            addMetric.invoke(pluginMetrics, name, gauge);
            registered++;
        }
    }

    /** The attribute a getter of a number or a boolean reads ({@code getRecordsEmitted}: RecordsEmitted), or null. */
    static String numericAttribute(Method getter) {
        Class<?> type = getter.getReturnType();
        String name = getter.getName();
        if (getter.getParameterCount() != 0) {
            return null;
        }
        if ((type == boolean.class) && name.startsWith("is")) {
            return name.substring(2);
        }
        boolean number = type == long.class || type == int.class || type == double.class;
        return number && name.startsWith("get") ? name.substring(3) : null;
    }

    /** {@code MilliSecondsBehindSource} as {@code milli-seconds-behind-source}, as Kafka names its metrics. */
    static String kebabCase(String attribute) {
        return attribute.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Double read(Method getter, Object source) {
        try {
            Object value = getter.invoke(source);
            return value instanceof Boolean b ? (b ? 1.0 : 0.0) : ((Number) value).doubleValue();
        } catch (IllegalAccessException | InvocationTargetException e) {
            return Double.NaN;
        }
    }
}
