package io.github.kafkaconnectastro.bench;

import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.metrics.AstroTaskMetricsMXBean;
import io.github.kafkaconnectastro.metrics.MetricsRegistration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Everything a run needs, in the benchmark's JVM: the Astro emulator on loopback, one KRaft broker and one
 * Connect worker ({@link EmbeddedConnectCluster}, as the integration tests use), and an admin client for topics
 * and quotas. Connectors are configured through the worker's REST API, as a user would.
 */
final class BenchCluster implements AutoCloseable {

    static final String TOKEN = "bench-token-3c9e51a7d2";
    private static final String OWN_ROOM = "benchown0000000000000000";
    private static final String PRODUCER_BYTE_RATE = "producer_byte_rate";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    final AstroEmulator emulator;
    final EmbeddedConnectCluster connect;
    private final Admin admin;

    private BenchCluster(AstroEmulator emulator, EmbeddedConnectCluster connect) {
        this.emulator = emulator;
        this.connect = connect;
        this.admin = connect.kafka().createAdminClient();
    }

    static BenchCluster start() {
        AstroEmulator emulator = AstroEmulator.start();
        emulator.acceptToken(TOKEN, OWN_ROOM);
        // Millions of ids would otherwise pile up in the emulator's per-id delivery counts.
        emulator.setTrackDeliveriesPerId(false);
        Map<String, String> workerProps = new HashMap<>();
        workerProps.put("plugin.discovery", "service_load");
        workerProps.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        workerProps.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        workerProps.put("value.converter.schemas.enable", "false");
        EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder()
                .name("astro-bench")
                .numWorkers(1)
                .numBrokers(1)
                .workerProps(workerProps)
                .build();
        connect.start();
        return new BenchCluster(emulator, connect);
    }

    /**
     * A connector on the given rooms of {@link BenchPayload#TOPIC} with one task, writing to a topic of its own;
     * everything else at the connector's and Connect's defaults.
     */
    Map<String, String> connectorConfig(String name, List<String> rooms) {
        Map<String, String> props = new HashMap<>();
        props.put("connector.class", "AstroSourceConnector");
        props.put("tasks.max", "1");
        props.put("astro.url", emulator.uri().toString());
        props.put("astro.token", TOKEN);
        props.put("astro.token.type", "jwt");
        props.put("astro.subscriptions", rooms.stream()
                .map(room -> BenchPayload.TOPIC + ":" + room)
                .collect(Collectors.joining(",")));
        props.put("topic.name.pattern", "bench-" + name + ".${topic}");
        props.put("topic.creation.default.replication.factor", "-1");
        props.put("topic.creation.default.partitions", "-1");
        return props;
    }

    /**
     * Creates the connector's output topic, then the connector, and waits until its task runs and its metrics
     * are registered; with {@code awaitSubscribed}, also until every pair is subscribed.
     */
    RunningConnector startConnector(String name, Map<String, String> config, boolean awaitSubscribed)
            throws Exception {
        String topic = "bench-" + name + "." + BenchPayload.TOPIC;
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        connect.configureConnector(name, config);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "connector " + name + " did not start");
        AstroTaskMetricsMXBean metrics = metrics(name);
        int pairs = config.get("astro.subscriptions").split(",").length;
        if (awaitSubscribed && !await(() -> metrics.getActiveSubscriptions() == pairs, READY_TIMEOUT)) {
            throw new IllegalStateException("connector " + name + " did not subscribe its " + pairs + " pairs");
        }
        return new RunningConnector(this, name, topic, metrics, new KafkaReader(connect.kafka().bootstrapServers(), topic));
    }

    Admin admin() {
        return admin;
    }

    /** Limits how fast the broker accepts records from a producer, by client id. */
    void throttle(String clientId, long bytesPerSecond) throws Exception {
        alterQuota(clientId, (double) bytesPerSecond);
        if (!await(() -> quota(clientId).isPresent(), READY_TIMEOUT)) {
            throw new IllegalStateException("the quota on " + clientId + " did not take effect");
        }
    }

    void unthrottle(String clientId) throws Exception {
        alterQuota(clientId, null);
        if (!await(() -> quota(clientId).isEmpty(), READY_TIMEOUT)) {
            throw new IllegalStateException("the quota on " + clientId + " was not lifted");
        }
    }

    private void alterQuota(String clientId, Double bytesPerSecond) throws Exception {
        ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId));
        ClientQuotaAlteration.Op op = new ClientQuotaAlteration.Op(PRODUCER_BYTE_RATE, bytesPerSecond);
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity, List.of(op)))).all().get();
    }

    private Optional<Double> quota(String clientId) {
        ClientQuotaFilter filter = ClientQuotaFilter.containsOnly(
                List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.CLIENT_ID, clientId)));
        try {
            return admin.describeClientQuotas(filter).entities().get().values().stream()
                    .map(quotas -> quotas.get(PRODUCER_BYTE_RATE))
                    .filter(value -> value != null)
                    .findFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read the client quotas", e.getCause());
        }
    }

    /** A proxy of the task's metrics MBean, once the task has registered it. */
    private static AstroTaskMetricsMXBean metrics(String connector) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = MetricsRegistration.taskMetricsName(connector, 0);
        if (!await(() -> server.isRegistered(name), READY_TIMEOUT)) {
            throw new IllegalStateException("the task of " + connector + " registered no metrics MBean " + name);
        }
        return JMX.newMXBeanProxy(server, name, AstroTaskMetricsMXBean.class);
    }

    static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void close() {
        try {
            admin.close(Duration.ofSeconds(5));
            connect.stop();
        } finally {
            emulator.close();
        }
    }
}
