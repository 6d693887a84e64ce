package io.github.kafkaconnectastro.integration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.github.kafkaconnectastro.integration.ConnectFixture.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway refuses subscriptions (rate limits, transient and permanent errors) and sends frames a client must
 * survive; the task subscribes what it can, says what it could not, and every good notification reaches Kafka once.
 */
class SubscriptionFaultsIT {

    private static final String TOPIC = "channel.activities";

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1)
            .topicPerConnector()
            .connectorDefaults(Map.of("astro.welcome.timeout.ms", "1000", "astro.subscribe.timeout.ms", "5000"));

    @Test
    void subscribesHundredsOfPairsWithoutOneRateLimitRefusal() throws Exception {
        List<String[]> pairs = manyPairs("paced", 150);
        fixture.emulator.setRateLimit(true);
        int refusedBefore = fixture.emulator.rateLimitedCount();
        // The gateway's bucket holds 100 and refills 10 per second: a burst of 90 then one per 100 ms stays under.
        String connector = "it-paced";
        fixture.startConnector(connector, pairs, Map.of("astro.command.burst", "90", "astro.command.interval.ms", "100"));

        assertEquals(refusedBefore, fixture.emulator.rateLimitedCount(), "commands refused for the rate limit");
        assertEquals(0, new TaskMetricsProbe(connector, 0).number("RateLimitResponses"));
        assertDelivers(connector, pairs);
    }

    @Test
    void backsOffAndSubscribesEveryPairWhenCommandsAreSentTooFast() throws Exception {
        List<String[]> pairs = manyPairs("hasty", 150);
        fixture.emulator.setRateLimit(true);
        int refusedBefore = fixture.emulator.rateLimitedCount();
        String connector = "it-hasty";
        fixture.startConnector(connector, pairs, Map.of("astro.command.burst", "100", "astro.command.interval.ms", "20"));

        int refused = fixture.emulator.rateLimitedCount() - refusedBefore;
        assertTrue(refused > 0, "the test should provoke rate-limit refusals");
        assertEquals(refused, new TaskMetricsProbe(connector, 0).number("RateLimitResponses"));
        assertDelivers(connector, pairs);
    }

    @Test
    void retriesRateLimitedInternalErrorAndDeadlineExceededSubscribes() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "limited1", "internal1", "deadline1", "fine1");
        fixture.emulator.failNextSubscribes(TOPIC, "limited1", "rate_limit_exceeded", 2);
        fixture.emulator.failNextSubscribes(TOPIC, "internal1", "err_internal_error", 2);
        fixture.emulator.failNextSubscribes(TOPIC, "deadline1", "err_deadline_exceeded", 1);
        String connector = "it-transient";
        fixture.startConnector(connector, pairs, Map.of());

        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        // The emulator counts a subscription before its answer reaches the task.
        assertTrue(await(() -> metrics.number("ActiveSubscriptions") == 4), "not every pair is active");
        assertEquals(2, metrics.number("RateLimitResponses"));
        assertEquals(2, metrics.counter("SubscribeErrorsByCode", "err_internal_error"));
        assertEquals(1, metrics.counter("SubscribeErrorsByCode", "err_deadline_exceeded"));
        assertDelivers(connector, pairs);
    }

    @Test
    void skipPolicyKeepsTheOtherPairsFlowingAndShowsTheFailedOne() throws Exception {
        List<String[]> good = ConnectFixture.pairs(TOPIC, "skipok1", "skipok2");
        List<String[]> all = new ArrayList<>(good);
        all.add(new String[] {TOPIC, "skipbad1"});
        fixture.emulator.failSubscriptions(TOPIC, "skipbad1", "err_bad_request");
        String connector = "it-skip";
        fixture.configureConnector(connector, all, Map.of("astro.subscription.error.policy", "skip"));
        fixture.awaitSubscribed(good);
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        assertTrue(await(() -> metrics.number("FailedSubscriptions") == 1
                && metrics.number("ActiveSubscriptions") == 2), "the refused pair is not shown");

        assertEquals("FAILED", metrics.subscriptionState(TOPIC, "skipbad1"));
        assertEquals("err_bad_request", metrics.subscriptionErrorCode(TOPIC, "skipbad1"));
        assertEquals("ACTIVE", metrics.subscriptionState(TOPIC, "skipok1"));
        fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 1, "not running");
        assertDelivers(connector, good);

        int subscribesBefore = fixture.emulator.subscribeCommandCount();
        fixture.emulator.dropAllConnections();
        fixture.awaitSubscribed(good);
        assertEquals(subscribesBefore + good.size(), fixture.emulator.subscribeCommandCount(),
                "a skipped pair is not subscribed again after a reconnect");
        assertDelivers(connector, good);
    }

    @Test
    void failPolicyFailsTheTaskNamingThePairAndTheCode() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "failok1", "failbad1");
        fixture.emulator.failSubscriptions(TOPIC, "failbad1", "err_bad_request");
        String connector = "it-fail";
        fixture.configureConnector(connector, pairs, Map.of());

        fixture.connect.assertions().assertConnectorIsRunningAndTasksHaveFailed(connector, 1, "task did not fail");
        String trace = fixture.status(connector).tasks().get(0).trace();
        assertTrue(trace.contains(TOPIC + ":failbad1"), trace);
        assertTrue(trace.contains("err_bad_request"), trace);
        assertTrue(trace.contains("astro.subscription.error.policy"), trace);
        assertFalse(trace.contains(ConnectFixture.TOKEN), "the trace must not contain the token");
    }

    @Test
    void countsAndSkipsBadFramesWhileGoodNotificationsGoOn() throws Exception {
        String room = "frames1";
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, room);
        String connector = "it-frames";
        fixture.startConnector(connector, pairs, Map.of("astro.frame.max.bytes", "2048",
                "astro.json.max.nesting.depth", "8"));
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        List<String> good = new ArrayList<>();
        good.add(publish(room));

        fixture.emulator.sendRawToAll("{\"id\":\"01J5\",\"type\":\"message\",");
        good.add(publish(room));
        fixture.emulator.sendBinaryToAll("{\"type\":\"message\"}".getBytes(StandardCharsets.UTF_8));
        good.add(publish(room));
        fixture.emulator.sendRawToAll("{\"id\":\"01J5X\",\"type\":\"announcement\",\"data\":{}}");
        good.add(publish(room));
        fixture.emulator.sendRawToAll("{\"ts\":\"2026-03-19T12:00:00Z\",\"type\":\"message\",\"topic\":\"" + TOPIC
                + "\",\"room\":\"" + room + "\",\"data\":{\"type\":\"follow\"}}");
        good.add(publish(room));
        String oversized = "01J5OVERSIZED0000000000000";
        fixture.emulator.sendRawToAll(notification(oversized, room, "x".repeat(3000)));
        good.add(publish(room));
        fixture.emulator.sendRawToAll(notification("01J5DEEP", room, "{\"a\":".repeat(20) + "1" + "}".repeat(20)));
        good.add(publish(room));
        fixture.emulator.sendRawToAll(notification("01J5OTHERROOM", "someoneelse", "\"hi\""));
        good.add(publish(room));

        DeliveryTally.await(fixture, connector, good, AWAIT).assertNoLossNoDuplicates(good.size());
        Map<String, Long> kinds = metrics.counters("MalformedFramesByKind");
        assertEquals(Map.of("invalid_json", 1L, "binary", 1L, "unknown_type", 1L, "missing_field", 1L,
                "too_large", 1L, "too_deep", 1L, "unsubscribed", 1L), kinds);
        assertEquals(0, metrics.counters("ReconnectsByCause").size(), "the session survived every bad frame");
    }

    @Test
    void dropsAConnectionThatSendsAFrameOverTheHardCeilingAndComesBack() throws Exception {
        String room = "huge1";
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, room);
        String connector = "it-huge";
        fixture.startConnector(connector, pairs, Map.of("astro.frame.max.bytes", "2048"));
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);
        int handshakes = fixture.emulator.handshakeCount();

        fixture.emulator.sendRawToAll(notification("01J5HUGE", room, "\"" + "x".repeat(20_000) + "\""));
        assertTrue(await(() -> fixture.emulator.handshakeCount() > handshakes), "the task did not reconnect");
        fixture.awaitSubscribed(pairs);

        assertEquals(1, metrics.counter("MalformedFramesByKind", "too_large"));
        assertEquals(1, metrics.counter("ReconnectsByCause", "frame_too_large"));
        assertDelivers(connector, pairs);
    }

    private String publish(String room) {
        return fixture.emulator.publish(TOPIC, room, "{\"type\":\"follow\"}");
    }

    private static String notification(String id, String room, String data) {
        return "{\"id\":\"" + id + "\",\"ts\":\"2026-03-19T12:00:00Z\",\"type\":\"message\",\"topic\":\"" + TOPIC
                + "\",\"room\":\"" + room + "\",\"data\":" + (data.startsWith("x") ? "\"" + data + "\"" : data) + "}";
    }

    private static List<String[]> manyPairs(String prefix, int count) {
        String[] rooms = new String[count];
        for (int i = 0; i < count; i++) {
            rooms[i] = String.format("%s%03d", prefix, i);
        }
        return ConnectFixture.pairs(TOPIC, rooms);
    }

    /** One more notification per pair: every pair is subscribed and delivering. */
    private static void assertDelivers(String connector, List<String[]> pairs) {
        DeliveryTally.assertDeliversOneMorePerPair(fixture, connector, pairs, AWAIT);
    }

    private static boolean await(BooleanSupplier condition) {
        return ConnectFixture.eventually(condition, AWAIT);
    }
}
