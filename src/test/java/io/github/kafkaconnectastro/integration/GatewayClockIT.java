package io.github.kafkaconnectastro.integration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kafkaconnectastro.emulator.ActivityGenerator;
import io.github.kafkaconnectastro.emulator.Ulid;
import io.github.kafkaconnectastro.records.NotificationRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.github.kafkaconnectastro.integration.ConnectFixture.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway node whose clock is wrong (issue 20, item 3), on a real broker and worker: among ordinary activities and
 * tips, one of each stamped in the year 9000 (envelope id, {@code ts} and {@code createdAt}) and one of each whose
 * {@code createdAt} no timestamp can hold ({@code +999999999-12-31T23:59:59Z}, with an ordinary envelope id and
 * {@code ts}). Once those are written and committed, the connector is stopped, more events are published, and it is
 * resumed. Every ordinary event reaches Kafka exactly once by its event id, those published while it was stopped
 * repaired from the REST API; the far-ahead notifications are written once, a record stamped in the year 9000 with
 * the time it arrived (header {@code astro.timestamp=arrival}); and neither the connector nor its task is ever FAILED.
 */
class GatewayClockIT {

    private static final Instant YEAR_9000 = Instant.parse("9000-01-01T00:00:00Z");
    private static final String BEYOND_MILLIS = "+999999999-12-31T23:59:59Z";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1)
            .topicPerConnector()
            .connectorDefaults(GapRepairIT.QUICK_REPAIR);

    @Test
    void notificationsStampedFarAheadAreWrittenAndPoisonNeitherDedupNorRepair() throws Exception {
        String room = "e5e5e5e5e5e5e5e5e5e5e5e5";
        String connector = "it-clock";
        List<String[]> pairs = List.of(new String[] {"channel.activities", room}, new String[] {"channel.tips", room});
        ActivityGenerator generator = new ActivityGenerator(20);
        List<String> ordinary = new ArrayList<>();
        List<String> year9000 = new ArrayList<>();
        List<String> beyondMillis = new ArrayList<>();
        long startMs = System.currentTimeMillis();
        try (FailureWatch watch = new FailureWatch(fixture, connector)) {
            fixture.startConnector(connector, pairs, Map.of());
            TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);

            publishOrdinary(generator, pairs, 10, ordinary);
            Ulid farAhead = new Ulid(YEAR_9000::toEpochMilli, new Random(9000));
            for (String[] pair : pairs) {
                String id = farAhead.next();
                fixture.emulator.publishWithId(id, YEAR_9000, pair[0], pair[1],
                        withCreatedAt(generator.next(pair[0], pair[1]), YEAR_9000.toString()));
                year9000.add(id);
                beyondMillis.add(fixture.emulator.publish(pair[0], pair[1],
                        withCreatedAt(generator.next(pair[0], pair[1]), BEYOND_MILLIS)));
            }
            Map<String, String> lastIds = publishOrdinary(generator, pairs, 10, ordinary);

            Set<String> expected = new HashSet<>(ordinary);
            expected.addAll(year9000);
            expected.addAll(beyondMillis);
            fixture.consumeUntil(AWAIT, read -> written(read).keySet().containsAll(expected), connector);
            // Each pair's offset holds its last ordinary id, not one from the year 9000.
            ConnectFixture.await(() -> lastIds.entrySet().stream().allMatch(e ->
                    e.getValue().equals(fixture.committedId(connector, e.getKey(), room))),
                    "the offsets of " + connector + " committed up to " + lastIds);
            assertEquals(2, metrics.number("NotificationsAheadOfClock"));

            fixture.connect.stopConnector(connector);
            fixture.connect.assertions().assertConnectorIsStopped(connector, "not stopped");
            for (String[] pair : pairs) {
                assertTrue(fixture.emulator.awaitNoSubscribers(pair[0], room, AWAIT), "still subscribed: " + pair[0]);
            }
            List<String> whileStopped = new ArrayList<>();
            publishOrdinary(generator, pairs, 10, whileStopped);
            ordinary.addAll(whileStopped);
            fixture.connect.resumeConnector(connector);
            fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 1, "not resumed");
            fixture.awaitSubscribed(pairs);
            publishOrdinary(generator, pairs, 10, ordinary);

            expected.addAll(ordinary);
            List<ConsumerRecord<byte[], byte[]>> records = fixture.consumeUntil(Duration.ofSeconds(45),
                    read -> written(read).keySet().containsAll(expected), Duration.ofSeconds(3), connector);
            long endMs = System.currentTimeMillis();

            Map<String, Integer> counts = written(records);
            List<String> missing = expected.stream().filter(id -> !counts.containsKey(id)).sorted().toList();
            List<String> twice = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .sorted().toList();
            assertEquals(List.of(), missing, "missing from Kafka (" + ordinary.size() + " ordinary events)");
            assertEquals(List.of(), twice, "written more than once");
            for (ConsumerRecord<byte[], byte[]> record : records) {
                String eventId = ConnectFixture.header(record, NotificationRecords.HEADER_EVENT_ID);
                if (whileStopped.contains(eventId)) {
                    assertEquals(NotificationRecords.SOURCE_REST,
                            ConnectFixture.header(record, NotificationRecords.HEADER_SOURCE), eventId);
                }
                if (year9000.contains(ConnectFixture.id(record))) {
                    assertEquals(NotificationRecords.TIMESTAMP_ARRIVAL,
                            ConnectFixture.header(record, NotificationRecords.HEADER_TIMESTAMP));
                    assertTrue(record.timestamp() >= startMs && record.timestamp() <= endMs,
                            "a year-9000 record's timestamp is its arrival: " + Instant.ofEpochMilli(record.timestamp()));
                }
            }

            assertEquals(Set.of(), watch.failedStates(), "a task or the connector was FAILED");
            ConnectorStateInfo status = fixture.status(connector);
            assertEquals("RUNNING", status.connector().state());
            assertEquals(List.of("RUNNING"), status.tasks().stream().map(ConnectorStateInfo.TaskState::state).toList(),
                    "task states");
        }
    }

    /**
     * Publishes {@code perPair} of the generator's events to each pair, alternating, adding their event ids to
     * {@code eventIds}.
     *
     * @return the last envelope id published on each Astro topic
     */
    private static Map<String, String> publishOrdinary(ActivityGenerator generator, List<String[]> pairs, int perPair,
                                                       List<String> eventIds) {
        Map<String, String> last = new HashMap<>();
        for (int i = 0; i < perPair; i++) {
            for (String[] pair : pairs) {
                String payload = generator.next(pair[0], pair[1]);
                last.put(pair[0], fixture.emulator.publish(pair[0], pair[1], payload));
                eventIds.add(ConnectFixture.eventIdOf(payload));
            }
        }
        return last;
    }

    /** The generator's payload with its {@code createdAt} replaced. */
    private static String withCreatedAt(String payload, String createdAt) {
        try {
            ObjectNode data = (ObjectNode) JSON.readTree(payload);
            return JSON.writeValueAsString(data.put("createdAt", createdAt));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * How many times each id is in the records: by event id ({@code data._id}) and, for a live record, also by its
     * envelope id, by which the far-ahead notifications are found.
     */
    private static Map<String, Integer> written(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            // A repaired record's id is its event id: no envelope came with it.
            String id = ConnectFixture.id(record);
            String eventId = ConnectFixture.header(record, NotificationRecords.HEADER_EVENT_ID);
            counts.merge(id, 1, Integer::sum);
            if (eventId != null && !eventId.equals(id)) {
                counts.merge(eventId, 1, Integer::sum);
            }
        }
        return counts;
    }
}
