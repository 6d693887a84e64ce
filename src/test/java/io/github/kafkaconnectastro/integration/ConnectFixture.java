package io.github.kafkaconnectastro.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kafkaconnectastro.emulator.AstroEmulator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.test.TestCondition;
import org.apache.kafka.test.TestUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A real KRaft broker, real Connect workers and the project's Astro emulator, for integration tests that use the
 * connector as a user would: configured through the REST API, read back from Kafka topics.
 */
public final class ConnectFixture implements AutoCloseable {

    /** How long an integration test waits for anything asynchronous; generous, as the machines are shared. */
    static final Duration AWAIT = Duration.ofSeconds(60);
    static final String TOKEN = "it-token-7f3a9c1e5b";
    static final String OWN_ROOM = "own0000000000000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final AstroEmulator emulator;
    final EmbeddedConnectCluster connect;

    private ConnectFixture(AstroEmulator emulator, EmbeddedConnectCluster connect) {
        this.emulator = emulator;
        this.connect = connect;
    }

    static ConnectFixture start(int workers) {
        return start(workers, Map.of(), new Properties());
    }

    /**
     * @param workerOverrides worker properties added to (or replacing) the fixture's own
     * @param brokerProps     broker properties, e.g. for transactions on a single broker
     */
    static ConnectFixture start(int workers, Map<String, String> workerOverrides, Properties brokerProps) {
        AstroEmulator emulator = AstroEmulator.start();
        emulator.acceptToken(TOKEN, OWN_ROOM);
        Map<String, String> workerProps = new HashMap<>();
        workerProps.put("plugin.discovery", "service_load");
        workerProps.put("offset.flush.interval.ms", "1000");
        workerProps.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        workerProps.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        workerProps.put("value.converter.schemas.enable", "false");
        workerProps.put("scheduled.rebalance.max.delay.ms", "5000");
        workerProps.putAll(workerOverrides);
        EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder()
                .name("astro-it-" + UUID.randomUUID().toString().substring(0, 8))
                .numWorkers(workers)
                .numBrokers(1)
                .workerProps(workerProps)
                .brokerProps(brokerProps)
                .build();
        connect.start();
        return new ConnectFixture(emulator, connect);
    }

    /** A connector configuration pointing at the emulator with short timeouts, for the given pairs. */
    Map<String, String> connectorConfig(int tasks, String subscriptions) {
        Map<String, String> props = new HashMap<>();
        props.put("connector.class", "AstroSourceConnector");
        props.put("tasks.max", Integer.toString(tasks));
        props.put("astro.url", emulator.uri().toString());
        props.put("astro.token", TOKEN);
        props.put("astro.token.type", "jwt");
        props.put("astro.subscriptions", subscriptions);
        props.put("poll.timeout.ms", "200");
        // Connect creates the output topics with the broker's defaults, as the example configs do.
        props.put("topic.creation.default.replication.factor", "-1");
        props.put("topic.creation.default.partitions", "-1");
        props.put("reconnect.backoff.initial.ms", "200");
        props.put("reconnect.backoff.max.ms", "2000");
        return props;
    }

    /** Waits until every (topic, room) pair has a subscriber at the emulator. */
    void awaitSubscribed(List<String[]> pairs) {
        for (String[] pair : pairs) {
            if (!emulator.awaitSubscribers(pair[0], pair[1], 1, Duration.ofSeconds(30))) {
                throw new AssertionError("no subscriber for " + pair[0] + ":" + pair[1] + " within 30 s");
            }
        }
    }

    /**
     * After a restart: waits until the restarted tasks' {@code connections} new connections are the only ones
     * open and every pair has a subscriber again. Waiting for subscribers alone could see the old connections,
     * and what is published between their close and the new subscribes is lost (the gateway has no replay).
     *
     * @param handshakesBefore {@code emulator.handshakeCount()} before the restart
     */
    void awaitResubscribed(int handshakesBefore, int connections, List<String[]> pairs) throws InterruptedException {
        await(() -> emulator.handshakeCount() >= handshakesBefore + connections
                && emulator.connectionCount() == connections, "only the restarted tasks' connections are open");
        awaitSubscribed(pairs);
    }

    /** The pairs of one Astro topic and several rooms, as {topic, room} arrays. */
    static List<String[]> pairs(String topic, String... rooms) {
        List<String[]> pairs = new ArrayList<>();
        for (String room : rooms) {
            pairs.add(new String[] {topic, room});
        }
        return pairs;
    }

    /** The astro.subscriptions value for the pairs. */
    static String subscriptions(List<String[]> pairs) {
        return pairs.stream().map(p -> p[0] + ":" + p[1]).collect(Collectors.joining(","));
    }

    /** Polls the condition until it holds or the timeout passes; tolerant of a slow, shared machine. */
    public static boolean eventually(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Deletes the connector if it exists and waits until it is gone, so the next test starts clean. */
    void deleteConnectorQuietly(String connector) {
        if (connector == null || !connect.connectors().contains(connector)) {
            return;
        }
        connect.deleteConnector(connector);
        if (!eventually(() -> !connect.connectors().contains(connector), AWAIT)) {
            throw new AssertionError("connector " + connector + " was not deleted within " + AWAIT);
        }
    }

    /** Lifts every fault a test may have left switched on in the shared emulator. */
    void resetEmulator() {
        emulator.setSilent(false);
        emulator.setRateLimit(false);
        emulator.setHonourReconnectTokens(true);
        emulator.clearSubscriptionFailures();
        emulator.refuseHandshakes(429, null, 0);
        emulator.setHeartbeat(Duration.ZERO, Duration.ofSeconds(70));
    }

    ConnectorStateInfo status(String connector) {
        return connect.connectorStatus(connector);
    }

    /** Configures a connector and waits until it and its {@code tasks} tasks run and every pair is subscribed. */
    void startConnector(String name, Map<String, String> config, int tasks, List<String[]> pairs)
            throws InterruptedException {
        connect.configureConnector(name, config);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, tasks, name + " is not running");
        awaitSubscribed(pairs);
    }

    /**
     * A REST call as a user makes it: the status and the body as text. Through the JDK's HTTP client, not
     * EmbeddedConnectCluster's request methods, whose JAX-RS Response type moved from javax to jakarta in Kafka 4.
     */
    RestResponse rest(String method, String path, String jsonBody) {
        HttpRequest.BodyPublisher body = jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(connect.endpointForResource(path)))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, body)
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new RestResponse(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + path, e);
        }
    }

    /** The status and body of a REST call. */
    record RestResponse(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** Waits up to {@link #AWAIT} for a condition, failing with {@code what} when it does not come. */
    static void await(TestCondition condition, String what)
            throws InterruptedException {
        TestUtils.waitForCondition(condition, AWAIT.toMillis(), what);
    }

    /**
     * Reads the topics from the beginning until {@code done} holds for everything read so far, or the timeout.
     */
    List<ConsumerRecord<byte[], byte[]>> consumeUntil(Duration timeout,
                                                      Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
                                                      String... topics) {
        return consumeUntil(timeout, done, Duration.ZERO, topics);
    }

    /**
     * Like {@link #consumeUntil(Duration, Predicate, String...)}, then goes on reading for {@code settle}, so that a
     * record written late (a duplicate) is seen too.
     */
    List<ConsumerRecord<byte[], byte[]>> consumeUntil(Duration timeout,
                                                      Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
                                                      Duration settle, String... topics) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumerAndSubscribeTo(props, topics)) {
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                if (done.test(records)) {
                    break;
                }
            }
            long settleDeadline = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() < settleDeadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    static JsonNode value(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new AssertionError("record value is not JSON", e);
        }
    }

    static String id(ConsumerRecord<byte[], byte[]> record) {
        return value(record).get("id").asText();
    }

    @Override
    public void close() {
        try {
            connect.stop();
        } finally {
            emulator.close();
        }
    }
}
