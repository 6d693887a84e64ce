package io.github.kafkaconnectastro.integration;

import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.records.NotificationRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What became of a set of published notifications. "Delivered" is the emulator's word: written to a healthy,
 * subscribed connection. A delivered id missing from Kafka is lost; an id in Kafka more than once is duplicated.
 * Ids the emulator never delivered (published while no connection was subscribed) may or may not be in Kafka and
 * count as neither.
 *
 * @param published  how many ids were published
 * @param delivered  how many of them the emulator delivered at least once
 * @param written    how many distinct published ids are in Kafka
 * @param duplicates how many records in Kafka repeat an id already there
 * @param lost       the delivered ids missing from Kafka
 */
record DeliveryTally(int published, int delivered, int written, int duplicates, List<String> lost) {

    /** Counts what became of {@code ids}, given everything read from their Kafka topic. */
    static DeliveryTally of(AstroEmulator emulator, Collection<String> ids,
                            List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> published = new LinkedHashSet<>(ids);
        Map<String, Integer> inKafka = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String id = ConnectFixture.id(record);
            if (published.contains(id)) {
                inKafka.merge(id, 1, Integer::sum);
            }
        }
        int delivered = 0;
        List<String> lost = new ArrayList<>();
        for (String id : published) {
            if (emulator.deliveredCount(id) > 0) {
                delivered++;
                if (!inKafka.containsKey(id)) {
                    lost.add(id);
                }
            }
        }
        int duplicates = inKafka.values().stream().mapToInt(n -> n - 1).sum();
        return new DeliveryTally(published.size(), delivered, inKafka.size(), duplicates, lost);
    }

    /**
     * Reads {@code topic} until every delivered id of {@code ids} is there (or the timeout), then a little longer so
     * that a late duplicate would be seen too, and counts.
     */
    static DeliveryTally await(ConnectFixture fixture, String topic, Collection<String> ids, Duration timeout) {
        Set<String> delivered = new LinkedHashSet<>();
        for (String id : ids) {
            if (fixture.emulator.deliveredCount(id) > 0) {
                delivered.add(id);
            }
        }
        return await(fixture, topic, ids, delivered, timeout);
    }

    /**
     * Like {@link #await(ConnectFixture, String, Collection, Duration)}, but waits only for {@code mustArrive}: for
     * tests where some of the delivered ids may be lost by design, so that the wait does not last the whole timeout.
     */
    static DeliveryTally await(ConnectFixture fixture, String topic, Collection<String> ids,
                               Collection<String> mustArrive, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = fixture.consumeUntil(timeout,
                r -> r.stream().map(ConnectFixture::id).collect(Collectors.toSet()).containsAll(mustArrive),
                Duration.ofMillis(1500), topic);
        return of(fixture.emulator, ids, records);
    }

    /**
     * Publishes one more notification per pair and asserts each reaches {@code topic} once: after a fault, the
     * session is subscribed and delivering again.
     */
    static void assertDeliversOneMorePerPair(ConnectFixture fixture, String topic, List<String[]> pairs,
                                             Duration timeout) {
        List<String> ids = pairs.stream()
                .map(p -> fixture.emulator.publish(p[0], p[1], "{\"type\":\"follow\"}"))
                .toList();
        await(fixture, topic, ids, timeout).assertNoLossNoDuplicates(pairs.size());
    }

    /**
     * For repaired topics, where an event may come live or from the REST API: reads {@code topic} (read_committed)
     * until every event id ({@code data._id}, header astro.event.id) is there, then a little longer, and asserts each
     * is there exactly once.
     *
     * @return how many records came from each source (astro.source)
     */
    static Map<String, Integer> assertEveryEventOnce(ConnectFixture fixture, String topic, List<String> events) {
        return assertEveryEventOnce(events, awaitEvents(fixture, topic, events));
    }

    /** Reads {@code topic} until every event id is there (or 90 s), then a little longer, to see a late duplicate. */
    static List<ConsumerRecord<byte[], byte[]>> awaitEvents(ConnectFixture fixture, String topic,
                                                            Collection<String> events) {
        return awaitEvents(fixture, topic, events, List.of());
    }

    /** Like {@link #awaitEvents(ConnectFixture, String, Collection)}, waiting for the notification ids {@code ids}. */
    static List<ConsumerRecord<byte[], byte[]>> awaitEvents(ConnectFixture fixture, String topic,
                                                            Collection<String> events, Collection<String> ids) {
        Set<String> expected = new HashSet<>(events);
        Set<String> expectedIds = new HashSet<>(ids);
        return fixture.consumeUntil(Duration.ofSeconds(90), read -> eventIds(read).keySet().containsAll(expected)
                        && read.stream().map(ConnectFixture::id).collect(Collectors.toSet()).containsAll(expectedIds),
                Duration.ofSeconds(3), topic);
    }

    /**
     * Asserts that each event id is in {@code records} exactly once.
     *
     * @return how many records came from each source (astro.source)
     */
    static Map<String, Integer> assertEveryEventOnce(List<String> events,
                                                     List<ConsumerRecord<byte[], byte[]>> records) {
        EventCounts counts = EventCounts.of(events, records);
        assertEquals(List.of(), counts.missing(), "events missing from Kafka (" + events.size() + " published, sources "
                + counts.sources() + ")");
        assertEquals(List.of(), counts.twice(), "events written more than once (sources " + counts.sources() + ")");
        return counts.sources();
    }

    /**
     * What became of a set of events (by event id) on a repaired topic.
     *
     * @param missing the events not in Kafka
     * @param twice   the events in Kafka more than once
     * @param sources how many records came from each source (astro.source)
     */
    record EventCounts(List<String> missing, List<String> twice, Map<String, Integer> sources) {
        static EventCounts of(List<String> events, List<ConsumerRecord<byte[], byte[]>> records) {
            Map<String, Integer> counts = eventIds(records);
            Map<String, Integer> sources = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                sources.merge(String.valueOf(ConnectFixture.header(record, NotificationRecords.HEADER_SOURCE)), 1,
                        Integer::sum);
            }
            List<String> missing = events.stream().filter(id -> !counts.containsKey(id)).toList();
            List<String> twice = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .toList();
            return new EventCounts(missing, twice, sources);
        }
    }

    private static Map<String, Integer> eventIds(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String id = ConnectFixture.header(record, NotificationRecords.HEADER_EVENT_ID);
            if (id != null) {
                counts.merge(id, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Asserts that nothing delivered was lost or duplicated, and that {@code minDelivered} made it at all. */
    DeliveryTally assertNoLossNoDuplicates(int minDelivered) {
        assertEquals(List.of(), lost, "lost notifications (" + this + ")");
        assertEquals(0, duplicates, "duplicated notifications (" + this + ")");
        if (delivered < minDelivered) {
            throw new AssertionError("only " + delivered + " notifications were delivered, expected at least "
                    + minDelivered + " (" + this + ")");
        }
        return this;
    }

    @Override
    public String toString() {
        return "published=" + published + ", delivered=" + delivered + ", written=" + written + ", duplicates="
                + duplicates + ", lost=" + lost.size();
    }
}
