package io.github.kafkaconnectastro.integration;

import io.github.kafkaconnectastro.metrics.MetricsRegistration;
import io.github.kafkaconnectastro.protocol.Subscription;

import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a task's metrics the way a JMX client would, from the platform MBean server: the embedded workers run in
 * the test's JVM, so their tasks register there.
 */
final class TaskMetricsProbe {

    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private final String connector;
    private final int task;

    TaskMetricsProbe(String connector, int task) {
        this.connector = connector;
        this.task = task;
    }

    /** True while the task's MBean is registered (between the task's start and stop). */
    boolean registered() {
        return SERVER.isRegistered(taskName());
    }

    long number(String attribute) {
        return ((Number) attribute(taskName(), attribute)).longValue();
    }

    boolean flag(String attribute) {
        return (Boolean) attribute(taskName(), attribute);
    }

    /** A {@code Map<String, Long>} attribute such as {@code ReconnectsByCause}; empty when not registered. */
    Map<String, Long> counters(String attribute) {
        Map<String, Long> counters = new TreeMap<>();
        if (!registered()) {
            return counters;
        }
        TabularData table = (TabularData) attribute(taskName(), attribute);
        for (Object row : table.values()) {
            CompositeData entry = (CompositeData) row;
            counters.put((String) entry.get("key"), ((Number) entry.get("value")).longValue());
        }
        return counters;
    }

    long counter(String attribute, String key) {
        return counters(attribute).getOrDefault(key, 0L);
    }

    /** The state of one subscription: PENDING, SUBSCRIBING, ACTIVE or FAILED. */
    String subscriptionState(String topic, String room) {
        return (String) attribute(subscriptionName(topic, room), "State");
    }

    /** A number of one subscription's MBean, e.g. {@code Gaps} or {@code RepairedRecords}. */
    long subscriptionNumber(String topic, String room, String attribute) {
        return ((Number) attribute(subscriptionName(topic, room), attribute)).longValue();
    }

    String subscriptionErrorCode(String topic, String room) {
        return (String) attribute(subscriptionName(topic, room), "LastErrorCode");
    }

    private ObjectName taskName() {
        return MetricsRegistration.taskMetricsName(connector, task);
    }

    private ObjectName subscriptionName(String topic, String room) {
        return MetricsRegistration.subscriptionMetricsName(connector, task, new Subscription(topic, room));
    }

    private static Object attribute(ObjectName name, String attribute) {
        try {
            return SERVER.getAttribute(name, attribute);
        } catch (InstanceNotFoundException e) {
            throw new AssertionError("no MBean " + name, e);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }
}
