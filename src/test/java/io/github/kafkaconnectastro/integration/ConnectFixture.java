package io.github.kafkaconnectastro.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.emulator.RestApiServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.apache.kafka.test.TestCondition;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A real KRaft broker, real Connect workers and the project's Astro emulator, for integration tests that use the
 * connector as a user would: configured through the REST API, read back from Kafka topics.
 *
 * <p>A JUnit 5 extension, one per test class:
 * <pre>
 * &#64;RegisterExtension
 * static final ConnectFixture fixture = ConnectFixture.withWorkers(1).topicPerConnector();
 * </pre>
 * It starts the emulator and the cluster before the class's first test and stops them after its last, so that the
 * slow start (seconds) is paid once per class. After each test it deletes the connectors the test created through
 * it, waits for their session threads to end and their sockets to close (a late close, or a subscription still
 * open, must not count as the next test's), and lifts every fault the test switched on in the emulator.
 *
 * <p>The emulator answers as the gateway documents show: no room in a subscribe response. A test that needs the
 * room echoed, as some gateway versions do, says so with {@code emulator.setEchoRoomInResponses(true)}.
 */
public final class ConnectFixture implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    /** How long an integration test waits for anything asynchronous; generous, as the machines are shared. */
    static final Duration AWAIT = Duration.ofSeconds(60);
    static final String TOKEN = "it-token-7f3a9c1e5b";
    /** The channel the emulator gives {@link #TOKEN}: where a bare topic in {@code astro.subscriptions} goes. */
    static final String OWN_ROOM = "own0000000000000000000000";
    /** How long a deleted connector's session threads may take to end before the next test goes on anyway. */
    private static final Duration SESSION_STOP_WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final int workers;
    private final Map<String, String> workerOverrides = new HashMap<>();
    private final Properties brokerProps = new Properties();
    private final Map<String, String> connectorDefaults = new HashMap<>();
    private final List<Supplier<Map<String, String>>> workerOverridesAtStart = new ArrayList<>();
    private final Set<String> createdByTest = new LinkedHashSet<>();
    /** The embedded workers' properties, as the class started them. */
    private final Map<String, String> startedWorkerProps = new HashMap<>();
    private boolean topicPerConnector;
    /** The emulated gateway every connector of the class talks to; set when the class starts. */
    AstroEmulator emulator;
    /** The emulated REST API, serving what {@link #emulator} published; set when the class starts. */
    RestApiServer rest;
    /** The broker and workers; set when the class starts. */
    EmbeddedConnectCluster connect;

    private ConnectFixture(int workers) {
        this.workers = workers;
    }

    /** A fixture with {@code workers} Connect workers and one broker; configure it further before it starts. */
    public static ConnectFixture withWorkers(int workers) {
        return new ConnectFixture(workers);
    }

    /** Worker properties added to (or replacing) the fixture's own. */
    public ConnectFixture workerProperties(Map<String, String> overrides) {
        workerOverrides.putAll(overrides);
        return this;
    }

    /**
     * Worker properties known only when the class starts, e.g. the {@code plugin.path} of an archive the class
     * unpacks first. The supplier runs before the cluster starts; an assumption it fails skips the class.
     */
    public ConnectFixture workerPropertiesAtStart(Supplier<Map<String, String>> overrides) {
        workerOverridesAtStart.add(overrides);
        return this;
    }

    /** Broker properties, e.g. for transactions on a single broker. */
    public ConnectFixture brokerProperties(Map<String, String> props) {
        brokerProps.putAll(props);
        return this;
    }

    /** Connector properties every connector of the class gets, before a test's own overrides. */
    public ConnectFixture connectorDefaults(Map<String, String> defaults) {
        connectorDefaults.putAll(defaults);
        return this;
    }

    /**
     * Makes every connector write to a Kafka topic named after itself ({@code topic.name.pattern} = its name), so
     * that tests cannot see each other's records.
     */
    public ConnectFixture topicPerConnector() {
        topicPerConnector = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Map<String, String> workerProps = new HashMap<>();
        workerProps.put("plugin.discovery", "service_load");
        workerProps.put("offset.flush.interval.ms", "1000");
        workerProps.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        workerProps.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        workerProps.put("value.converter.schemas.enable", "false");
        workerProps.put("scheduled.rebalance.max.delay.ms", "5000");
        workerProps.putAll(workerOverrides);
        workerOverridesAtStart.forEach(supplier -> workerProps.putAll(supplier.get()));
        startedWorkerProps.putAll(workerProps);
        emulator = AstroEmulator.start();
        emulator.acceptToken(TOKEN, OWN_ROOM);
        rest = RestApiServer.start(emulator);
        connect = new EmbeddedConnectCluster.Builder()
                .name("astro-it-" + UUID.randomUUID().toString().substring(0, 8))
                .numWorkers(workers)
                .numBrokers(1)
                .workerProps(workerProps)
                .brokerProps(brokerProps)
                .build();
        connect.start();
    }

    /**
     * The properties a worker outside the test JVM needs to join this class's Connect cluster: the embedded
     * workers' own (set {@code group.id} and the three storage topics in {@link #workerProperties} so that they are
     * known) with the broker's address.
     */
    Map<String, String> workerPropertiesToJoin() {
        Map<String, String> props = new HashMap<>(startedWorkerProps);
        props.put("bootstrap.servers", connect.kafka().bootstrapServers());
        return props;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            createdByTest.forEach(this::deleteConnectorQuietly);
            createdByTest.forEach(name -> eventually(() -> SessionThreads.live(name).isEmpty(), SESSION_STOP_WAIT));
            emulator.awaitConnections(0, SESSION_STOP_WAIT);
        } finally {
            createdByTest.clear();
            resetEmulator();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (connect != null) {
                connect.stop();
            }
        } finally {
            if (rest != null) {
                rest.close();
            }
            if (emulator != null) {
                emulator.close();
            }
        }
    }

    /**
     * A connector configuration pointing at the emulator with short timeouts, for the given pairs: the fixture's
     * settings, then the class's {@link #connectorDefaults}, then {@code overrides} (where a null value removes the
     * key).
     */
    public Map<String, String> connectorConfig(String name, List<String[]> pairs, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("name", name);
        props.put("connector.class", "AstroSourceConnector");
        props.put("tasks.max", "1");
        props.put("astro.url", emulator.uri().toString());
        props.put("astro.token", TOKEN);
        props.put("astro.token.type", "jwt");
        props.put("astro.subscriptions", subscriptions(pairs));
        props.put("poll.timeout.ms", "200");
        // Connect creates the output topics with the broker's defaults, as the example configs do.
        props.put("topic.creation.default.replication.factor", "-1");
        props.put("topic.creation.default.partitions", "-1");
        props.put("reconnect.backoff.initial.ms", "200");
        props.put("reconnect.backoff.max.ms", "2000");
        // Gap repair reads the emulator's REST API, never the real one.
        props.put("astro.rest.url", rest.baseUri().toString());
        if (topicPerConnector) {
            props.put("topic.name.pattern", name);
        }
        props.putAll(connectorDefaults);
        // A null override removes the fixture's value, e.g. astro.token for a connector that uses OAuth2.
        overrides.forEach((key, value) -> {
            if (value == null) {
                props.remove(key);
            } else {
                props.put(key, value);
            }
        });
        return props;
    }

    /**
     * Creates (or reconfigures) a connector through the REST API without waiting for anything, for tests that
     * expect it to fail or only some of its pairs to subscribe. The fixture deletes it after the test.
     */
    public void configureConnector(String name, List<String[]> pairs, Map<String, String> overrides) {
        createdByTest.add(name);
        connect.configureConnector(name, connectorConfig(name, pairs, overrides));
    }

    /**
     * Creates a connector with one task and waits until it and its task run and every pair is subscribed at the
     * emulator. The fixture deletes it after the test.
     */
    public void startConnector(String name, List<String[]> pairs, Map<String, String> overrides)
            throws InterruptedException {
        startConnector(name, 1, pairs, overrides);
    }

    /** Like {@link #startConnector(String, List, Map)}, with {@code tasks.max} = {@code tasks}, all running. */
    public void startConnector(String name, int tasks, List<String[]> pairs, Map<String, String> overrides)
            throws InterruptedException {
        Map<String, String> withTasks = new HashMap<>(overrides);
        withTasks.put("tasks.max", Integer.toString(tasks));
        configureConnector(name, pairs, withTasks);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, tasks, name + " is not running");
        awaitSubscribed(pairs);
    }

    /** Waits until every (topic, room) pair has a subscriber at the emulator; a bare topic's in {@link #OWN_ROOM}. */
    void awaitSubscribed(List<String[]> pairs) {
        for (String[] pair : pairs) {
            String room = pair[1].isEmpty() ? OWN_ROOM : pair[1];
            if (!emulator.awaitSubscribers(pair[0], room, 1, Duration.ofSeconds(30))) {
                throw new AssertionError("no subscriber for " + pair[0] + ":" + room + " within 30 s");
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

    /**
     * The token's own channel for each topic, as pairs with an empty room: bare topics in {@code astro.subscriptions},
     * which the emulator subscribes to {@link #OWN_ROOM}.
     */
    static List<String[]> ownChannel(String... topics) {
        List<String[]> pairs = new ArrayList<>();
        for (String topic : topics) {
            pairs.add(new String[] {topic, ""});
        }
        return pairs;
    }

    /** The astro.subscriptions value for the pairs: {@code topic:room}, or the bare topic for an empty room. */
    static String subscriptions(List<String[]> pairs) {
        return pairs.stream().map(p -> p[1].isEmpty() ? p[0] : p[0] + ":" + p[1]).collect(Collectors.joining(","));
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

    /** Lifts every fault and option a test may have left switched on in the class's emulator. */
    private void resetEmulator() {
        emulator.setSilent(false);
        emulator.setRateLimit(false);
        emulator.setRateLimitScope(AstroEmulator.RateLimitScope.CONNECTION);
        emulator.setHonourReconnectTokens(true);
        emulator.setReconnectDrain(Duration.ZERO);
        emulator.clearSubscriptionFailures();
        emulator.refuseHandshakes(429, null, 0);
        emulator.setHeartbeat(Duration.ZERO, Duration.ofSeconds(70));
        emulator.setEchoRoomInResponses(false);
        emulator.setOmitRoomInNotifications(false);
        emulator.setSendWelcome(true);
        rest.reset();
    }

    ConnectorStateInfo status(String connector) {
        return connect.connectorStatus(connector);
    }

    /** The worker a task status names ({@code host:port}), found by its REST port; exactly one must match. */
    WorkerHandle worker(String workerId) {
        String port = workerId.substring(workerId.lastIndexOf(':') + 1);
        Set<WorkerHandle> matches = new HashSet<>();
        for (WorkerHandle worker : connect.workers()) {
            if (Integer.toString(worker.url().getPort()).equals(port)) {
                matches.add(worker);
            }
        }
        if (matches.size() != 1) {
            throw new AssertionError("no single worker for " + workerId + " in " + connect.workers());
        }
        return matches.iterator().next();
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

    /** The connector's committed offsets, as {@code GET /connectors/<name>/offsets} lists them. */
    List<JsonNode> offsets(String connector) {
        RestResponse response = rest("GET", "connectors/" + connector + "/offsets", null);
        if (response.status() != 200) {
            throw new AssertionError("GET offsets of " + connector + ": " + response.status() + " " + response.body());
        }
        List<JsonNode> entries = new ArrayList<>();
        response.json().get("offsets").forEach(entries::add);
        return entries;
    }

    /** The {@code id} committed for the connector's pair in {@code room}; null while it has none. */
    String committedId(String connector, String room) {
        return committedId(connector, null, room);
    }

    /** The {@code id} committed for the connector's pair (topic, room), any topic when null; null while it has none. */
    String committedId(String connector, String topic, String room) {
        return offsets(connector).stream().filter(e -> room.equals(e.path("partition").path("room").asText()))
                .filter(e -> topic == null || topic.equals(e.path("partition").path("topic").asText()))
                .map(e -> e.path("offset").path("id").asText()).findFirst().orElse(null);
    }

    /**
     * Waits until each room's committed offset, read through the REST API, is the highest of its ids the emulator
     * delivered: what the task wrote so far is committed, instead of sleeping a few offset flush intervals.
     *
     * @param roomOf the room of each id, e.g. from {@link #roomsRoundRobin}
     */
    void awaitCommitted(String connector, Collection<String> ids, Map<String, String> roomOf)
            throws InterruptedException {
        Map<String, String> highest = new HashMap<>();
        for (String id : ids) {
            if (emulator.deliveredCount(id) > 0) {
                // ULIDs sort as text in the order they were made.
                highest.merge(roomOf.get(id), id, (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
        }
        await(() -> highest.entrySet().stream().allMatch(e -> e.getValue().equals(committedId(connector, e.getKey()))),
                "the offsets of " + connector + " committed up to " + highest);
    }

    /** The room of each id published round-robin to the pairs, from the first pair on. */
    static Map<String, String> roomsRoundRobin(List<String[]> pairs, List<String> ids) {
        Map<String, String> roomOf = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            roomOf.put(ids.get(i), pairs.get(i % pairs.size())[1]);
        }
        return roomOf;
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
        // A topic created while the group reads (the connector writes its first record to it) rebalances the group,
        // which can read again what it had not committed yet: the same Kafka record, not one the connector wrote twice.
        Set<String> positions = new HashSet<>();
        Consumer<ConsumerRecord<byte[], byte[]>> add = record -> {
            if (positions.add(record.topic() + "-" + record.partition() + "@" + record.offset())) {
                records.add(record);
            }
        };
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumerAndSubscribeTo(props, topics)) {
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(add);
                if (done.test(records)) {
                    break;
                }
            }
            long settleDeadline = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() < settleDeadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(add);
            }
        }
        return records;
    }

    /**
     * Publishes a marker notification to each pair and reads the topics from the beginning until every marker is
     * there; returns what was read, without the markers. A pair's records are written in order, so anything the
     * connector writes for a pair before its marker, a late duplicate too, is among them: no fixed wait for
     * "nothing more arrives".
     */
    List<ConsumerRecord<byte[], byte[]>> consumeUntilMarkers(List<String[]> pairs, String... topics) {
        Set<String> markers = new HashSet<>();
        for (String[] pair : pairs) {
            markers.add(emulator.publish(pair[0], pair[1], "{\"type\":\"raid\"}"));
        }
        List<ConsumerRecord<byte[], byte[]>> records = consumeUntil(AWAIT,
                read -> read.stream().map(ConnectFixture::id).collect(Collectors.toSet()).containsAll(markers), topics);
        List<ConsumerRecord<byte[], byte[]>> withoutMarkers = records.stream()
                .filter(record -> !markers.contains(id(record))).toList();
        if (records.size() - withoutMarkers.size() < markers.size()) {
            throw new AssertionError("the markers did not all arrive within " + AWAIT);
        }
        return withoutMarkers;
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

    /** A payload's {@code _id}; null when it has none. */
    static String eventIdOf(String dataJson) {
        try {
            JsonNode id = JSON.readTree(dataJson).get("_id");
            return id != null && id.isTextual() ? id.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A record's header as text; null when absent. */
    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static String id(ConsumerRecord<byte[], byte[]> record) {
        return value(record).get("id").asText();
    }
}
