package io.github.kafkaconnectastro.integration;

import io.github.kafkaconnectastro.emulator.Ulid;
import io.github.kafkaconnectastro.metrics.AstroTaskMetricsMXBean;
import io.github.kafkaconnectastro.metrics.SubscriptionMetricsMXBean;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.github.kafkaconnectastro.integration.ConnectFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an operator sees of a running connector: its JMX metrics, read remotely from the worker, and its logs. */
class ObservabilityIT {

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1)
            .workerProperties(Map.of("metric.reporters", CapturingMetricsReporter.class.getName()));
    private static JmxEndpoint jmx;

    @BeforeAll
    static void start() throws Exception {
        jmx = JmxEndpoint.start();
    }

    @AfterAll
    static void stop() throws Exception {
        jmx.close();
    }

    /**
     * KIP-877: on a worker that offers plugin metrics (Kafka Connect 4.1 and later) the task's metrics also reach the
     * worker's metrics reporters, with Connect's tags; on an older worker (the kafka-3.6 build) the task runs as
     * before and registers none.
     */
    @Test
    void theTasksMetricsReachTheWorkersMetricsReportersWhereTheWorkerOffersPluginMetrics() throws Exception {
        String room = "plugin001";
        List<String[]> pairs = ConnectFixture.pairs("channel.activities", room);
        fixture.configureConnector("plugin-metrics", pairs, Map.of());
        fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("plugin-metrics", 1, "not running");
        fixture.awaitSubscribed(pairs);
        fixture.emulator.publish("channel.activities", room, "{\"type\":\"follow\"}");
        boolean offered = pluginMetricsOffered();

        if (!offered) {
            assertEquals(Map.of(), CapturingMetricsReporter.inGroup("plugins"), "no plugin metrics on this worker");
            fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("plugin-metrics", 1,
                    "the task runs without plugin metrics");
            return;
        }
        await(() -> pluginMetric("notifications-received", "plugin-metrics", null) >= 1,
                "the task's notifications-received in the worker's metrics reporters");
        await(() -> pluginMetric("messages-received", "plugin-metrics", room) >= 1,
                "the pair's messages-received, tagged with its topic and room");
        assertEquals(1.0, pluginMetric("connected", "plugin-metrics", null));
        assertEquals(1.0, pluginMetric("subscriptions", "plugin-metrics", null));
    }

    private static boolean pluginMetricsOffered() {
        try {
            Class.forName("org.apache.kafka.common.metrics.PluginMetrics");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The value of the plugin metric {@code name} of the connector's task 0 (of its pair in {@code room}), or -1. */
    private static double pluginMetric(String name, String connector, String room) {
        return CapturingMetricsReporter.inGroup("plugins").entrySet().stream()
                .filter(e -> e.getKey().name().equals(name))
                .filter(e -> connector.equals(e.getKey().tags().get("connector"))
                        && "0".equals(e.getKey().tags().get("task")))
                .filter(e -> room == null ? !e.getKey().tags().containsKey("room")
                        : room.equals(e.getKey().tags().get("room"))
                                && "channel.activities".equals(e.getKey().tags().get("topic")))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .findFirst().orElse(-1);
    }

    @Test
    void metricsAreReadThroughJmxFromTheRunningWorker() throws Exception {
        String good = "jmx00001";
        String refused = "jmx00002";
        fixture.emulator.failSubscriptions("channel.tips", refused, "err_bad_request");
        List<String[]> goodPairs = ConnectFixture.pairs("channel.activities", good);
        List<String[]> pairs = new ArrayList<>(goodPairs);
        pairs.addAll(ConnectFixture.pairs("channel.tips", refused));
        long startedMs = System.currentTimeMillis();
        fixture.configureConnector("metrics", pairs, Map.of(
                "astro.subscription.error.policy", "skip",
                "buffer.max.records", "5000"));
        fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("metrics", 1, "not running");
        fixture.awaitSubscribed(goodPairs);

        MBeanServerConnection server = jmx.connection();
        // Names as an operator writes them, not as the code builds them.
        ObjectName task = new ObjectName("kafka.connect.astro:type=task-metrics,connector=metrics,task=0");
        ObjectName goodPair = new ObjectName("kafka.connect.astro:type=subscription-metrics,connector=metrics,task=0,"
                + "topic=channel.activities,room=" + good);
        ObjectName refusedPair = new ObjectName("kafka.connect.astro:type=subscription-metrics,connector=metrics,"
                + "task=0,topic=channel.tips,room=" + refused);
        AstroTaskMetricsMXBean metrics = JMX.newMXBeanProxy(server, task, AstroTaskMetricsMXBean.class);
        await(() -> metrics.getFailedSubscriptions() == 1 && metrics.getActiveSubscriptions() == 1,
                "one pair active and one failed");

        String id = Ulid.nextId();
        Instant threeSecondsAgo = Instant.now().minusSeconds(3);
        for (int i = 0; i < 4; i++) {
            fixture.emulator.publish("channel.activities", good, "{\"type\":\"follow\"}");
        }
        fixture.emulator.publishWithId(id, threeSecondsAgo, "channel.activities", good, "{\"type\":\"tip\"}");
        fixture.emulator.publishWithId(id, threeSecondsAgo, "channel.activities", good, "{\"type\":\"tip\"}");
        fixture.emulator.sendRawToAll("{not json");
        await(() -> metrics.getRecordsEmitted() == 5 && metrics.getDuplicatesDropped() == 1
                && metrics.getMalformedFrames() == 1, "5 records, 1 duplicate, 1 malformed frame");

        assertEquals(true, server.getAttribute(task, "Connected"));
        assertEquals(6L, server.getAttribute(task, "NotificationsReceived"));
        long behind = (Long) server.getAttribute(task, "MilliSecondsBehindSource");
        assertTrue(behind >= 3_000 && behind < 60_000, "MilliSecondsBehindSource " + behind);
        long silent = (Long) server.getAttribute(task, "SecondsSinceLastMessage");
        assertTrue(silent >= 0 && silent < 60, "SecondsSinceLastMessage " + silent);
        assertEquals(Map.of("invalid_json", 1L), metrics.getMalformedFramesByKind());
        assertEquals(1L, server.getAttribute(task, "SubscribeErrors"));
        assertEquals(Map.of("err_bad_request", 1L), metrics.getSubscribeErrorsByCode());
        assertEquals(2, server.getAttribute(task, "Subscriptions"));
        assertEquals(5000, server.getAttribute(task, "BufferCapacityRecords"));
        assertEquals(16L * 1024 * 1024, server.getAttribute(task, "BufferCapacityBytes"));
        await(() -> metrics.getBufferRecords() == 0 && metrics.getBufferBytes() == 0, "the buffer drains");

        assertEquals("ACTIVE", server.getAttribute(goodPair, "State"));
        assertEquals(good, server.getAttribute(goodPair, "ConfirmedRoom"));
        assertEquals(6L, server.getAttribute(goodPair, "MessagesReceived"));
        long last = (Long) server.getAttribute(goodPair, "LastMessageTime");
        assertTrue(last >= startedMs && last <= System.currentTimeMillis(), "LastMessageTime " + last);
        SubscriptionMetricsMXBean failed = JMX.newMXBeanProxy(server, refusedPair, SubscriptionMetricsMXBean.class);
        assertEquals("FAILED", failed.getState());
        assertEquals("err_bad_request", failed.getLastErrorCode());
        assertEquals(0, failed.getMessagesReceived());

        // A lost connection, and a rate-limited subscribe on the way back.
        fixture.emulator.failNextSubscribes("channel.activities", good, "rate_limit_exceeded", 1);
        fixture.emulator.dropAllConnections();
        await(() -> metrics.getReconnectsByCause().getOrDefault("connection_lost", 0L) == 1,
                "a reconnect counted as connection_lost");
        await(() -> metrics.isConnected() && metrics.getActiveSubscriptions() == 1, "connected and subscribed again");
        assertEquals(1L, metrics.getRateLimitResponses());
        assertEquals(1L, metrics.getReconnects());

        // A restarted task registers afresh; the old run's stop must not take its MBeans away.
        // Through REST: EmbeddedConnectCluster.restartTask does not exist in Connect 3.6, the oldest supported.
        assertEquals(204, fixture.rest("POST", "connectors/metrics/tasks/0/restart", null).status());
        fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("metrics", 1, "not running");
        await(() -> server.isRegistered(task) && metrics.getNotificationsReceived() == 0 && metrics.isConnected(),
                "the restarted task's metrics");
        Thread.sleep(1_000);
        assertTrue(server.isRegistered(task) && server.isRegistered(goodPair), "still registered after the restart");

        fixture.connect.deleteConnector("metrics");
        ObjectName all = new ObjectName("kafka.connect.astro:connector=metrics,*");
        await(() -> server.queryNames(all, null).isEmpty(), "every MBean of the connector unregistered");
        fixture.emulator.clearSubscriptionFailures();
        assertTrue(fixture.emulator.awaitConnections(0, Duration.ofSeconds(30)));
    }

    @Test
    void logsOfAFullRunNameConnectorAndTaskOnEveryThreadAndNeverTheToken() throws Exception {
        String wrongToken = "wrong-token-logs-5e6f7a8b";
        String room = "log00001";
        List<LogCapture.Line> lines;
        try (LogCapture capture = LogCapture.of(Map.of(
                "io.github.kafkaconnectastro", Level.DEBUG,
                "org.java_websocket", Level.DEBUG,
                "org.apache.kafka", Level.INFO))) {
            fixture.startConnector("logs", ConnectFixture.pairs("channel.activities", room), Map.of());
            String id = Ulid.nextId();
            fixture.emulator.publishWithId(id, Instant.now(), "channel.activities", room, "{\"type\":\"follow\"}");
            fixture.emulator.publishWithId(id, Instant.now(), "channel.activities", room, "{\"type\":\"follow\"}");
            for (int i = 0; i < 5; i++) {
                fixture.emulator.sendRawToAll("{not json " + i);
            }
            String marker = fixture.emulator.publish("channel.activities", room, "{\"type\":\"raid\"}");
            fixture.consumeUntil(ConnectFixture.AWAIT, r -> r.stream().anyMatch(c -> ConnectFixture.id(c).equals(marker)),
                    "astro.channel.activities");
            fixture.emulator.dropAllConnections();
            assertTrue(fixture.emulator.awaitSubscribers("channel.activities", room, 1, ConnectFixture.AWAIT));

            List<String[]> tips = ConnectFixture.pairs("channel.tips", room);
            fixture.configureConnector("logs-bad-token", tips, Map.of("astro.token", wrongToken));
            fixture.connect.assertions().assertConnectorIsRunningAndTasksHaveFailed("logs-bad-token", 1, "not failed");

            Map<String, String> probe = fixture.connectorConfig("logs-probe", tips, Map.of(
                    "astro.token", wrongToken,
                    "astro.validate.probe.enabled", "true"));
            ConnectFixture.RestResponse validation = fixture.rest("PUT",
                    "connector-plugins/AstroSourceConnector/config/validate", ConnectFixture.toJson(probe));
            assertEquals(1, validation.json().get("error_count").asInt(), validation.body());

            fixture.connect.deleteConnector("logs");
            fixture.connect.deleteConnector("logs-bad-token");
            assertTrue(fixture.emulator.awaitConnections(0, ConnectFixture.AWAIT));
            lines = capture.lines();
        }

        for (LogCapture.Line line : lines) {
            // The test's own REST client logs Connect's answers, and GET or PUT /connectors/<name>/config returns a
            // literal token as submitted: why the docs have it come from a config provider. The worker never logs it.
            boolean testClient = line.logger().startsWith("org.apache.kafka.connect.util.clusters.");
            assertFalse(!testClient && (line.text().contains(ConnectFixture.TOKEN) || line.text().contains(wrongToken)),
                    "a token in the logs: " + line);
        }
        Pattern ourContexts = Pattern.compile("\\[(logs|logs-bad-token|logs-probe)\\|[a-z0-9-]+\\] ");
        List<LogCapture.Line> connectorLines = lines.stream().filter(ObservabilityIT::isConnectorLine).toList();
        for (LogCapture.Line line : connectorLines) {
            assertTrue(line.context() != null && ourContexts.matcher(line.context()).matches(),
                    "a connector line without the connector context: " + line);
        }
        for (LogCapture.Line line : lines) {
            if (line.thread().startsWith("WebSocketConnectReadThread") || line.thread().startsWith("WebSocketWriteThread")) {
                assertTrue(line.context() != null, "a websocket client line without the connector context: " + line);
            }
        }
        assertTrue(connectorLines.stream().anyMatch(l -> l.thread().startsWith("WebSocketConnectReadThread")),
                "the reader thread logged (the malformed frames)");
        assertTrue(connectorLines.stream().anyMatch(l -> l.thread().startsWith("astro-session-")),
                "the session thread logged");
        assertTrue(connectorLines.stream().anyMatch(l -> "[logs-probe|validate] ".equals(l.context())),
                "the validation probe logged with the validation context");

        assertEquals(2, count(connectorLines, Level.INFO, "[logs|task-0] ", "Subscribed 1 of 1 Astro subscriptions"),
                "one state line per connection");
        assertEquals(1, count(connectorLines, Level.WARN, "[logs|task-0] ", "Ignoring a frame from Astro"),
                "five bad frames in a row give one warning");
        assertEquals(1, count(connectorLines, Level.DEBUG, "[logs|task-0] ", "Dropped duplicate notification " ),
                "per-message events at DEBUG");
        assertTrue(count(connectorLines, Level.ERROR, "[logs-bad-token|task-0] ", "err_unauthorized") >= 1,
                "the refusal is logged for the failing connector");
    }

    /** A line of the connector's own code, not of the emulator or the tests. */
    private static boolean isConnectorLine(LogCapture.Line line) {
        return line.logger().startsWith("io.github.kafkaconnectastro.")
                && !line.logger().startsWith("io.github.kafkaconnectastro.emulator.")
                && !line.logger().startsWith("io.github.kafkaconnectastro.integration.");
    }

    private static long count(List<LogCapture.Line> lines, Level level, String context, String text) {
        return lines.stream()
                .filter(l -> l.level() == level && context.equals(l.context()) && l.text().contains(text))
                .count();
    }
}
