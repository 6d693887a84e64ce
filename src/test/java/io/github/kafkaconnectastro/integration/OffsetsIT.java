package io.github.kafkaconnectastro.integration;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kafkaconnectastro.auth.CredentialCipher;
import io.github.kafkaconnectastro.auth.OAuth2Credentials;
import io.github.kafkaconnectastro.emulator.OAuth2Endpoint;
import io.github.kafkaconnectastro.emulator.Ulid;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.github.kafkaconnectastro.integration.ConnectFixture.AWAIT;
import static io.github.kafkaconnectastro.integration.ConnectFixture.await;
import static io.github.kafkaconnectastro.integration.ConnectFixture.id;
import static io.github.kafkaconnectastro.integration.ConnectFixture.key;
import static io.github.kafkaconnectastro.integration.ConnectFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connector's offsets through Connect's REST API (KIP-875), the OAuth2 refresh token kept in them through a
 * client secret rotation and a refused reset, and heartbeats for quiet pairs.
 */
class OffsetsIT {

    private static final String TOPIC = "channel.tips";
    private static final String CLIENT_ID = "it-client";
    private static final String OLD_SECRET = "it-secret-old-7a2c";
    private static final String NEW_SECRET = "it-secret-new-93fd";
    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1);

    @Test
    void offsetsAreListedPerPairAlteredWithValidationAndReset() throws Exception {
        List<String> rooms = List.of("off00001", "off00002", "off00003");
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, rooms.toArray(String[]::new));
        fixture.startConnector("offsets", pairs, Map.of());
        Map<String, String> written = new HashMap<>();
        for (String room : rooms) {
            written.put(room, fixture.emulator.publish(TOPIC, room, "{\"amount\":1}"));
        }
        fixture.consumeUntil(AWAIT, r -> ids(r).containsAll(written.values()), "astro.channel.tips");

        await(() -> offsets("offsets").size() == 3, "one committed offset per pair");
        for (JsonNode entry : offsets("offsets")) {
            JsonNode partition = entry.get("partition");
            assertEquals(TOPIC, partition.get("topic").asText());
            String room = partition.get("room").asText();
            assertEquals(written.get(room), entry.get("offset").get("id").asText(), entry.toString());
            assertEquals(written.get(room), entry.get("offset").get("recent").asText(), entry.toString());
            Instant.parse(entry.get("offset").get("ts").asText());
        }

        fixture.connect.stopConnector("offsets");
        fixture.connect.assertions().assertConnectorIsStopped("offsets", "not stopped");
        assertTrue(fixture.emulator.awaitConnections(0, AWAIT), "the stopped task disconnected");
        assertRefused("{\"offsets\":[{\"partition\":{\"topic\":\"" + TOPIC + "\"},\"offset\":{\"id\":\"01X\"}}]}",
                "must have the string fields 'topic' and 'room'");
        assertRefused(patch("off00001", "{\"position\":5}"), "must have a non-empty string 'id'");
        assertRefused(patch("off00001", "{\"id\":\"01X\"}"), "has id '01X', which is not a ULID");
        assertRefused(patch("off00001", "{\"id\":\"" + Ulid.nextId() + "\",\"ts\":\"yesterday\"}"),
                "must be an RFC 3339 time");
        assertRefused("{\"offsets\":[{\"partition\":{\"topic\":\"Bad Topic\",\"room\":\"r\"},\"offset\":null}]}",
                "invalid topic");

        // Moving a pair's offset forward makes the task drop, as after a real restart, what is older than it by
        // more than dedup.clock.skew.ms (5 s), and within that allowance the ids the offset remembers.
        long now = System.currentTimeMillis();
        String older = ulidAt(now - 60_000);
        String remembered = ulidAt(now - 1_000);
        String floor = Ulid.nextId();
        ConnectFixture.RestResponse altered = fixture.rest("PATCH", "connectors/offsets/offsets",
                patch("off00001", "{\"id\":\"" + floor + "\",\"recent\":\"" + floor + "," + remembered + "\"}"));
        assertEquals(200, altered.status(), altered.body());
        await(() -> floor.equals(offsetOf("offsets", "off00001").get("id").asText()), "the altered offset listed");
        fixture.connect.resumeConnector("offsets");
        fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("offsets", 1, "not running");
        fixture.awaitSubscribed(pairs);
        fixture.emulator.publishWithId(older, Instant.now(), TOPIC, "off00001", "{\"amount\":2}");
        fixture.emulator.publishWithId(remembered, Instant.now(), TOPIC, "off00001", "{\"amount\":2}");
        String skewed = ulidAt(now - 1_000);
        fixture.emulator.publishWithId(skewed, Instant.now(), TOPIC, "off00001", "{\"amount\":2}");
        String newer = fixture.emulator.publish(TOPIC, "off00001", "{\"amount\":3}");
        List<String> seen = ids(fixture.consumeUntil(AWAIT, r -> ids(r).contains(newer), "astro.channel.tips"));
        assertTrue(seen.contains(newer));
        assertTrue(seen.contains(skewed), "a new id within the allowance is written");
        assertFalse(seen.contains(older), "an id older than the altered offset by more than the allowance is dropped");
        assertFalse(seen.contains(remembered), "an id the altered offset remembers is dropped");
        await(() -> newer.equals(offsetOf("offsets", "off00001").get("id").asText()), "the highest id committed");
        assertTrue(offsetOf("offsets", "off00001").get("recent").asText().contains(skewed));

        // After a reset the task knows no ids: an id written before is written again.
        fixture.connect.stopConnector("offsets");
        fixture.connect.assertions().assertConnectorIsStopped("offsets", "not stopped");
        assertTrue(fixture.emulator.awaitConnections(0, AWAIT), "the stopped task disconnected");
        fixture.connect.resetConnectorOffsets("offsets");
        // A GET right after the reset listed the removed offsets once (Kafka 3.6, a fresh-clone .ci/run): the worker
        // lists what its reader of the offsets topic has read so far, so each check after a change waits for it.
        await(() -> offsets("offsets").isEmpty(), "the offsets were reset");
        fixture.connect.resumeConnector("offsets");
        fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("offsets", 1, "not running");
        fixture.awaitSubscribed(pairs);
        String again = written.get("off00002");
        fixture.emulator.publishWithId(again, Instant.now(), TOPIC, "off00002", "{\"amount\":1}");
        await(() -> timesWritten(again, fixture.consumeUntil(AWAIT, r -> timesWritten(again, r) >= 2,
                "astro.channel.tips")) == 2, "the id written again after the reset");
        await(() -> offsets("offsets").size() == 1, "only the pair written since the reset has an offset");
    }

    @Test
    void quietPairsGetHeartbeatsCarryingTheirLastOffset() throws Exception {
        String busy = "hb000001";
        String never = "hb000002";
        fixture.startConnector("heartbeats", ConnectFixture.pairs(TOPIC, busy, never), Map.of(
                "heartbeat.interval.ms", "1000",
                "heartbeat.topic", "__astro-heartbeat-it"));
        String last = fixture.emulator.publish(TOPIC, busy, "{\"amount\":1}");

        List<ConsumerRecord<byte[], byte[]>> heartbeats = fixture.consumeUntil(AWAIT,
                r -> r.stream().filter(h -> last.equals(value(h).get("last_id").asText())).count() >= 2,
                "__astro-heartbeat-it");
        for (ConsumerRecord<byte[], byte[]> heartbeat : heartbeats) {
            assertEquals(TOPIC + ":" + busy, key(heartbeat), "a pair without offset gets no heartbeat");
            JsonNode value = value(heartbeat);
            assertEquals("heartbeats", value.get("connector").asText());
            assertEquals(TOPIC, value.get("topic").asText());
            assertEquals(busy, value.get("room").asText());
        }
        assertEquals(last, offsetOf("heartbeats", busy).get("id").asText());
        assertEquals(1, offsets("heartbeats").size());
        // The quiet pair's marker comes after any heartbeat the task wrote to the data topic so far.
        assertTrue(fixture.consumeUntilMarkers(ConnectFixture.pairs(TOPIC, never), "astro.channel.tips").stream()
                .noneMatch(r -> key(r).equals(busy) && !id(r).equals(last)), "heartbeats never reach the data topic");
    }

    /**
     * The client secret rotated as docs/operations.md says (the new one set with the old one as
     * astro.oauth2.client.secret.previous, then the previous one removed): task 0 reads the kept refresh token with
     * the old secret, saves it again with the new one, refreshes with the new one, and records flow throughout.
     * Then a reset of the stopped connector's offsets, which would drop that refresh token, is refused saying how to
     * reset the pairs, and resetting a pair by PATCH works.
     */
    @Test
    void anOAuth2ConnectorOutlivesASecretRotationAndARefusedResetKeepsItsRefreshToken() throws Exception {
        String connector = "rotation";
        String room = "rot00001";
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, room);
        try (OAuth2Endpoint endpoint = OAuth2Endpoint.start(fixture.emulator, CLIENT_ID, OLD_SECRET,
                ConnectFixture.OWN_ROOM);
             LogCapture log = LogCapture.of(Map.of(OAuth2Credentials.class.getName(), Level.INFO))) {
            // Refreshed every 5 s: the shortest the connector allows.
            endpoint.setAccessTokenLifetime(Duration.ofSeconds(10));
            Map<String, String> config = new HashMap<>(Map.of(
                    "astro.oauth2.client.id", CLIENT_ID,
                    "astro.oauth2.client.secret", OLD_SECRET,
                    "astro.oauth2.refresh.token", endpoint.issueRefreshToken(),
                    "astro.oauth2.token.url", endpoint.tokenUrl().toString()));
            config.put("astro.token", null);
            FailureWatch watch = new FailureWatch(fixture, connector);
            fixture.startConnector(connector, pairs, config);
            awaitFlowing(room);

            // Rotated at the token endpoint, which accepts both secrets until the connector has the new one.
            endpoint.acceptClientSecrets(OLD_SECRET, NEW_SECRET);
            config.put("astro.oauth2.client.secret", NEW_SECRET);
            config.put("astro.oauth2.client.secret.previous", OLD_SECRET);
            int handshakes = fixture.emulator.handshakeCount();
            fixture.configureConnector(connector, pairs, config);
            fixture.awaitResubscribed(handshakes, 1, pairs);
            endpoint.acceptClientSecrets(NEW_SECRET);
            await(() -> new CredentialCipher(NEW_SECRET, CLIENT_ID).decrypt(keptBlob(connector)).isPresent(),
                    "the kept refresh token saved again with the new secret");
            int refreshes = endpoint.refreshCount();
            awaitFlowing(room);
            assertTrue(log.lines().stream().anyMatch(line -> line.text().contains(
                    "with astro.oauth2.client.secret.previous")), "the previous secret was not what read it");

            config.remove("astro.oauth2.client.secret.previous");
            handshakes = fixture.emulator.handshakeCount();
            fixture.configureConnector(connector, pairs, config);
            fixture.awaitResubscribed(handshakes, 1, pairs);
            awaitFlowing(room);
            // Task 0 refreshes every 5 s here, with the new secret since the rotation.
            await(() -> endpoint.refreshCount() > refreshes, "a refresh with the new secret");
            assertEquals(0, endpoint.refusalCount(), "a refresh was refused");
            watch.close();
            assertEquals(Set.of(), watch.failedStates(), "a task or the connector was FAILED");

            fixture.connect.stopConnector(connector);
            fixture.connect.assertions().assertConnectorIsStopped(connector, "not stopped");
            String kept = keptBlob(connector);
            ConnectFixture.RestResponse reset = fixture.rest("DELETE", "connectors/" + connector + "/offsets", null);
            assertTrue(reset.status() >= 400, reset.status() + " " + reset.body());
            assertTrue(reset.body().contains("Cannot reset offsets: the partition {credential=oauth2}")
                    && reset.body().contains("PATCH /connectors/" + connector + "/offsets with")
                    && reset.body().contains("set astro.oauth2.refresh.token to it"), reset.body());
            assertEquals(kept, keptBlob(connector), "the refused reset changed the kept refresh token");
            ConnectFixture.RestResponse pair = fixture.rest("PATCH", "connectors/" + connector + "/offsets",
                    "{\"offsets\":[{\"partition\":{\"topic\":\"" + TOPIC + "\",\"room\":\"" + room
                            + "\"},\"offset\":null}]}");
            assertEquals(200, pair.status(), pair.body());
            await(() -> List.of(kept).equals(fixture.offsets(connector).stream()
                    .map(entry -> entry.path("offset").path("blob").asText()).toList()), "only the credential is left");
        }
    }

    /** A notification published now reaches Kafka, so the task holds a token the gateway accepts. */
    private static void awaitFlowing(String room) throws Exception {
        String id = fixture.emulator.publish(TOPIC, room, "{\"amount\":1}");
        fixture.consumeUntil(AWAIT, r -> ids(r).contains(id), "astro.channel.tips");
    }

    /** The encrypted blob in the credential's offset, as GET /connectors/<name>/offsets shows it. */
    private static String keptBlob(String connector) {
        return fixture.offsets(connector).stream().filter(e -> e.path("partition").has("credential"))
                .map(e -> e.path("offset").path("blob").asText()).findFirst().orElse("");
    }

    /** A new ULID stamped at {@code ms}, as a gateway node whose clock is behind would stamp it. */
    private static String ulidAt(long ms) {
        return new Ulid(() -> ms, new Random()).next();
    }

    private static long timesWritten(String id, List<ConsumerRecord<byte[], byte[]>> records) {
        return ids(records).stream().filter(id::equals).count();
    }

    private static List<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(ConnectFixture::id).toList();
    }

    /** The {@code offsets} array of {@code GET /connectors/<name>/offsets}. */
    private static List<JsonNode> offsets(String connector) {
        return fixture.offsets(connector);
    }

    private static JsonNode offsetOf(String connector, String room) {
        return offsets(connector).stream().filter(e -> room.equals(e.get("partition").get("room").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no offset for " + room)).get("offset");
    }

    private static String patch(String room, String offsetJson) {
        return "{\"offsets\":[{\"partition\":{\"topic\":\"" + TOPIC + "\",\"room\":\"" + room + "\"},\"offset\":"
                + offsetJson + "}]}";
    }

    /**
     * Connect answers a connector's refusal with 500 (only its own checks of the request's shape give 400); what
     * matters to the user is the message, and that nothing was changed.
     */
    private static void assertRefused(String body, String reason) {
        List<JsonNode> before = offsets("offsets");
        ConnectFixture.RestResponse response = fixture.rest("PATCH", "connectors/offsets/offsets", body);
        assertTrue(response.status() >= 400, response.status() + " " + response.body());
        assertTrue(response.body().contains("Cannot alter offsets: ") && response.body().contains(reason),
                response.body());
        assertEquals(before, offsets("offsets"));
    }
}
