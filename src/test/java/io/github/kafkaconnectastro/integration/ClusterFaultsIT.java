package io.github.kafkaconnectastro.integration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Connect cluster moves, pauses and stops the task while the gateway keeps pushing: the task resumes
 * elsewhere, and nothing already written to Kafka is written again.
 */
class ClusterFaultsIT {

    private static final String TOPIC = "channel.activities";
    private static final Duration AWAIT = Duration.ofSeconds(90);
    /** The worker runs a task again at most this long after the task's worker left the group. */
    private static final String REBALANCE_DELAY_MS = "3000";

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(3)
            .workerProperties(Map.of("scheduled.rebalance.max.delay.ms", REBALANCE_DELAY_MS))
            .topicPerConnector()
            .connectorDefaults(Map.of("astro.welcome.timeout.ms", "1000"));

    @Test
    void theTaskMovesToAnotherWorkerWhenItsWorkerStopsAndWritesNothingTwice() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "moving1", "moving2");
        String connector = "it-move";
        fixture.startConnector(connector, pairs, Map.of());
        String firstWorker = taskWorker(connector);

        Publisher publisher = Publisher.start(fixture.emulator, pairs, 25);
        publisher.awaitCount(40, AWAIT);
        // What the old task wrote must be in Kafka and its offsets committed before its worker goes.
        List<String> before = publisher.stop();
        DeliveryTally.await(fixture, connector, before, AWAIT).assertNoLossNoDuplicates(40);
        fixture.awaitCommitted(connector, before, ConnectFixture.roomsRoundRobin(pairs, before));

        publisher = Publisher.start(fixture.emulator, pairs, 25);
        publisher.awaitCount(20, AWAIT);
        long removed = System.nanoTime();
        fixture.connect.removeWorker(fixture.worker(firstWorker));
        assertTrue(await(() -> taskRunningOn(connector) != null && !firstWorker.equals(taskRunningOn(connector))),
                "the task did not move to another worker");
        fixture.awaitSubscribed(pairs);
        long movedMs = (System.nanoTime() - removed) / 1_000_000;
        int publishedWhenSubscribed = publisher.count();
        publisher.awaitCount(publishedWhenSubscribed + 40, AWAIT);
        List<String> during = publisher.stop();
        // The gateway pushes a few ids the old task wrote once more, as it may around a reconnect.
        for (String id : before.subList(before.size() - 5, before.size())) {
            String[] pair = pairs.get(before.indexOf(id) % pairs.size());
            fixture.emulator.publishWithId(id, Instant.now(), pair[0], pair[1], "{\"type\":\"again\"}");
        }
        String marker = fixture.emulator.publish(TOPIC, "moving1", "{\"type\":\"marker\"}");

        List<String> all = new ArrayList<>(before);
        all.addAll(during);
        all.add(marker);
        // Notifications the old task had received but not handed to Connect when it was stopped are lost: Connect
        // polls no more after stop, and the gateway does not replay. Those after the new subscription are not.
        List<String> afterMove = new ArrayList<>(during.subList(publishedWhenSubscribed, during.size()));
        afterMove.add(marker);
        DeliveryTally tally = DeliveryTally.await(fixture, connector, all, afterMove, AWAIT);
        assertEquals(0, tally.duplicates(), "written twice (" + tally + ")");
        assertEquals(List.of(), tally.lost().stream().filter(afterMove::contains).toList(),
                "lost after the move (" + tally + ")");
        assertTrue(tally.lost().size() <= 5, "lost around the move: " + tally);
        assertTrue(movedMs < 60_000, "the task took " + movedMs + " ms to run elsewhere");
    }

    @Test
    void pauseAndResumeLoseNothing() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "paused1");
        String connector = "it-pause";
        fixture.startConnector(connector, pairs, Map.of());
        List<String> ids = new ArrayList<>(publish(pairs, 10));
        DeliveryTally.await(fixture, connector, ids, AWAIT).assertNoLossNoDuplicates(10);

        fixture.connect.pauseConnector(connector);
        fixture.connect.assertions().assertConnectorAndExactlyNumTasksArePaused(connector, 1, "not paused");
        ids.addAll(publish(pairs, 30));
        Thread.sleep(1000);
        fixture.connect.resumeConnector(connector);
        fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 1, "not resumed");
        ids.addAll(publish(pairs, 10));

        DeliveryTally.await(fixture, connector, ids, AWAIT).assertNoLossNoDuplicates(50);
    }

    @Test
    void stopAndResumeStartAFreshSessionAndWriteNothingTwice() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "stopped1", "stopped2");
        String connector = "it-stop-resume";
        fixture.startConnector(connector, pairs, Map.of());
        List<String> first = publish(pairs, 10);
        DeliveryTally.await(fixture, connector, first, AWAIT).assertNoLossNoDuplicates(10);
        fixture.awaitCommitted(connector, first, ConnectFixture.roomsRoundRobin(pairs, first));

        fixture.connect.stopConnector(connector);
        fixture.connect.assertions().assertConnectorIsStopped(connector, "not stopped");
        assertTrue(fixture.emulator.awaitNoSubscribers(TOPIC, "stopped1", AWAIT), "the stopped task stays subscribed");
        List<String> whileStopped = publish(pairs, 4);

        fixture.connect.resumeConnector(connector);
        fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 1, "not resumed");
        fixture.awaitSubscribed(pairs);
        for (String id : first.subList(6, 10)) {
            fixture.emulator.publishWithId(id, Instant.now(), pairs.get(first.indexOf(id) % 2)[0],
                    pairs.get(first.indexOf(id) % 2)[1], "{\"type\":\"again\"}");
        }
        List<String> last = publish(pairs, 10);

        List<String> all = new ArrayList<>(first);
        all.addAll(whileStopped);
        all.addAll(last);
        DeliveryTally tally = DeliveryTally.await(fixture, connector, all, AWAIT).assertNoLossNoDuplicates(20);
        assertEquals(20, tally.written(), "nothing pushed while stopped, or pushed again, is written");
        assertTrue(whileStopped.stream().allMatch(id -> fixture.emulator.deliveredCount(id) == 0));
    }

    private List<String> publish(List<String[]> pairs, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] pair = pairs.get(i % pairs.size());
            ids.add(fixture.emulator.publish(pair[0], pair[1], "{\"type\":\"follow\",\"n\":" + i + "}"));
        }
        return ids;
    }

    /** The worker id ({@code host:port}) the task runs on; fails when it is not running. */
    private static String taskWorker(String connector) {
        String worker = taskRunningOn(connector);
        assertNotEquals(null, worker, "the task is not running");
        return worker;
    }

    /** The worker id the task runs on, or null while it is not running (or the status cannot be read). */
    private static String taskRunningOn(String connector) {
        try {
            var tasks = fixture.status(connector).tasks();
            return tasks.size() == 1 && "RUNNING".equals(tasks.get(0).state()) ? tasks.get(0).workerId() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean await(BooleanSupplier condition) {
        return ConnectFixture.eventually(condition, AWAIT);
    }
}
