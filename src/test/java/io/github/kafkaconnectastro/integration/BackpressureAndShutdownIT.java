package io.github.kafkaconnectastro.integration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka stops accepting records while the gateway keeps pushing, a task sits idle, and tasks are stopped in awkward
 * moments: the heap stays bounded, the gateway connection stays up, nothing that entered the buffer is lost, and a
 * stopped task leaves nothing behind.
 */
class BackpressureAndShutdownIT {

    private static final String TOPIC = "channel.activities";
    private static final Duration AWAIT = Duration.ofSeconds(90);
    /** Time for a stopped task to end its threads, with room for a slow shared machine. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(15);

    // A worker that cannot reach the group coordinator for heartbeat.interval.ms revokes its own tasks. With a
    // single broker the coordinator is down with it, so the worker must wait out the whole outage.
    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1)
            .workerProperties(Map.of(
                    "heartbeat.interval.ms", "20000",
                    "session.timeout.ms", "60000",
                    "scheduled.rebalance.max.delay.ms", "60000"))
            .topicPerConnector()
            .connectorDefaults(Map.of("astro.welcome.timeout.ms", "1000"));

    @Test
    void keepsTheGatewayConnectionAndLosesNothingWhileKafkaIsDown() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "outage1", "outage2");
        // A tiny producer buffer makes poll() stop as soon as Kafka stops acknowledging, so the task's own buffer
        // fills and the socket reader has to wait. A produce request the broker wrote but could not acknowledge as
        // it stopped is sent again by the producer: only an idempotent producer keeps that out of the topic (the
        // Kafka 3.6 worker's is not by default), and such a duplicate is Kafka's, not the connector's.
        String connector = "it-outage";
        fixture.startConnector(connector, pairs, Map.of(
                "buffer.max.records", "20",
                "poll.batch.max.records", "5",
                "producer.override.buffer.memory", "8192",
                "producer.override.batch.size", "1024",
                "producer.override.enable.idempotence", "true",
                "astro.liveness.timeout.ms", "3000"));
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        assertDelivers(connector, pairs);
        // The gateway pings every 500 ms and drops a client that sent no pong for 3 s.
        fixture.emulator.setHeartbeat(Duration.ofMillis(500), Duration.ofSeconds(3));
        int handshakes = fixture.emulator.handshakeCount();

        Publisher publisher = Publisher.start(fixture.emulator, pairs, 20);
        publisher.awaitCount(20, AWAIT);
        long fullestBuffer = 0;
        BrokerOutage.stopBrokers(fixture.connect);
        try {
            long outageEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < outageEnds) {
                fullestBuffer = Math.max(fullestBuffer, metrics.number("BufferRecords"));
                Thread.sleep(100);
            }
        } finally {
            publisher.stop();
            BrokerOutage.restartBrokers(fixture.connect);
        }
        List<String> ids = publisher.stop();

        DeliveryTally tally = DeliveryTally.await(fixture, connector, ids, AWAIT).assertNoLossNoDuplicates(200);
        assertEquals(20, fullestBuffer, "the buffer never filled up, so the reader never had to wait (" + tally + ")");
        assertEquals(Map.of(), metrics.counters("ReconnectsByCause"));
        assertEquals(handshakes, fixture.emulator.handshakeCount(), "the gateway connection was lost");
    }

    @Test
    void anIdleTaskUsesNoMeasurableCpu() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "idle1", "idle2");
        String connector = "it-idle";
        fixture.startConnector(connector, pairs, Map.of());
        assertDelivers(connector, pairs);
        Thread.sleep(1000);

        List<Thread> threads = SessionThreads.live(connector);
        long before = SessionThreads.cpuNanos(threads);
        Thread.sleep(5000);
        long usedMs = (SessionThreads.cpuNanos(threads) - before) / 1_000_000;

        assertTrue(usedMs < 100, "the idle session's threads " + SessionThreads.describe(threads) + " used "
                + usedMs + " ms of CPU in 5 s");

        int normalCloses = normalCloses();
        assertStopsCleanly(connector);
        assertTrue(await(() -> normalCloses() == normalCloses + 1),
                "the socket was not closed with a normal close; close codes seen: " + fixture.emulator.clientCloseCodes());
    }

    @Test
    void stopsPromptlyInTheMiddleOfAReconnectBackoff() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "midreconnect1");
        String connector = "it-stop-backoff";
        fixture.startConnector(connector, pairs, Map.of());
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);

        // A minute of Retry-After: without an interruptible wait, the task would hang on to its thread that long.
        fixture.emulator.refuseHandshakes(429, 60, 1);
        fixture.emulator.dropAllConnections();
        assertTrue(await(() -> metrics.counter("ReconnectsByCause", "handshake_refused") == 1), "no refused attempt");

        assertStopsCleanly(connector);
    }

    /**
     * Issue 22's footprint: several connectors, idle after a gap each repaired over REST, run at most 3 threads of
     * the connector's own per task (the session's, and Java-WebSocket's reader and writer), share one HTTP client,
     * and leave no thread behind once deleted and collected.
     */
    @Test
    void idleTasksRunAtMostThreeThreadsEachAndLeaveNoneAfterDelete() throws Exception {
        int connectors = 5;
        Set<Thread> selectorsBefore = ConnectorThreads.httpSelectors();
        assertEquals(List.of(), ConnectorThreads.perTask(), "threads of an earlier test are left");
        Map<String, List<String[]>> pairsOf = new LinkedHashMap<>();
        for (int i = 0; i < connectors; i++) {
            pairsOf.put("it-footprint-" + i, ConnectFixture.pairs(TOPIC, "fp" + i + "a", "fp" + i + "b"));
        }
        Map<String, String> quickRepair = Map.of("astro.backfill.margin.ms", "300",
                "astro.backfill.request.interval.ms", "50");
        for (Map.Entry<String, List<String[]>> connector : pairsOf.entrySet()) {
            fixture.configureConnector(connector.getKey(), connector.getValue(), quickRepair);
        }
        for (Map.Entry<String, List<String[]>> connector : pairsOf.entrySet()) {
            fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector.getKey(), 1,
                    connector.getKey() + " is not running");
            fixture.awaitSubscribed(connector.getValue());
        }

        // A dropped connection opens a gap on every pair, which each task repairs over REST once resubscribed.
        fixture.emulator.dropAllConnections();
        for (Map.Entry<String, List<String[]>> connector : pairsOf.entrySet()) {
            TaskMetricsProbe metrics = new TaskMetricsProbe(connector.getKey(), 0);
            for (String[] pair : connector.getValue()) {
                assertTrue(await(() -> metrics.subscriptionNumber(pair[0], pair[1], "RepairedGaps") >= 1),
                        "no repaired gap for " + connector.getKey() + " " + pair[1]);
            }
        }
        assertTrue(ConnectFixture.eventually(() -> ConnectorThreads.perTask().size() <= 3 * connectors, AWAIT),
                "idle tasks run more than 3 threads each: " + ConnectorThreads.describe(ConnectorThreads.perTask()));
        List<Thread> perTask = ConnectorThreads.perTask();
        assertEquals(connectors, perTask.stream().filter(t -> t.getName().startsWith("astro-session-")).count(),
                ConnectorThreads.describe(perTask));
        assertTrue(ConnectorThreads.newHttpSelectors(selectorsBefore).size() <= 1,
                "the tasks' repairs share one HTTP client: " + ConnectorThreads.newHttpSelectors(selectorsBefore));
        assertTrue(ConnectorThreads.shared().size() <= 1 + 4, "the shared timer and HTTP pool: "
                + ConnectorThreads.describe(ConnectorThreads.shared()));

        pairsOf.keySet().forEach(fixture::deleteConnectorQuietly);
        boolean gone = ConnectFixture.eventually(() -> {
            System.gc();
            return ConnectorThreads.perTask().isEmpty() && ConnectorThreads.shared().isEmpty()
                    && ConnectorThreads.newHttpSelectors(selectorsBefore).isEmpty();
        }, STOP_BOUND.multipliedBy(2));
        assertTrue(gone, "threads left after delete and GC: "
                + ConnectorThreads.describe(ConnectorThreads.perTask()) + " "
                + ConnectorThreads.describe(ConnectorThreads.shared()) + " "
                + ConnectorThreads.newHttpSelectors(selectorsBefore));
    }

    /**
     * The reader waits on the full buffer with frames still unread on the socket. A socket closed with unread data
     * resets the connection, and the reset made the gateway lose the close frame: the session now lets the reader
     * drain the socket before it closes (see also SessionStopTest).
     */
    @Test
    void stopsPromptlyWithAFullBufferAndClosesTheSocketNormally() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "fullstop1");
        String connector = "it-stop-full";
        fixture.startConnector(connector, pairs, Map.of("buffer.max.records", "5"));
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        assertDelivers(connector, pairs);

        fixture.connect.pauseConnector(connector);
        fixture.connect.assertions().assertConnectorAndExactlyNumTasksArePaused(connector, 1, "not paused");
        for (int i = 0; i < 50; i++) {
            fixture.emulator.publish(TOPIC, "fullstop1", "{\"type\":\"follow\"}");
        }
        assertTrue(await(() -> metrics.number("BufferRecords") == 5), "the buffer did not fill up");
        int normalCloses = normalCloses();

        assertStopsCleanly(connector);
        assertTrue(await(() -> normalCloses() == normalCloses + 1),
                "the socket was not closed with a normal close; close codes seen: " + fixture.emulator.clientCloseCodes());
    }

    /** Deletes the connector and waits for its task's threads to end, within {@link #STOP_BOUND}. */
    private static void assertStopsCleanly(String connector) {
        long start = System.nanoTime();
        fixture.deleteConnectorQuietly(connector);
        boolean gone = ConnectFixture.eventually(() -> SessionThreads.live(connector).isEmpty(), STOP_BOUND);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(gone, "threads still running " + tookMs + " ms after delete: "
                + SessionThreads.describe(SessionThreads.live(connector)));
    }

    private static int normalCloses() {
        return (int) fixture.emulator.clientCloseCodes().stream().filter(code -> code == 1000).count();
    }

    /** One more notification per pair: every pair is subscribed and delivering. */
    private static void assertDelivers(String connector, List<String[]> pairs) {
        DeliveryTally.assertDeliversOneMorePerPair(fixture, connector, pairs, AWAIT);
    }

    private static boolean await(BooleanSupplier condition) {
        return ConnectFixture.eventually(condition, AWAIT);
    }
}
