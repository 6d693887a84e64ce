package io.github.kafkaconnectastro.integration;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.github.kafkaconnectastro.integration.ConnectFixture.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connector on a worker with {@code exactly.once.source.support=enabled}: records and offsets are committed
 * in one transaction, so a read_committed consumer sees every notification once, also across a restart in which
 * the gateway delivers ids again.
 */
class ExactlyOnceIT {

    private static final List<String> ROOMS = List.of("eos00001", "eos00002", "eos00003", "eos00004");
    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1)
            .workerProperties(Map.of("exactly.once.source.support", "enabled"))
            // Transactions on a single broker.
            .brokerProperties(Map.of(
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1"));

    @Test
    void readCommittedConsumerSeesEveryIdExactlyOnceAcrossARestart() throws Exception {
        List<String[]> pairs = ConnectFixture.pairs("channel.tips", ROOMS.toArray(String[]::new));
        fixture.startConnector("eos", 2, pairs, Map.of(
                // Refused at creation unless the connector declares exactly-once support.
                "exactly.once.support", "required",
                "transaction.boundary", "poll",
                "heartbeat.interval.ms", "500",
                "heartbeat.topic", "__astro-heartbeat-eos"));

        List<String> published = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            for (String room : ROOMS) {
                published.add(fixture.emulator.publish("channel.tips", room, "{\"amount\":" + i + "}"));
            }
        }
        fixture.consumeUntil(AWAIT, r -> ids(r).containsAll(published), "astro.channel.tips");

        // Committed records imply committed offsets: the restarted tasks know every id above.
        int handshakes = fixture.emulator.handshakeCount();
        fixture.connect.restartConnectorAndTasks("eos", false, true, false);
        fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("eos", 2, "not running");
        fixture.awaitResubscribed(handshakes, 2, pairs);
        Map<String, String> roomOf = new HashMap<>();
        for (int i = 0; i < published.size(); i++) {
            roomOf.put(published.get(i), ROOMS.get(i % ROOMS.size()));
        }
        for (String id : published.subList(published.size() - 8, published.size())) {
            fixture.emulator.publishWithId(id, Instant.now(), "channel.tips", roomOf.get(id), "{\"amount\":\"again\"}");
        }
        for (String room : ROOMS) {
            published.add(fixture.emulator.publish("channel.tips", room, "{\"amount\":\"fresh\"}"));
        }
        String last = published.get(published.size() - 1);
        fixture.consumeUntil(AWAIT, r -> ids(r).contains(last), "astro.channel.tips");

        // A record written late (a duplicate) comes before its pair's marker: what precedes the markers is all.
        List<ConsumerRecord<byte[], byte[]>> records = fixture.consumeUntilMarkers(pairs, "astro.channel.tips");
        Map<String, Long> counts = ids(records).stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(published.size(), counts.size(), "every published id");
        assertTrue(counts.values().stream().allMatch(c -> c == 1), "an id twice: " + counts);
        assertTrue(counts.keySet().containsAll(published));
        assertEquals(published.size(), records.size());
        assertTrue(!fixture.consumeUntil(AWAIT, r -> !r.isEmpty(), "__astro-heartbeat-eos").isEmpty(),
                "heartbeats are committed in the same transactions");
        try (Admin admin = fixture.connect.kafka().createAdminClient()) {
            long producers = admin.listTransactions().all().get().stream()
                    .filter(t -> t.transactionalId().endsWith("-eos-0") || t.transactionalId().endsWith("-eos-1"))
                    .count();
            assertEquals(2, producers, "one transactional producer per task");
        }
    }

    private static List<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(ConnectFixture::id).toList();
    }
}
