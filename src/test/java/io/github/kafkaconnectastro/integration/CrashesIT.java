package io.github.kafkaconnectastro.integration;

import io.github.kafkaconnectastro.records.NotificationRecords;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import static io.github.kafkaconnectastro.integration.ConnectFixture.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crashes and a dead broker, with exactly-once source support, while activities, tips and chat messages are
 * published at a steady rate: a worker killed with SIGKILL (a worker in a JVM of its own), and the only broker
 * stopped for 20 s and started again. Every activity and tip reaches Kafka exactly once by its event id, read with
 * read_committed, live or repaired from the REST API, including what the killed worker had received and not
 * written; chat (which the REST API cannot repair) is measured, and nothing of it is written twice.
 */
class CrashesIT {

    private static final Duration BROKER_OUTAGE = Duration.ofSeconds(20);
    private static final Duration RECOVERY = Duration.ofSeconds(120);
    /** How long after the broker is back the tasks may take before the test looks for hanging transactions. */
    private static final Duration HANG_SUSPECTED = Duration.ofSeconds(15);
    private static final String OFFSETS_TOPIC = "astro-crashes-offsets";
    /** Events: one every 20 ms over the four activity and tip pairs, 50 a second. Chat: every 50 ms, 20 a second. */
    private static final long EVENT_INTERVAL_MS = 20;
    private static final long CHAT_INTERVAL_MS = 50;
    /** Events published before a fault, and after it once every pair is subscribed again: two seconds' worth. */
    private static final int EVENTS_EACH_SIDE = 100;
    private static final String CHAT = "channel.chat.message";
    private static final List<String> ROOMS = List.of("e1e1e1e1e1e1e1e1e1e1e1e1", "f2f2f2f2f2f2f2f2f2f2f2f2");
    private static final Path LOGS = Path.of(System.getProperty("project.basedir", "."), "target", "crashes-it");
    /** Each task of the two gets one room's three pairs. */
    private static final List<String[]> PAIRS = List.of(
            new String[] {"channel.activities", ROOMS.get(0)}, new String[] {"channel.tips", ROOMS.get(0)},
            new String[] {CHAT, ROOMS.get(0)},
            new String[] {"channel.activities", ROOMS.get(1)}, new String[] {"channel.tips", ROOMS.get(1)},
            new String[] {CHAT, ROOMS.get(1)});
    private static final Map<String, String> EXACTLY_ONCE = Map.of(
            "exactly.once.support", "required",
            "transaction.boundary", "poll");

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1)
            .workerProperties(Map.of(
                    "exactly.once.source.support", "enabled",
                    // Named, so that a worker outside the test JVM can join the same cluster.
                    "group.id", "astro-crashes",
                    "config.storage.topic", "astro-crashes-configs",
                    "offset.storage.topic", OFFSETS_TOPIC,
                    "status.storage.topic", "astro-crashes-status",
                    // A killed worker leaves the group after the session timeout (the broker's minimum; Connect's
                    // default is 10 s), and its tasks run elsewhere at once rather than after a delay.
                    "session.timeout.ms", "6000",
                    "heartbeat.interval.ms", "1000",
                    "scheduled.rebalance.max.delay.ms", "0"))
            .brokerProperties(Map.of(
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1"))
            .topicPerConnector()
            .connectorDefaults(GapRepairIT.QUICK_REPAIR);

    @Test
    void aWorkerKilledMidStreamLosesNoActivityOrTipAndWritesNothingTwice() throws Exception {
        String connector = "it-killed";
        long starting = System.nanoTime();
        try (WorkerProcess doomed = WorkerProcess.start(fixture.workerPropertiesToJoin(), LOGS.resolve("killed.log"),
                AWAIT)) {
            long workerStartMs = msSince(starting);
            fixture.startConnector(connector, 2, PAIRS, EXACTLY_ONCE);
            assertTrue(ConnectFixture.eventually(() -> tasksRunning(connector, doomed::runs) == 1, AWAIT),
                    "no task runs on the worker process: " + fixture.status(connector).tasks());

            try (Streams streams = Streams.start(21)) {
                streams.awaitMore();
                // Mid-stream: each pair's records and offsets are committed, more keep coming.
                awaitCommitted(connector);
                int handshakes = fixture.emulator.handshakeCount();
                long killed = System.nanoTime();
                doomed.kill();

                assertTrue(ConnectFixture.eventually(() -> tasksRunning(connector, w -> !doomed.runs(w)) == 2,
                        AWAIT), "the killed worker's task does not run elsewhere: "
                        + fixture.status(connector).tasks());
                long movedMs = msSince(killed);
                streams.awaitResubscribed(handshakes);
                long resubscribedMs = msSince(killed);
                streams.awaitMore();

                Figures figures = streams.stopAndAssert(connector);
                System.out.printf("CrashesIT kill -9: worker process healthy after %d ms; task running elsewhere "
                        + "%d ms and pairs subscribed again %d ms after the kill; %s%n", workerStartMs, movedMs,
                        resubscribedMs, figures);
            }
        }
    }

    @Test
    void theOnlyBrokerDownForTwentySecondsLosesNoActivityOrTipAndTheTasksRunAgainByThemselves() throws Exception {
        String connector = "it-broker";
        fixture.startConnector(connector, 2, PAIRS, EXACTLY_ONCE);
        try (Streams streams = Streams.start(31)) {
            streams.awaitMore();
            awaitCommitted(connector);
            int handshakes = fixture.emulator.handshakeCount();

            BrokerOutage.stopBrokers(fixture.connect);
            long restarting;
            try {
                // The fault itself lasts this long; nothing is awaited here.
                Thread.sleep(BROKER_OUTAGE.toMillis());
            } finally {
                restarting = System.nanoTime();
                BrokerOutage.restartBrokers(fixture.connect);
            }
            long restartMs = msSince(restarting);
            long restarted = System.nanoTime();
            // Nobody restarts anything: the worker rejoins its group and runs its tasks again by itself. (The REST
            // status says little here: while the broker is down the worker cannot write that it stopped its tasks.)
            // Kafka may leave a hanging transaction on the offsets topic, which blocks every start of a connector or
            // task until an operator aborts it: the test does what the operator would, and says so.
            List<String> aborted = new ArrayList<>();
            try (Admin admin = fixture.connect.kafka().createAdminClient()) {
                long[] nextLook = {restarted + HANG_SUSPECTED.toNanos()};
                streams.awaitSubscribed(() -> {
                    if (aborted.isEmpty() && System.nanoTime() > nextLook[0]) {
                        aborted.addAll(abortHanging(admin));
                        nextLook[0] = System.nanoTime() + HANG_SUSPECTED.toNanos() / 3;
                    }
                });
            }
            long subscribedMs = msSince(restarting);
            int newConnections = fixture.emulator.handshakeCount() - handshakes;
            streams.awaitMore();

            // Aborting a hanging transaction takes back the offsets it held, though Kafka may have committed its
            // records: the restarted task repairs from older offsets, and may write those records' events again.
            Figures figures = streams.stopAndAssert(connector, !aborted.isEmpty());
            assertEquals(2, tasksRunning(connector, worker -> true), "not RUNNING: "
                    + fixture.status(connector).tasks());
            System.out.printf("CrashesIT broker down %d s: restarting it took %d ms, every pair subscribed again %d ms "
                    + "after the restart began, %d new gateway connections, hanging transactions aborted: %s; %s%n",
                    BROKER_OUTAGE.toSeconds(), restartMs, subscribedMs, newConnections, aborted, figures);
        }
    }

    /** Aborts the hanging transactions on the offsets topic; what was aborted, as text. */
    private static List<String> abortHanging(Admin admin) {
        try {
            List<String> aborted = HangingTransactions.abort(admin, OFFSETS_TOPIC, Duration.ofSeconds(5));
            if (!aborted.isEmpty()) {
                System.out.println("CrashesIT: Kafka left hanging transactions on " + OFFSETS_TOPIC
                        + " after the broker restart, which kept the tasks from starting; aborted " + aborted);
            }
            return aborted;
        } catch (ExecutionException e) {
            throw new AssertionError("could not look for hanging transactions", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits until every pair has a committed offset: its records and offsets are committed. */
    private static void awaitCommitted(String connector) {
        assertTrue(ConnectFixture.eventually(() -> fixture.offsets(connector).size() == PAIRS.size(), AWAIT),
                "not every pair has a committed offset");
    }

    /** How many of the connector's tasks are RUNNING on a worker {@code on} accepts; 0 while status is unreadable. */
    private static int tasksRunning(String connector, Predicate<String> on) {
        try {
            return (int) fixture.status(connector).tasks().stream()
                    .filter(task -> "RUNNING".equals(task.state()) && on.test(task.workerId()))
                    .count();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static long msSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }

    /**
     * What the streams came to: events (activities and tips) by event id, chat by notification id.
     *
     * @param events     the events published
     * @param twice      how many of them are in Kafka more than once
     * @param repaired   how many events came from the REST API (astro.source=rest)
     * @param heldLost   events the gateway delivered to a connection but that never reached Kafka as that live
     *                   notification (they came by the REST API instead)
     * @param chat       chat messages: published, delivered to a subscribed connection, written, duplicated, lost
     */
    record Figures(int events, int twice, int repaired, int heldLost, DeliveryTally chat) {
        @Override
        public String toString() {
            return String.format("events (50/s): %d published, all in Kafka, %d of them twice, %d repaired, %d "
                            + "delivered live but not written live; chat (20/s): %s, not delivered %d",
                    events, twice, repaired, heldLost, chat, chat.published() - chat.delivered());
        }
    }

    /** Activities and tips, and chat, published from their own threads. */
    private static final class Streams implements AutoCloseable {

        private final Publisher events;
        private final Publisher chat;
        /** How many chat messages were published before every pair was subscribed (again). */
        private int chatFrom;

        private Streams(Publisher events, Publisher chat) {
            this.events = events;
            this.chat = chat;
        }

        /** Stops publishing, when a test failed before {@link #stopAndAssert}. */
        @Override
        public void close() {
            events.stop();
            chat.stop();
        }

        static Streams start(long seed) {
            List<String[]> eventPairs = PAIRS.stream().filter(p -> !CHAT.equals(p[0])).toList();
            List<String[]> chatPairs = PAIRS.stream().filter(p -> CHAT.equals(p[0])).toList();
            return new Streams(Publisher.startEvents(fixture.emulator, eventPairs, EVENT_INTERVAL_MS, seed),
                    Publisher.startEvents(fixture.emulator, chatPairs, CHAT_INTERVAL_MS, seed + 1));
        }

        /** After a task moved: its new connection is open, the dead one gone, and every pair subscribed. */
        void awaitResubscribed(int handshakesBefore) {
            assertTrue(ConnectFixture.eventually(() -> fixture.emulator.handshakeCount() > handshakesBefore
                    && fixture.emulator.connectionCount() == 2, AWAIT), "the moved task did not connect");
            awaitSubscribed();
        }

        /** Waits until every pair is subscribed; chat published from here on must arrive. */
        void awaitSubscribed() {
            awaitSubscribed(() -> { });
        }

        /** Like {@link #awaitSubscribed()}, running {@code meanwhile} between the looks. */
        void awaitSubscribed(Runnable meanwhile) {
            assertTrue(ConnectFixture.eventually(() -> {
                boolean subscribed = PAIRS.stream().allMatch(p -> fixture.emulator.subscriberCount(p[0], p[1]) > 0);
                if (!subscribed) {
                    meanwhile.run();
                }
                return subscribed;
            }, RECOVERY), "not every pair is subscribed within " + RECOVERY);
            chatFrom = chat.count();
        }

        /** Waits for {@link #EVENTS_EACH_SIDE} more events, live on every pair. */
        void awaitMore() {
            events.awaitCount(events.count() + EVENTS_EACH_SIDE, AWAIT);
        }

        /**
         * Stops publishing; asserts that every event is in Kafka once by its event id, that chat published once
         * every pair was subscribed again is there, and that no chat message is there twice.
         */
        Figures stopAndAssert(String topic) {
            return stopAndAssert(topic, false);
        }

        /**
         * Like {@link #stopAndAssert(String)}; with {@code offsetsLost}, activities and tips written twice are counted
         * rather than failed: aborting a hanging transaction can take back offsets whose records Kafka committed.
         */
        Figures stopAndAssert(String topic, boolean offsetsLost) {
            List<String> eventNotifications = events.stop();
            List<String> chatIds = chat.stop();
            List<String> eventIds = events.eventIds();
            List<String> chatMustArrive = chatIds.subList(chatFrom, chatIds.size());
            List<ConsumerRecord<byte[], byte[]>> records = DeliveryTally.awaitEvents(fixture, topic, eventIds,
                    chatMustArrive);
            DeliveryTally.EventCounts counts = DeliveryTally.EventCounts.of(eventIds, records);
            assertEquals(List.of(), counts.missing(), "events missing from Kafka (" + eventIds.size()
                    + " published, sources " + counts.sources() + ")");
            if (!offsetsLost) {
                assertEquals(List.of(), counts.twice(), "events written more than once (sources " + counts.sources()
                        + ")");
            }
            DeliveryTally live = DeliveryTally.of(fixture.emulator, eventNotifications, records);
            DeliveryTally chatTally = DeliveryTally.of(fixture.emulator, chatIds, records);
            assertEquals(0, chatTally.duplicates(), "chat written twice (" + chatTally + ")");
            assertEquals(List.of(), chatTally.lost().stream().filter(chatMustArrive::contains).toList(),
                    "chat lost after every pair was subscribed again (" + chatTally + ")");
            return new Figures(eventIds.size(), counts.twice().size(),
                    counts.sources().getOrDefault(NotificationRecords.SOURCE_REST, 0), live.lost().size(), chatTally);
        }
    }
}
