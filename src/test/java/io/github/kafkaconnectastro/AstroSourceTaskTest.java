package io.github.kafkaconnectastro;

import io.github.kafkaconnectastro.metrics.MetricsRegistration;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

public class AstroSourceTaskTest {

    @Test
    void aFailedStartLeavesNoMBeansBehind() throws Exception {
        AstroSourceTask task = new AstroSourceTask();
        task.initialize(context(new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                throw new ConnectException("offset store unavailable");
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                throw new ConnectException("offset store unavailable");
            }
        }));
        Map<String, String> props = Map.of("name", "start-fails", "astro.token", "t0ken",
                "astro.subscriptions", "channel.tips:a,channel.activities", "astro.task.id", "0");

        ConnectException e = assertThrows(ConnectException.class, () -> task.start(props));
        assertEquals("offset store unavailable", e.getMessage());
        assertEquals(0, ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName(MetricsRegistration.DOMAIN + ":connector=start-fails,*"), null).size());
    }

    /**
     * A context that only reads offsets. A proxy rather than a class: the interface gained an abstract method in
     * Kafka 4 ({@code pluginMetrics()}, whose type Kafka 3.6 lacks), and the tests compile against both.
     */
    private static SourceTaskContext context(OffsetStorageReader reader) {
        return (SourceTaskContext) Proxy.newProxyInstance(AstroSourceTaskTest.class.getClassLoader(),
                new Class<?>[] {SourceTaskContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("offsetStorageReader")) {
                        return reader;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
