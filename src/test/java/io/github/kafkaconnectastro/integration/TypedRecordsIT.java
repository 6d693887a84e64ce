package io.github.kafkaconnectastro.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kafkaconnectastro.emulator.Ulid;
import io.github.kafkaconnectastro.protocol.DocumentExamples;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.github.kafkaconnectastro.integration.ConnectFixture.id;
import static io.github.kafkaconnectastro.integration.ConnectFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Typed records as a consumer reads them with JsonConverter ({@code schemas.enable=false}), for the documents' own
 * payload examples: numbers as numbers, times as epoch milliseconds, the donor's e-mail only when asked for, and a
 * payload that does not fit kept whole.
 */
class TypedRecordsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = "aaaaaaaaaaaaaaaaaaaaaaaa";

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1);

    @Test
    void aTipIsAnObjectWithANumericAmountAndNoDonorEmailByDefault() throws Exception {
        fixture.startConnector("typed", List.of(new String[] {"channel.tips", ROOM},
                new String[] {"channel.activities", ROOM}), Map.of());
        Map<String, String> published = new HashMap<>();
        published.put(publishExample("topics-channel.tips.json", null), "tip");
        published.put(publishExample("topics-channel.activities-tip.json", null), "tip activity");
        published.put(publishExample("topics-channel.tips.json", "{\"_id\":\"6a00000000000000000000f2\","
                + "\"donation\":{\"amount\":\"5.50\",\"user\":{\"username\":\"u\",\"email\":\"e@example.invalid\"}}}"),
                "misfit");

        List<ConsumerRecord<byte[], byte[]>> records = fixture.consumeUntil(Duration.ofSeconds(60),
                r -> r.size() >= published.size(), "astro.channel.tips", "astro.channel.activities");
        assertEquals(published.size(), records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode value = value(record);
            String what = published.get(id(record));
            switch (what) {
                case "tip" -> {
                    JsonNode donation = value.path("data").path("donation");
                    assertTrue(donation.path("amount").isNumber(), value.toString());
                    assertEquals(5.5, donation.path("amount").asDouble());
                    assertTrue(donation.path("user").path("email").isNull(), "no e-mail by default: " + value);
                    assertTrue(donation.path("user").path("geo").isNull());
                    assertFalse(record.toString().contains("donor@example.invalid"));
                    assertEquals(Instant.parse("2026-01-10T18:04:58Z").toEpochMilli(),
                            value.path("data").path("createdAt").asLong());
                    assertEquals("6a00000000000000000000f1", header(record, "astro.event.id"));
                }
                case "tip activity" -> {
                    assertEquals("tip", value.path("type").asText());
                    assertEquals("6a00000000000000000000f1", value.path("data").path("data").path("tipId").asText());
                    assertEquals("tip", header(record, "astro.event.type"));
                    assertEquals("6a0000000000000000000002", header(record, "astro.event.id"));
                }
                case "misfit" -> {
                    assertTrue(value.path("data").isNull(), value.toString());
                    JsonNode raw = JSON.readTree(value.path("raw").asText());
                    assertEquals("5.50", raw.path("donation").path("amount").asText());
                    assertFalse(raw.path("donation").path("user").has("email"));
                    assertEquals("data.donation.amount: expected a number, got string",
                            header(record, "astro.value.misfit"));
                }
                default -> throw new AssertionError("unexpected record " + value);
            }
        }
    }

    @Test
    void theDonorEmailIsWrittenWhenAskedFor() throws Exception {
        fixture.startConnector("personal", List.<String[]>of(new String[] {"channel.tips", ROOM}),
                Map.of("astro.personal.data", "include", "topic.name.pattern", "personal.${topic}"));
        publishExample("topics-channel.tips.json", null);
        List<ConsumerRecord<byte[], byte[]>> records = fixture.consumeUntil(Duration.ofSeconds(60),
                r -> !r.isEmpty(), "personal.channel.tips");
        JsonNode user = value(records.get(0)).path("data").path("donation").path("user");
        assertEquals("donor@example.invalid", user.path("email").asText());
        assertEquals("ZZ", user.path("geo").asText());
    }

    /** Publishes a TOPICS.md example (or it with another data object) and returns its id. */
    private static String publishExample(String example, String otherData) throws Exception {
        ObjectNode frame = (ObjectNode) JSON.readTree(DocumentExamples.text(example));
        String data = otherData != null ? otherData : frame.get("data").toString();
        String id = Ulid.nextId();
        fixture.emulator.publishWithId(id, Instant.now(), frame.get("topic").asText(), ROOM, data);
        return id;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertTrue(header != null, "header " + name);
        // The worker's default SimpleHeaderConverter writes a string header as its text.
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
