package io.github.kafkaconnectastro.integration;

import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.github.kafkaconnectastro.integration.ConnectFixture.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection to the gateway breaks in every way the issue lists, while notifications are flowing; the task
 * recovers by itself, and everything the gateway wrote to a healthy subscribed connection reaches Kafka once.
 */
class ConnectionFaultsIT {

    private static final String TOPIC = "channel.activities";

    /** Short timeouts, so that every fault is noticed and recovered from within seconds. */
    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1)
            .topicPerConnector()
            .connectorDefaults(Map.of(
                    "astro.connect.timeout.ms", "2000",
                    "astro.welcome.timeout.ms", "1000",
                    "astro.subscribe.timeout.ms", "2000",
                    "astro.liveness.timeout.ms", "10000"));

    @Test
    void reconnectsWithBackoffAndSubscribesEveryPairAgainAfterAnAbruptDisconnect() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "drop1", "drop2", "drop3");
        String connector = "it-drop";
        fixture.startConnector(connector, pairs, Map.of());
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
        String connector = "it-429";
        fixture.startConnector(connector, pairs, Map.of());
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
        assertDelivers(connector, pairs);
    }

    @Test
    void backsOffWhileTheHandshakeIsRefusedWith502() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "draining1", "draining2");
        String connector = "it-502";
        fixture.startConnector(connector, pairs, Map.of());
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        int refusedBefore = fixture.emulator.refusedHandshakeCount();

        fixture.emulator.refuseHandshakes(502, null, 4);
        fixture.emulator.dropAllConnections();
        fixture.awaitSubscribed(pairs);

        assertEquals(refusedBefore + 4, fixture.emulator.refusedHandshakeCount());
        assertEquals(4, metrics.counter("ReconnectsByCause", "handshake_refused"));
        assertDelivers(connector, pairs);
    }

    @Test
    void resumesWithTheReconnectTokenWithoutSubscribingAgainAndLosesNothing() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "resume1", "resume2");
        String connector = "it-resume";
        fixture.startConnector(connector, pairs, Map.of());
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
    void aGatewayThatDrainsBeforeClosingCostsNoNotificationOnReconnect() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "drain1", "drain2");
        String connector = "it-drain";
        fixture.startConnector(connector, pairs, Map.of());
        int restoredBefore = fixture.emulator.restoredReconnectCount();

        fixture.emulator.setReconnectDrain(Duration.ofSeconds(1));
        Publisher publisher = Publisher.start(fixture.emulator, pairs, 5);
        publisher.awaitCount(200, AWAIT);
        fixture.emulator.sendReconnectToAll();
        assertTrue(await(() -> fixture.emulator.restoredReconnectCount() == restoredBefore + 1),
                "the task did not come back with its reconnect token");
        // Both connections were open at once: the old one still delivering, the new one restored.
        assertTrue(await(() -> fixture.emulator.connectionCount() == 1), "the drained connection was not closed");
        publisher.awaitCount(publisher.count() + 200, AWAIT);
        List<String> ids = publisher.stop();

        DeliveryTally.await(fixture, connector, ids, AWAIT).assertNoLossNoDuplicates(400);
    }

    @Test
    void subscribesAfreshWhenTheResumedConnectionIsClosedAtOnce() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "stale1", "stale2");
        String connector = "it-stale-token";
        fixture.startConnector(connector, pairs, Map.of());
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
        String connector = "it-refused-resume";
        fixture.startConnector(connector, pairs, Map.of());
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        int subscribesBefore = fixture.emulator.subscribeCommandCount();

        fixture.emulator.refuseHandshakes(502, null, 1);
        fixture.emulator.sendReconnectToAll();
        assertTrue(await(() -> fixture.emulator.subscribeCommandCount() >= subscribesBefore + pairs.size()),
                "the task did not subscribe again after its resume was refused");
        fixture.awaitSubscribed(pairs);

        assertEquals(1, metrics.counter("ReconnectsByCause", "resume_refused"));
        assertDelivers(connector, pairs);
    }

    @Test
    void dropsAHalfOpenConnectionWithinTheLivenessTimeoutAndReconnects() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "halfopen1");
        String connector = "it-half-open";
        fixture.startConnector(connector, pairs, Map.of("astro.liveness.timeout.ms", "3000"));
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);

        fixture.emulator.setSilent(true);
        long silentSince = System.nanoTime();
        assertTrue(await(() -> metrics.counter("ReconnectsByCause", "liveness") >= 1),
                "the half-open connection was not noticed");
        long noticedMs = (System.nanoTime() - silentSince) / 1_000_000;
        fixture.emulator.setSilent(false);
        fixture.awaitSubscribed(pairs);

        assertTrue(noticedMs < 3000 + 10_000, "noticed after " + noticedMs + " ms");
        assertDelivers(connector, pairs);
    }

    @Test
    void failsTheTaskNamingTheProblemWhenTheReconnectBudgetIsSpent() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String connector = "it-budget";
        fixture.configureConnector(connector, ConnectFixture.pairs(TOPIC, "budget1"), Map.of(
                "astro.url", "ws://127.0.0.1:" + closedPort,
                "reconnect.max.duration.ms", "4000"));
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

    /** One more notification per pair, after the fault: the session is subscribed and delivering again. */
    private static void assertDelivers(String connector, List<String[]> pairs) {
        DeliveryTally.assertDeliversOneMorePerPair(fixture, connector, pairs, AWAIT);
    }

    private static boolean await(BooleanSupplier condition) {
        return ConnectFixture.eventually(condition, AWAIT);
    }
}
