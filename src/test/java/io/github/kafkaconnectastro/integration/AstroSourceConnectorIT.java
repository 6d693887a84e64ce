package io.github.kafkaconnectastro.integration;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kafkaconnectastro.emulator.Ulid;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.github.kafkaconnectastro.integration.ConnectFixture.id;
import static io.github.kafkaconnectastro.integration.ConnectFixture.key;
import static io.github.kafkaconnectastro.integration.ConnectFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connector end to end: emulator → websocket → Connect worker → Kafka, configured through REST. */
class AstroSourceConnectorIT {

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1);

    @Test
    void deliversEveryNotificationExactlyOnceAcrossTasks() throws Exception {
        List<String[]> pairs = new ArrayList<>();
        for (String topic : List.of("channel.activities", "channel.tips")) {
            for (String room : List.of("aaa1", "bbb2", "ccc3")) {
                pairs.add(new String[] {topic, room});
            }
        }
        fixture.startConnector("exactly-once", 2, pairs, Map.of());

        Map<String, String[]> published = new HashMap<>();
        Map<String, Instant> publishedTs = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            for (String[] pair : pairs) {
                Instant ts = Instant.parse("2026-03-19T12:00:00Z").plusSeconds(i);
                String id = Ulid.nextId();
                fixture.emulator.publishWithId(id, ts, pair[0], pair[1],
                        "{\"type\":\"tip\",\"channel\":\"" + pair[1] + "\",\"data\":{\"amount\":" + i + ",\"name\":\"Zoë 日本\"}}");
                published.put(id, pair);
                publishedTs.put(id, ts);
            }
        }

        fixture.consumeUntil(Duration.ofSeconds(60),
                r -> r.size() >= published.size(), "astro.channel.activities", "astro.channel.tips");
        // A record written late (a duplicate) comes before its pair's marker: what precedes the markers is all.
        List<ConsumerRecord<byte[], byte[]>> records = fixture.consumeUntilMarkers(pairs,
                "astro.channel.activities", "astro.channel.tips");

        assertEquals(published.size(), records.size(), "records in Kafka");
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String id = id(record);
            assertTrue(ids.add(id), "duplicate " + id);
            String[] pair = published.get(id);
            assertEquals("astro." + pair[0], record.topic());
            assertEquals(pair[1], key(record));
            assertEquals(publishedTs.get(id).toEpochMilli(), record.timestamp());
            JsonNode value = value(record);
            assertEquals(pair[0], value.get("topic").asText());
            assertEquals(pair[1], value.get("room").asText());
            assertEquals("tip", value.get("type").asText());
            assertEquals(publishedTs.get(id).toEpochMilli(), value.get("ts").asLong());
            assertTrue(value.get("extra").asText().contains("Zoë 日本"), value.toString());
            assertEquals(id, new String(record.headers().lastHeader("astro.id").value()).replace("\"", ""));
        }
        assertEquals(published.keySet(), ids);
    }

    @Test
    void writesAnIdPushedTwiceOnce() throws Exception {
        String room = "dup00001";
        fixture.startConnector("dups", ConnectFixture.pairs("channel.activities", room), Map.of());

        String id = Ulid.nextId();
        Instant ts = Instant.now();
        fixture.emulator.publishWithId(id, ts, "channel.activities", room, "{\"type\":\"follow\"}");
        fixture.emulator.publishWithId(id, ts, "channel.activities", room, "{\"type\":\"follow\"}");
        String marker = fixture.emulator.publish("channel.activities", room, "{\"type\":\"raid\"}");

        List<ConsumerRecord<byte[], byte[]>> records = fixture.consumeUntil(Duration.ofSeconds(30),
                r -> r.stream().anyMatch(rec -> id(rec).equals(marker) ), "astro.channel.activities");
        List<String> forRoom = records.stream().filter(r -> key(r).equals(room)).map(ConnectFixture::id).toList();
        assertEquals(List.of(id, marker), forRoom);
    }

    @Test
    void restartedConnectorDoesNotWriteTheLastIdsAgain() throws Exception {
        String room = "restart01";
        String topic = "channel.tips";
        fixture.startConnector("restart", ConnectFixture.pairs(topic, room), Map.of());

        List<String> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(fixture.emulator.publish(topic, room, "{\"amount\":" + i + "}"));
        }
        fixture.consumeUntil(Duration.ofSeconds(30), r -> idsFor(r, room).containsAll(first), "astro.channel.tips");
        fixture.awaitCommitted("restart", first, ConnectFixture.roomsRoundRobin(ConnectFixture.pairs(topic, room),
                first));

        int handshakesBefore = fixture.emulator.handshakeCount();
        fixture.connect.restartConnectorAndTasks("restart", false, true, false);
        fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("restart", 1, "not running");
        // The old connection may still be subscribed for a moment; publish only to the restarted task's.
        fixture.awaitResubscribed(handshakesBefore, 1, ConnectFixture.pairs(topic, room));
        for (String id : first.subList(2, 5)) {
            fixture.emulator.publishWithId(id, Instant.now(), topic, room, "{\"amount\":\"again\"}");
        }
        String fresh = fixture.emulator.publish(topic, room, "{\"amount\":99}");

        List<ConsumerRecord<byte[], byte[]>> records = fixture.consumeUntil(Duration.ofSeconds(30),
                r -> idsFor(r, room).contains(fresh), "astro.channel.tips");
        List<String> expected = new ArrayList<>(first);
        expected.add(fresh);
        assertEquals(expected, idsFor(records, room));
    }

    @Test
    void badTokenFailsTheTaskWithAnActionableReason() throws Exception {
        String wrongToken = "wrong-token-4b1d2c3e9f";
        fixture.configureConnector("bad-token", ConnectFixture.pairs("channel.activities", "badtok1"),
                Map.of("astro.token", wrongToken));
        fixture.connect.assertions().assertConnectorIsRunningAndTasksHaveFailed("bad-token", 1, "task did not fail");

        ConnectorStateInfo status = fixture.status("bad-token");
        String trace = status.tasks().get(0).trace();
        assertTrue(trace.contains("channel.activities:badtok1"), trace);
        assertTrue(trace.contains("err_unauthorized"), trace);
        assertTrue(trace.contains("astro.token"), trace);
        assertFalse(trace.contains(wrongToken), "the trace must not contain the token");
        assertFalse(fixture.connect.connectorInfo("bad-token").config().toString().isEmpty());
    }

    private static List<String> idsFor(List<ConsumerRecord<byte[], byte[]>> records, String room) {
        return records.stream().filter(r -> key(r).equals(room)).map(ConnectFixture::id).toList();
    }
}
