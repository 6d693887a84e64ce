package io.github.kafkaconnectastro.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.Delivery;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
 * The README shows what a record's value looks like with each JsonConverter setting. The examples are what the
 * converter makes of the connector's record for the notification in PROTOCOL.md, not a hand-written guess: this
 * test fails (and prints the right JSON) when they drift apart.
 */
class ReadmeRecordExamplesTest {

    /** A marked block: {@code <!-- record-example: NAME -->} then a fenced json block. */
    private static final String BLOCK = "<!-- record-example: %s -->\\s*```json\\n(.*?)```";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The follow notification of the protocol description, as the connector maps it. */
    static SourceRecord exampleRecord() {
        String room = "6183c7d4ebc632abbf809890";
        String data = "{\"type\":\"follow\",\"provider\":\"twitch\",\"channel\":\"6183c7d4ebc632abbf809890\","
                + "\"data\":{\"username\":\"jtv\",\"displayName\":\"jtv\",\"providerId\":\"14027\"},"
                + "\"_id\":\"65ce2539b1585c5f909a91e1\",\"createdAt\":\"2024-02-15T14:52:41.608Z\","
                + "\"activityId\":\"65ce2539b1585c5f909a91e1\",\"sessionEventsCount\":6}";
        AstroMessage.Notification notification = new AstroMessage.Notification("01HPPM2TQ6CCMFQGHEN8MM1NN0",
                Instant.parse("2024-02-15T14:52:42Z"), "channel.activities", room, "follow", data, data.length());
        Delivery delivery = new Delivery(new Subscription("channel.activities", room), room, notification);
        return new NotificationRecords(new TopicNamer("astro.${topic}")).toRecord(delivery,
                SourceOffsets.offset(notification.id(), notification.ts().toString(), notification.id()));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readmeShowsWhatJsonConverterWrites(boolean schemasEnable) throws IOException {
        SourceRecord record = exampleRecord();
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", Boolean.toString(schemasEnable)), false);
        JsonNode expected = JSON.readTree(converter.fromConnectData(record.topic(), record.valueSchema(),
                record.value()));

        String name = schemasEnable ? "json-with-schema" : "json";
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        Matcher block = Pattern.compile(String.format(BLOCK, Pattern.quote(name)), Pattern.DOTALL).matcher(readme);
        String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(expected);
        assertTrue(block.find(), "README.md has no record-example block " + name + "; it should read:\n" + pretty);
        assertEquals(expected, JSON.readTree(block.group(1)), "README.md's " + name + " example; it should read:\n"
                + pretty);
    }
}
