package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.offsets.SourceOffsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kafkaconnectastro.config.AstroAdvancedConfig;
import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.records.Delivery;
import io.github.kafkaconnectastro.protocol.DocumentExamples;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Typed values, personal data and headers, on the gateway's payload examples kept in src/test/resources/astro-docs. */
class TypedRecordsTest {

    private static final String CHANNEL = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static final AstroCodec CODEC = new AstroCodec(AstroAdvancedConfig.JSON_MAX_NESTING_DEPTH.defaultValue());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> misfits = new ArrayList<>();

    private SourceRecord map(String frame, ValueFormat format, boolean includePersonal) {
        AstroMessage.Notification n = (AstroMessage.Notification) CODEC.decode(frame);
        String room = n.room() == null ? CHANNEL : n.room();
        Delivery delivery = new Delivery(new Subscription(n.topic(), room), room, n);
        return new NotificationRecords(new TopicNamer("astro.${topic}"), format, includePersonal,
                (pair, reason) -> misfits.add(pair + ": " + reason))
                .toRecord(delivery, SourceOffsets.offset(n.id(), n.ts().toString(), n.id()));
    }

    private SourceRecord typed(String example) {
        return map(DocumentExamples.text(example), ValueFormat.TYPED, false);
    }

    static Stream<String> topicExamples() throws IOException, URISyntaxException {
        Path folder = Path.of(TypedRecordsTest.class.getResource("/astro-docs").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith("topics-")).sorted().toList();
            assertTrue(names.size() >= 20, "TOPICS.md's examples: " + names);
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("topicExamples")
    void everyFieldOfADocumentedExampleHasItsPlaceInTheTopicsSchema(String example) {
        SourceRecord record = typed(example);
        Struct value = (Struct) record.value();
        value.validate();
        String topic = value.getString("topic");
        if (TopicSchemas.of(topic) == null) {
            assertSame(NotificationRecords.RAW_VALUE_SCHEMA, record.valueSchema(), topic + " has no documented shape");
            return;
        }
        assertEquals(TopicSchemas.valueSchemaName(topic), record.valueSchema().name());
        assertNotNull(value.getStruct("data"), example);
        assertNull(value.get("raw"), example);
        assertNull(value.get("extra"), example + ": fields the schema lacks");
        assertNull(record.headers().lastWithName(NotificationRecords.HEADER_MISFIT));
        assertEquals(List.of(), misfits);
    }

    @Test
    void aTipHasNumbersTimesAndNoPersonalDataByDefault() {
        SourceRecord record = typed("topics-channel.tips.json");
        Struct data = ((Struct) record.value()).getStruct("data");
        Struct donation = data.getStruct("donation");
        assertEquals(5.5, donation.getFloat64("amount"));
        assertEquals("EUR", donation.getString("currency"));
        assertEquals(Date.from(Instant.parse("2026-01-10T18:04:58.000Z")), data.get("createdAt"));
        Struct user = donation.getStruct("user");
        assertEquals("donor_one", user.getString("username"));
        assertNull(user.get("email"));
        assertNull(user.get("geo"));
        assertEquals("6a00000000000000000000f1", header(record, NotificationRecords.HEADER_EVENT_ID));
    }

    @Test
    void personalDataIsWrittenOnlyWhenAskedFor() {
        SourceRecord record = map(DocumentExamples.text("topics-channel.tips.moderation.json"), ValueFormat.TYPED,
                true);
        Struct user = ((Struct) record.value()).getStruct("data").getStruct("donation").getStruct("user");
        assertEquals("donor@example.invalid", user.getString("email"));
        assertEquals("ZZ", user.getString("geo"));
    }

    @Test
    void theRawFormatLeavesPersonalDataOutOfTheJsonTextToo() throws IOException {
        String frame = DocumentExamples.text("topics-channel.tips.json");
        SourceRecord omitted = map(frame, ValueFormat.RAW, false);
        assertSame(NotificationRecords.RAW_VALUE_SCHEMA, omitted.valueSchema());
        JsonNode user = JSON.readTree(((Struct) omitted.value()).getString("data")).path("donation").path("user");
        assertFalse(user.has("email"));
        assertFalse(user.has("geo"));
        assertEquals("donor_one", user.path("username").asText());

        JsonNode included = JSON.readTree(((Struct) map(frame, ValueFormat.RAW, true).value()).getString("data"));
        assertEquals("donor@example.invalid", included.path("donation").path("user").path("email").asText());
    }

    @Test
    void aFollowIsTypedWithItsActivityTypeInAHeader() {
        SourceRecord record = typed("topics-channel.activities-follow.json");
        Struct value = (Struct) record.value();
        Struct data = value.getStruct("data");
        assertEquals("follow", value.getString("type"));
        assertEquals(3L, data.getInt64("sessionEventsCount"));
        assertEquals(Date.from(Instant.parse("2026-12-12T18:00:00.500Z")), data.get("expiresAt"));
        assertEquals("viewer_one", data.getStruct("data").getString("username"));
        assertEquals("follow", header(record, NotificationRecords.HEADER_EVENT_TYPE));
        assertEquals("6a0000000000000000000001", header(record, NotificationRecords.HEADER_EVENT_ID));
    }

    @Test
    void fieldsTheSchemaDoesNotKnowAreKeptInExtraWithTheirNesting() throws IOException {
        String frame = withData("topics-channel.tips.json",
                "{\"_id\":\"6a00000000000000000000f1\",\"newTopLevel\":[1,2],"
                        + "\"donation\":{\"amount\":1,\"user\":{\"username\":\"u\",\"avatar\":\"x.png\"}}}");
        Struct value = (Struct) map(frame, ValueFormat.TYPED, false).value();
        assertEquals(1.0, value.getStruct("data").getStruct("donation").getFloat64("amount"));
        assertEquals(JSON.readTree("{\"newTopLevel\":[1,2],\"donation\":{\"user\":{\"avatar\":\"x.png\"}}}"),
                JSON.readTree(value.getString("extra")));
    }

    @Test
    void aPayloadOfTheWrongTypeIsKeptWholeAsTextAndCounted() throws IOException {
        String frame = withData("topics-channel.tips.json",
                "{\"_id\":\"6a00000000000000000000f1\",\"donation\":{\"amount\":\"5.50\","
                        + "\"user\":{\"username\":\"u\",\"email\":\"e@example.invalid\"}}}");
        SourceRecord record = map(frame, ValueFormat.TYPED, false);
        Struct value = (Struct) record.value();
        value.validate();
        assertNull(value.get("data"));
        assertEquals(JSON.readTree("{\"_id\":\"6a00000000000000000000f1\",\"donation\":{\"amount\":\"5.50\","
                + "\"user\":{\"username\":\"u\"}}}"), JSON.readTree(value.getString("raw")),
                "kept whole but for the personal data");
        String reason = "data.donation.amount: expected a number, got string";
        assertEquals(reason, header(record, NotificationRecords.HEADER_MISFIT));
        assertEquals(List.of("channel.tips:" + CHANNEL + ": " + reason), misfits);
    }

    @Test
    void wholeNumbersMayBeWrittenWithAFractionButNotHaveOne() throws IOException {
        String whole = withData("topics-channel.activities-follow.json",
                "{\"sessionEventsCount\":3.0,\"data\":{\"items\":[{\"name\":\"mug\",\"quantity\":2}]}}");
        Struct data = ((Struct) map(whole, ValueFormat.TYPED, false).value()).getStruct("data");
        assertEquals(3L, data.getInt64("sessionEventsCount"));
        assertEquals(JSON.readTree("[{\"name\":\"mug\",\"quantity\":2}]"),
                JSON.readTree(data.getStruct("data").getString("items")), "kept as JSON text");

        SourceRecord fraction = map(withData("topics-channel.activities-follow.json", "{\"sessionEventsCount\":3.5}"),
                ValueFormat.TYPED, false);
        assertEquals("data.sessionEventsCount: expected a whole number, got number",
                header(fraction, NotificationRecords.HEADER_MISFIT));
    }

    @Test
    void aTimeWithoutAnOffsetDoesNotFit() throws IOException {
        SourceRecord record = map(withData("topics-channel.tips.json", "{\"createdAt\":\"2026-01-10T18:04:58\"}"),
                ValueFormat.TYPED, false);
        assertEquals("data.createdAt: expected an RFC 3339 time with an offset",
                header(record, NotificationRecords.HEADER_MISFIT));
    }

    @Test
    void jsonConverterWritesAmountsAsNumbersAndTimesAsEpochMillis() throws IOException {
        SourceRecord record = typed("topics-channel.tips.json");
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), false);
        JsonNode json = JSON.readTree(converter.fromConnectData(record.topic(), record.valueSchema(),
                record.value()));
        assertTrue(json.path("data").path("donation").path("amount").isNumber(), json.toString());
        assertEquals(Instant.parse("2026-01-10T18:04:58.000Z").toEpochMilli(),
                json.path("data").path("createdAt").asLong());
        assertTrue(json.path("data").path("donation").path("user").path("email").isNull());
    }

    /** The example with another {@code data} object. */
    private static String withData(String example, String data) throws IOException {
        ObjectNode frame = (ObjectNode) JSON.readTree(DocumentExamples.text(example));
        frame.set("data", JSON.readTree(data));
        return frame.toString();
    }

    @Test
    void aCreatedAtBeyondWhatATimestampHoldsIsAMisfitNotAFailure() {
        String frame = DocumentExamples.text("topics-channel.tips.json")
                .replace("\"createdAt\":\"2026-01-10T18:04:58.000Z\"", "\"createdAt\":\"+999999999-12-31T23:59:59Z\"");
        SourceRecord record = map(frame, ValueFormat.TYPED, false);
        ((Struct) record.value()).validate();
        assertTrue(header(record, NotificationRecords.HEADER_MISFIT).contains("createdAt"));
        assertTrue(((Struct) record.value()).getString("raw").contains("+999999999"));
        assertEquals(1, misfits.size());
    }

    private static String header(SourceRecord record, String name) {
        Header header = record.headers().lastWithName(name);
        return header == null ? null : (String) header.value();
    }
}
