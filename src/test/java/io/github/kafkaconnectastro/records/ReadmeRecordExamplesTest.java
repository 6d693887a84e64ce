package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.offsets.SourceOffsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kafkaconnectastro.config.AstroAdvancedConfig;
import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.records.Delivery;
import io.github.kafkaconnectastro.protocol.DocumentExamples;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README.md and docs/records.md show what records' values look like with JsonConverter. The examples are what the
 * converter makes of the connector's records, not a hand-written guess: this test fails (and prints the right
 * JSON) when they drift apart.
 */
class ReadmeRecordExamplesTest {

    /** A marked block: {@code <!-- record-example: NAME -->} then a fenced json block. */
    private static final String BLOCK = "<!-- record-example: %s -->\\s*```json\\n(.*?)```";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AstroCodec CODEC = new AstroCodec(AstroAdvancedConfig.JSON_MAX_NESTING_DEPTH.defaultValue());

    /** The follow notification of the protocol description, as the connector maps it. */
    static SourceRecord followRecord(ValueFormat format) {
        String room = "6183c7d4ebc632abbf809890";
        String data = "{\"type\":\"follow\",\"provider\":\"twitch\",\"channel\":\"6183c7d4ebc632abbf809890\","
                + "\"data\":{\"username\":\"jtv\",\"displayName\":\"jtv\",\"providerId\":\"14027\"},"
                + "\"_id\":\"65ce2539b1585c5f909a91e1\",\"createdAt\":\"2024-02-15T14:52:41.608Z\","
                + "\"activityId\":\"65ce2539b1585c5f909a91e1\",\"sessionEventsCount\":6}";
        AstroMessage.Notification notification = new AstroMessage.Notification("01HPPM2TQ6CCMFQGHEN8MM1NN0",
                Instant.parse("2024-02-15T14:52:42Z"), "channel.activities", room, "follow", "65ce2539b1585c5f909a91e1",
                data, data.length());
        return record(notification, room, format);
    }

    /** A payload example kept in src/test/resources/astro-docs, as the connector maps it by default. */
    static SourceRecord documentRecord(String example) {
        AstroMessage.Notification notification = (AstroMessage.Notification) CODEC.decode(DocumentExamples.text(example));
        return record(notification, "aaaaaaaaaaaaaaaaaaaaaaaa", ValueFormat.TYPED);
    }

    private static SourceRecord record(AstroMessage.Notification notification, String room, ValueFormat format) {
        Delivery delivery = new Delivery(new Subscription(notification.topic(), room), room, notification);
        return new NotificationRecords(new TopicNamer("astro.${topic}"), format, false, (pair, reason) -> { })
                .toRecord(delivery, SourceOffsets.offset(notification.id(), notification.ts().toString(),
                        notification.id()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "README.md, json, follow, false",
            "docs/records.md, follow-json, follow, false",
            "docs/records.md, tip-json, topics-channel.tips.json, false",
            "docs/records.md, stream-status-json-with-schema, topics-channel.stream.status.json, true",
            "docs/records.md, raw-json, raw-follow, false"})
    void documentationShowsWhatJsonConverterWrites(String file, String name, String source, boolean schemasEnable)
            throws IOException {
        SourceRecord record = switch (source) {
            case "follow" -> followRecord(ValueFormat.TYPED);
            case "raw-follow" -> followRecord(ValueFormat.RAW);
            default -> documentRecord(source);
        };
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", Boolean.toString(schemasEnable)), false);
        JsonNode expected = JSON.readTree(converter.fromConnectData(record.topic(), record.valueSchema(),
                record.value()));

        String text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile(String.format(BLOCK, Pattern.quote(name)), Pattern.DOTALL).matcher(text);
        String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(expected);
        assertTrue(block.find(), file + " has no record-example block " + name + "; it should read:\n" + pretty);
        assertEquals(expected, JSON.readTree(block.group(1)), file + "'s " + name + " example; it should read:\n"
                + pretty);
    }
}
