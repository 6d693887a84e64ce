package io.github.kafkaconnectastro.metrics;

import io.github.kafkaconnectastro.protocol.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JMX registration of one task's MBeans: the task's own and one per subscription. A leftover MBean of an
 * earlier run of the same task (one that was not stopped cleanly, or whose stop is still running while the
 * task already runs again) is replaced, not an error; and closing the earlier run later leaves the MBeans of
 * the run that replaced it alone.
 */
public final class MetricsRegistration implements AutoCloseable {

    public static final String DOMAIN = "kafka.connect.astro";
    public static final String TASK_METRICS_TYPE = "task-metrics";
    public static final String SUBSCRIPTION_METRICS_TYPE = "subscription-metrics";
    private static final Logger log = LoggerFactory.getLogger(MetricsRegistration.class);
    /** Like Kafka's own JMX names: values made of these characters stay unquoted. */
    private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9_.\\-]+");
    /** Which registration owns each name; guarded by the class lock, as registrations are rare. */
    private static final Map<ObjectName, MetricsRegistration> OWNERS = new HashMap<>();

    private final List<ObjectName> names = new ArrayList<>();

    private MetricsRegistration() {
    }

    /** Registers the task's MBeans; a failure is logged and the task runs without metrics. */
    public static MetricsRegistration register(String connector, int task, AstroTaskMetrics metrics) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        MetricsRegistration registration = new MetricsRegistration();
        try {
            registration.replace(server, taskMetricsName(connector, task), metrics);
            for (Map.Entry<Subscription, SubscriptionMetrics> entry : metrics.subscriptions().entrySet()) {
                registration.replace(server, subscriptionMetricsName(connector, task, entry.getKey()),
                        entry.getValue());
            }
        } catch (JMException e) {
            log.warn("Could not register the task's JMX metrics; the task runs without them", e);
        }
        return registration;
    }

    /** {@code kafka.connect.astro:type=task-metrics,connector=<name>,task=<id>}. */
    public static ObjectName taskMetricsName(String connector, int task) {
        return name(base(TASK_METRICS_TYPE, connector, task));
    }

    /** {@code kafka.connect.astro:type=subscription-metrics,connector=<name>,task=<id>,topic=<topic>,room=<room>}. */
    public static ObjectName subscriptionMetricsName(String connector, int task, Subscription subscription) {
        return name(base(SUBSCRIPTION_METRICS_TYPE, connector, task) + ",topic=" + value(subscription.topic())
                + ",room=" + value(subscription.room()));
    }

    private static String base(String type, String connector, int task) {
        return DOMAIN + ":type=" + type + ",connector=" + value(connector) + ",task=" + task;
    }

    /**
     * A name value as Kafka's JmxReporter writes it: as is when plain, quoted otherwise, so that operators match
     * the same label values as in Connect's own {@code kafka.connect:type=connector-task-metrics} MBeans. The
     * empty room of an own-channel subscription is quoted, since an unquoted value cannot be empty.
     */
    static String value(String raw) {
        return PLAIN_VALUE.matcher(raw).matches() ? raw : ObjectName.quote(raw);
    }

    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a valid JMX name: " + text, e);
        }
    }

    private void replace(MBeanServer server, ObjectName name, Object bean) throws JMException {
        synchronized (MetricsRegistration.class) {
            if (server.isRegistered(name)) {
                log.debug("Replacing the leftover MBean {} of an earlier run of this task", name);
                server.unregisterMBean(name);
            }
            server.registerMBean(bean, name);
            OWNERS.put(name, this);
            names.add(name);
        }
    }

    /** Unregisters this registration's MBeans, except those a later run of the same task registered since. */
    @Override
    public void close() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        synchronized (MetricsRegistration.class) {
            for (ObjectName name : names) {
                if (!OWNERS.remove(name, this)) {
                    continue;
                }
                try {
                    server.unregisterMBean(name);
                } catch (InstanceNotFoundException e) {
                    log.debug("MBean {} was already unregistered", name);
                } catch (JMException e) {
                    log.warn("Could not unregister MBean {}", name, e);
                }
            }
            names.clear();
        }
    }
}
