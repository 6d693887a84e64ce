package io.github.kafkaconnectastro.metrics;

import io.github.kafkaconnectastro.session.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JMX registration of one task's MBeans: the task's own and one per subscription. A leftover MBean of an
 * earlier run of the same task (one that was not stopped cleanly) is replaced, not an error.
 */
public final class MetricsRegistration implements AutoCloseable {

    public static final String DOMAIN = "kafka.connect.astro";
    private static final Logger log = LoggerFactory.getLogger(MetricsRegistration.class);

    private final List<ObjectName> names;

    private MetricsRegistration(List<ObjectName> names) {
        this.names = names;
    }

    public static MetricsRegistration register(String connector, int task, AstroTaskMetrics metrics) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        List<ObjectName> names = new ArrayList<>();
        String base = DOMAIN + ":type=%s,connector=" + ObjectName.quote(connector) + ",task=" + task;
        try {
            ObjectName taskName = new ObjectName(String.format(base, "task-metrics"));
            replace(server, taskName, metrics);
            names.add(taskName);
            for (Map.Entry<Subscription, SubscriptionMetrics> entry : metrics.subscriptions().entrySet()) {
                ObjectName name = new ObjectName(String.format(base, "subscription-metrics")
                        + ",topic=" + ObjectName.quote(entry.getKey().topic())
                        + ",room=" + ObjectName.quote(entry.getKey().room()));
                replace(server, name, entry.getValue());
                names.add(name);
            }
        } catch (JMException e) {
            log.warn("Could not register the task's JMX metrics; the task runs without them", e);
        }
        return new MetricsRegistration(names);
    }

    private static void replace(MBeanServer server, ObjectName name, Object bean) throws JMException {
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        server.registerMBean(bean, name);
    }

    @Override
    public void close() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : names) {
            try {
                server.unregisterMBean(name);
            } catch (InstanceNotFoundException e) {
                log.debug("MBean {} was already unregistered", name);
            } catch (JMException e) {
                log.warn("Could not unregister MBean {}", name, e);
            }
        }
    }
}
