package io.github.kafkaconnectastro.integration;

import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Stops and restarts the embedded broker, keeping its port. The suite runs on the Kafka 4 and the Kafka 3.6 test
 * harnesses (profile kafka-3.6), whose embedded clusters name these methods differently, hence the lookup by name.
 */
final class BrokerOutage {

    private BrokerOutage() {
    }

    static void stopBrokers(EmbeddedConnectCluster connect) {
        invoke(connect.kafka(), "stopOnlyBrokers", "stopOnlyKafka");
    }

    static void restartBrokers(EmbeddedConnectCluster connect) {
        invoke(connect.kafka(), "restartOnlyBrokers", "startOnlyKafkaOnSamePorts");
    }

    /** Calls the first of the no-argument methods the object has. */
    private static void invoke(Object target, String... names) {
        for (String name : names) {
            Method method;
            try {
                method = target.getClass().getMethod(name);
            } catch (NoSuchMethodException e) {
                continue;
            }
            try {
                method.invoke(target);
                return;
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        throw new IllegalStateException("none of " + String.join(", ", names) + " on " + target.getClass());
    }
}
