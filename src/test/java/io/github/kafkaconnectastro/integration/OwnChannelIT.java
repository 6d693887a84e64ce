package io.github.kafkaconnectastro.integration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.github.kafkaconnectastro.integration.ConnectFixture.AWAIT;
import static io.github.kafkaconnectastro.integration.ConnectFixture.OWN_ROOM;
import static io.github.kafkaconnectastro.integration.ConnectFixture.key;
import static io.github.kafkaconnectastro.integration.ConnectFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Subscriptions to the token's own channel, bare topics in {@code astro.subscriptions}, against a gateway that
 * answers as both documents show: the subscribe response names no room, so the connector learns the channel's id
 * only from the notifications, which name it. Also the gateway's own broadcasts on topic {@code astro}, which are for
 * no subscription.
 */
class OwnChannelIT {

    private static final List<String> TOPICS = List.of("channel.activities", "channel.tips");
    private static final int NOTIFICATIONS = 200;

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1).topicPerConnector();

    @Test
    void writesEveryOwnChannelNotificationOnceKeyedByTheChannelId() throws Exception {
        assertWritesEveryOwnChannelNotificationOnce("own-channel");
    }

    /** Some gateway versions name the room in the response; the connector must work with and without it. */
    @Test
    void writesEveryOwnChannelNotificationOnceWhenTheGatewayNamesTheRoom() throws Exception {
        fixture.emulator.setEchoRoomInResponses(true);
        assertWritesEveryOwnChannelNotificationOnce("own-channel-echoed");
    }

    @Test
    void countsAGatewayBroadcastAndWritesNothingForIt() throws Exception {
        String connector = "broadcast";
        String room = "bcast0001";
        fixture.startConnector(connector, ConnectFixture.pairs("channel.activities", room), Map.of());
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);

        String broadcast = fixture.emulator.broadcast("Hello world!");
        // The task reads its socket in order: once this is in Kafka, the broadcast has been handled.
        String marker = fixture.emulator.publish("channel.activities", room, "{\"type\":\"follow\"}");
        List<ConsumerRecord<byte[], byte[]>> records = fixture.consumeUntil(AWAIT,
                r -> ids(r).contains(marker), Duration.ofMillis(1500), connector);

        assertEquals(1, fixture.emulator.deliveredCount(broadcast), "the broadcast reached the task's connection");
        assertEquals(List.of(marker), ids(records), "only the notification is written");
        assertEquals(1, metrics.number("Broadcasts"));
        assertEquals(Map.of(), metrics.counters("MalformedFramesByKind"), "a documented broadcast is not malformed");
    }

    /**
     * Publishes {@link #NOTIFICATIONS} notifications for the own channel over both topics while the connector runs,
     * and checks that each is in Kafka once (by envelope id), keyed by the channel id and with it as the room.
     */
    private static void assertWritesEveryOwnChannelNotificationOnce(String connector) throws InterruptedException {
        fixture.startConnector(connector, ConnectFixture.ownChannel(TOPICS.toArray(String[]::new)), Map.of());
        TaskMetricsProbe metrics = new TaskMetricsProbe(connector, 0);

        Map<String, String> topicById = new HashMap<>();
        for (int i = 0; i < NOTIFICATIONS; i++) {
            String topic = TOPICS.get(i % TOPICS.size());
            String id = fixture.emulator.publish(topic, OWN_ROOM,
                    "{\"type\":\"tip\",\"channel\":\"" + OWN_ROOM + "\",\"data\":{\"n\":" + i + "}}");
            topicById.put(id, topic);
        }
        List<ConsumerRecord<byte[], byte[]>> records = fixture.consumeUntil(AWAIT,
                r -> ids(r).containsAll(topicById.keySet()), Duration.ofMillis(1500), connector);

        DeliveryTally tally = DeliveryTally.of(fixture.emulator, topicById.keySet(), records);
        assertEquals(0, tally.lost().size(), () -> "own-channel notifications lost (" + tally + "); frames the task "
                + "dropped: " + metrics.counters("MalformedFramesByKind"));
        tally.assertNoLossNoDuplicates(NOTIFICATIONS);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String id = ConnectFixture.id(record);
            assertEquals(OWN_ROOM, key(record), id);
            assertEquals(OWN_ROOM, value(record).get("room").asText(), id);
            assertEquals(topicById.get(id), value(record).get("topic").asText(), id);
        }
        assertEquals(Map.of(), metrics.counters("MalformedFramesByKind"), "frames the task dropped");
    }

    private static List<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(ConnectFixture::id).toList();
    }
}
