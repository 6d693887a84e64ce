package io.github.kafkaconnectastro.integration;

import io.github.kafkaconnectastro.records.NotificationRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.github.kafkaconnectastro.integration.ConnectFixture.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gaps repaired from the (emulated) REST API, on a real broker and workers, while activities and tips are published
 * at 100 notifications a second (50 per pair): every event published, including those published while the pair was
 * not subscribed, reaches Kafka exactly once by its event id, the missed ones with header astro.source=rest.
 *
 * <p>Shortened to keep the suite quick on shared machines: the connector is stopped for 20 s rather than the
 * issue's 60 s (the repair reads the whole stop either way; only the page count grows), and "killing" the task's
 * worker is EmbeddedConnectCluster's removeWorker, which stops it (its buffered notifications are dropped unwritten,
 * as on a crash; the repair brings them back).
 */
class GapRepairIT {

    /** One notification every 10 ms over the two pairs: 100 a second. */
    private static final long PUBLISH_INTERVAL_MS = 10;

    /** Short timeouts and a short repair margin, so that a gap is repaired within seconds. */
    static final Map<String, String> QUICK_REPAIR = Map.of(
            "astro.welcome.timeout.ms", "1000",
            "astro.subscribe.timeout.ms", "2000",
            "astro.backfill.margin.ms", "2000",
            "astro.backfill.request.interval.ms", "50");

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(2)
            .topicPerConnector()
            .connectorDefaults(QUICK_REPAIR);

    private static List<String[]> pairs(String room) {
        return List.of(new String[] {"channel.activities", room}, new String[] {"channel.tips", room});
    }

    @Test
    void aSocketCutForTenSecondsIsRepaired() throws Exception {
        String room = "a1a1a1a1a1a1a1a1a1a1a1a1";
        String connector = "it-gap-cut";
        fixture.startConnector(connector, pairs(room), Map.of());
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);

        // The gateway refuses the reconnect with Retry-After: 10, so the pairs stay unsubscribed for about 10 s.
        List<String> events = publishThroughACut(room, 11, 300, 10, () -> { });

        Map<String, Integer> sources = assertEveryEventOnce(connector, events);
        assertTrue(sources.getOrDefault(NotificationRecords.SOURCE_REST, 0) >= 500,
                "about ten seconds of events are repaired: " + sources);
        for (String[] pair : pairs(room)) {
            assertEquals(1, metrics.subscriptionNumber(pair[0], room, "Gaps"), pair[0]);
            assertTrue(metrics.subscriptionNumber(pair[0], room, "GapSecondsTotal") >= 9, pair[0]);
            assertTrue(ConnectFixture.eventually(() -> metrics.subscriptionNumber(pair[0], room, "RepairedGaps") == 1,
                    AWAIT), pair[0]);
        }
    }

    @Test
    void aConnectorStoppedAndResumedRepairsWhatWasPublishedMeanwhile() throws Exception {
        String room = "b2b2b2b2b2b2b2b2b2b2b2b2";
        String connector = "it-gap-stop";
        fixture.startConnector(connector, pairs(room), Map.of());

        Publisher publisher = Publisher.startEvents(fixture.emulator, pairs(room), PUBLISH_INTERVAL_MS, 12);
        publisher.awaitCount(300, AWAIT);
        fixture.connect.stopConnector(connector);
        fixture.connect.assertions().assertConnectorIsStopped(connector, "not stopped");
        Thread.sleep(20_000);
        fixture.connect.resumeConnector(connector);
        fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 1, "not resumed");
        fixture.awaitSubscribed(pairs(room));
        publisher.awaitCount(publisher.count() + 300, AWAIT);
        List<String> events = stop(publisher);

        Map<String, Integer> sources = assertEveryEventOnce(connector, events);
        assertTrue(sources.getOrDefault(NotificationRecords.SOURCE_REST, 0) >= 1_500,
                "about twenty seconds of events are repaired: " + sources);
    }

    @Test
    void theTaskMovesWhenItsWorkerGoesAndRepairsTheHandOver() throws Exception {
        String room = "c3c3c3c3c3c3c3c3c3c3c3c3";
        String connector = "it-gap-worker";
        fixture.startConnector(connector, pairs(room), Map.of());
        String worker = fixture.status(connector).tasks().get(0).workerId();

        Publisher publisher = Publisher.startEvents(fixture.emulator, pairs(room), PUBLISH_INTERVAL_MS, 13);
        publisher.awaitCount(300, AWAIT);
        fixture.connect.removeWorker(fixture.worker(worker));
        try {
            assertTrue(ConnectFixture.eventually(() -> runningElsewhere(connector, worker), AWAIT),
                    "the task did not move to the other worker");
            fixture.awaitSubscribed(pairs(room));
            publisher.awaitCount(publisher.count() + 300, AWAIT);
            List<String> events = stop(publisher);

            Map<String, Integer> sources = assertEveryEventOnce(connector, events);
            assertTrue(sources.getOrDefault(NotificationRecords.SOURCE_REST, 0) > 0,
                    "the hand-over is repaired: " + sources);
        } finally {
            publisher.close();
            fixture.connect.addWorker();
        }
    }

    @Test
    void aRestApiAnswering429TwiceIsRetriedAndTheGapRepaired() throws Exception {
        String room = "d4d4d4d4d4d4d4d4d4d4d4d4";
        String connector = "it-gap-429";
        fixture.startConnector(connector, pairs(room), Map.of());
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);

        List<String> events = publishThroughACut(room, 14, 200, 3, () -> fixture.rest.failNext(429, 2, 1));

        Map<String, Integer> sources = assertEveryEventOnce(connector, events);
        assertTrue(sources.getOrDefault(NotificationRecords.SOURCE_REST, 0) > 0, "repaired: " + sources);
        assertEquals(2, metrics.counter("RestErrorsByStatus", "429"));
        assertTrue(ConnectFixture.eventually(() -> metrics.subscriptionNumber("channel.activities", room,
                "RepairedGaps") + metrics.subscriptionNumber("channel.tips", room, "RepairedGaps") == 2, AWAIT));
    }

    /**
     * Publishes events on the room's pairs, cuts the socket once {@code before} are out (the gateway refusing the
     * reconnect for {@code refuseSeconds}, after {@code beforeCut} has run), waits until the pairs are subscribed
     * again and 300 more events are out, and stops.
     *
     * @return every event id published
     */
    private static List<String> publishThroughACut(String room, long seed, int before, int refuseSeconds,
                                                   Runnable beforeCut) throws Exception {
        Publisher publisher = Publisher.startEvents(fixture.emulator, pairs(room), PUBLISH_INTERVAL_MS, seed);
        publisher.awaitCount(before, AWAIT);
        beforeCut.run();
        fixture.emulator.refuseHandshakes(429, refuseSeconds, 1);
        fixture.emulator.dropAllConnections();
        fixture.awaitSubscribed(pairs(room));
        publisher.awaitCount(publisher.count() + 300, AWAIT);
        return stop(publisher);
    }

    /** Stops publishing; returns every event id published. */
    private static List<String> stop(Publisher publisher) {
        publisher.stop();
        return publisher.eventIds();
    }

    private static Map<String, Integer> assertEveryEventOnce(String topic, List<String> events) {
        return DeliveryTally.assertEveryEventOnce(fixture, topic, events);
    }

    private static boolean runningElsewhere(String connector, String oldWorker) {
        try {
            var tasks = fixture.status(connector).tasks();
            return tasks.size() == 1 && "RUNNING".equals(tasks.get(0).state())
                    && !oldWorker.equals(tasks.get(0).workerId());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
