package io.github.kafkaconnectastro.integration;

import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection to the gateway breaks in every way the issue lists, while notifications are flowing; the task
 * recovers by itself, and everything the gateway wrote to a healthy subscribed connection reaches Kafka once.
 */
class ConnectionFaultsIT {

    private static final String TOPIC = "channel.activities";
    private static final Duration AWAIT = Duration.ofSeconds(60);

    private static ConnectFixture fixture;
    private String connector;

    @BeforeAll
    static void start() {
        fixture = ConnectFixture.start(1);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @AfterEach
    void cleanUp() {
        fixture.deleteConnectorQuietly(connector);
        fixture.resetEmulator();
    }

    @Test
    void reconnectsWithBackoffAndSubscribesEveryPairAgainAfterAnAbruptDisconnect() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "drop1", "drop2", "drop3");
        startConnector("it-drop", pairs, Map.of());
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        int subscribesBefore = fixture.emulator.subscribeCommandCount();

        Publisher publisher = Publisher.start(fixture.emulator, pairs, 20);
        for (int drop = 1; drop <= 2; drop++) {
            publisher.awaitCount(publisher.count() + 20, AWAIT);
            fixture.emulator.dropAllConnections();
            fixture.awaitSubscribed(pairs);
        }
        publisher.awaitCount(publisher.count() + 20, AWAIT);
        List<String> ids = publisher.stop();

        DeliveryTally.await(fixture, connector, ids, AWAIT).assertNoLossNoDuplicates(60);
        assertEquals(subscribesBefore + 2 * pairs.size(), fixture.emulator.subscribeCommandCount(),
                "every pair subscribed again after each drop, and only once");
        assertEquals(2, metrics.counter("ReconnectsByCause", "connection_lost"));
        assertTrue(metrics.flag("Connected"));
    }

    @Test
    void honoursRetryAfterWhenTheHandshakeIsRefusedWith429() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "throttled1");
        startConnector("it-429", pairs, Map.of());
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        int handshakes = fixture.emulator.handshakeCount();
        int refusedBefore = fixture.emulator.refusedHandshakeCount();

        fixture.emulator.refuseHandshakes(429, 3, 1);
        long dropped = System.nanoTime();
        fixture.emulator.dropAllConnections();
        assertTrue(await(() -> !metrics.flag("Connected")
                && "PENDING".equals(metrics.subscriptionState(TOPIC, "throttled1"))),
                "while disconnected, the task must not show itself connected or the pair subscribed");
        fixture.awaitSubscribed(pairs);
        long waitedMs = (System.nanoTime() - dropped) / 1_000_000;

        assertEquals(refusedBefore + 1, fixture.emulator.refusedHandshakeCount());
        assertEquals(handshakes + 2, fixture.emulator.handshakeCount(), "one refused attempt, then one accepted");
        assertTrue(waitedMs >= 3000, "reconnected " + waitedMs + " ms after the drop, before Retry-After: 3 s");
        assertEquals(1, metrics.counter("ReconnectsByCause", "handshake_refused"));
        assertDelivers(pairs);
    }

    @Test
    void backsOffWhileTheHandshakeIsRefusedWith502() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "draining1", "draining2");
        startConnector("it-502", pairs, Map.of());
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        int refusedBefore = fixture.emulator.refusedHandshakeCount();

        fixture.emulator.refuseHandshakes(502, null, 4);
        fixture.emulator.dropAllConnections();
        fixture.awaitSubscribed(pairs);

        assertEquals(refusedBefore + 4, fixture.emulator.refusedHandshakeCount());
        assertEquals(4, metrics.counter("ReconnectsByCause", "handshake_refused"));
        assertDelivers(pairs);
    }

    @Test
    void resumesWithTheReconnectTokenWithoutSubscribingAgainAndLosesNothing() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "resume1", "resume2");
        startConnector("it-resume", pairs, Map.of());
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        int subscribesBefore = fixture.emulator.subscribeCommandCount();
        int restoredBefore = fixture.emulator.restoredReconnectCount();

        Publisher publisher = Publisher.start(fixture.emulator, pairs, 10);
        publisher.awaitCount(50, AWAIT);
        fixture.emulator.sendReconnectToAll();
        assertTrue(await(() -> fixture.emulator.restoredReconnectCount() == restoredBefore + 1),
                "the task did not come back with its reconnect token");
        publisher.awaitCount(publisher.count() + 50, AWAIT);
        List<String> ids = publisher.stop();

        DeliveryTally.await(fixture, connector, ids, AWAIT).assertNoLossNoDuplicates(100);
        assertEquals(subscribesBefore, fixture.emulator.subscribeCommandCount(), "subscribed again after a resume");
        assertTrue(fixture.emulator.handshakePaths().get(fixture.emulator.handshakePaths().size() - 1)
                .contains("reconnect_token="));
        assertEquals(1, metrics.counter("ReconnectsByCause", "server_reconnect"));
    }

    @Test
    void subscribesAfreshWhenTheResumedConnectionIsClosedAtOnce() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "stale1", "stale2");
        startConnector("it-stale-token", pairs, Map.of());
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        int subscribesBefore = fixture.emulator.subscribeCommandCount();

        fixture.emulator.setHonourReconnectTokens(false);
        Publisher publisher = Publisher.start(fixture.emulator, pairs, 20);
        publisher.awaitCount(20, AWAIT);
        fixture.emulator.sendReconnectToAll();
        assertTrue(await(() -> fixture.emulator.rejectedReconnectCount() >= 1), "no resume attempt");
        assertTrue(await(() -> fixture.emulator.subscribeCommandCount() >= subscribesBefore + pairs.size()),
                "the task did not subscribe again after its reconnect token was refused");
        fixture.awaitSubscribed(pairs);
        publisher.awaitCount(publisher.count() + 20, AWAIT);
        List<String> ids = publisher.stop();

        DeliveryTally.await(fixture, connector, ids, AWAIT).assertNoLossNoDuplicates(40);
        assertEquals(1, metrics.counter("ReconnectsByCause", "resume_refused"));
    }

    @Test
    void subscribesAfreshWhenTheResumeHandshakeIsRefused() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "refusedresume1");
        startConnector("it-refused-resume", pairs, Map.of());
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        int subscribesBefore = fixture.emulator.subscribeCommandCount();

        fixture.emulator.refuseHandshakes(502, null, 1);
        fixture.emulator.sendReconnectToAll();
        assertTrue(await(() -> fixture.emulator.subscribeCommandCount() >= subscribesBefore + pairs.size()),
                "the task did not subscribe again after its resume was refused");
        fixture.awaitSubscribed(pairs);

        assertEquals(1, metrics.counter("ReconnectsByCause", "resume_refused"));
        assertDelivers(pairs);
    }

    @Test
    void dropsAHalfOpenConnectionWithinTheLivenessTimeoutAndReconnects() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "halfopen1");
        startConnector("it-half-open", pairs, Map.of("astro.liveness.timeout.ms", "3000"));
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);

        fixture.emulator.setSilent(true);
        long silentSince = System.nanoTime();
        assertTrue(await(() -> metrics.counter("ReconnectsByCause", "liveness") >= 1),
                "the half-open connection was not noticed");
        long noticedMs = (System.nanoTime() - silentSince) / 1_000_000;
        fixture.emulator.setSilent(false);
        fixture.awaitSubscribed(pairs);

        assertTrue(noticedMs < 3000 + 10_000, "noticed after " + noticedMs + " ms");
        assertDelivers(pairs);
    }

    @Test
    void failsTheTaskNamingTheProblemWhenTheReconnectBudgetIsSpent() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        connector = "it-budget";
        Map<String, String> config = config(ConnectFixture.pairs(TOPIC, "budget1"), Map.of(
                "astro.url", "ws://127.0.0.1:" + closedPort,
                "reconnect.max.duration.ms", "4000"));
        fixture.connect.configureConnector(connector, config);
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        assertTrue(await(() -> metrics.registered() && metrics.counter("ReconnectsByCause", "connect_failed") >= 2),
                "no connection attempts");
        long attempts = metrics.counter("ReconnectsByCause", "connect_failed");

        fixture.connect.assertions().assertConnectorIsRunningAndTasksHaveFailed(connector, 1,
                "the task did not fail when its reconnect budget was spent");
        ConnectorStateInfo status = fixture.status(connector);
        String trace = status.tasks().get(0).trace();
        assertTrue(trace.contains("reconnect.max.duration.ms=4000"), trace);
        assertTrue(trace.contains("ws://127.0.0.1:" + closedPort), trace);
        assertTrue(trace.contains("Connection refused"), trace);
        assertFalse(trace.contains(ConnectFixture.TOKEN), "the trace must not contain the token");
        assertTrue(attempts < 30, attempts + " attempts in about 2 s: the task does not back off");
    }

    private void startConnector(String name, List<String[]> pairs, Map<String, String> overrides)
            throws InterruptedException {
        connector = name;
        fixture.startConnector(name, config(pairs, overrides), 1, pairs);
    }

    /** Short timeouts, and a Kafka topic of the connector's own so that tests cannot see each other's records. */
    private Map<String, String> config(List<String[]> pairs, Map<String, String> overrides) {
        Map<String, String> config = fixture.connectorConfig(1, ConnectFixture.subscriptions(pairs));
        config.put("topic.name.pattern", connector);
        config.put("astro.connect.timeout.ms", "2000");
        config.put("astro.welcome.timeout.ms", "1000");
        config.put("astro.subscribe.timeout.ms", "2000");
        config.put("astro.liveness.timeout.ms", "10000");
        config.putAll(overrides);
        return config;
    }

    /** One more notification per pair, after the fault: the session is subscribed and delivering again. */
    private void assertDelivers(List<String[]> pairs) {
        DeliveryTally.assertDeliversOneMorePerPair(fixture, connector, pairs, AWAIT);
    }

    private static boolean await(BooleanSupplier condition) {
        return ConnectFixture.eventually(condition, AWAIT);
    }
}
