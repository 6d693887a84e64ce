package io.github.kafkaconnectastro.records;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kafkaconnectastro.config.AstroAdvancedConfig;
import io.github.kafkaconnectastro.offsets.SourceOffsets;
import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.DocumentExamples;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The payload read once, on the reader thread, in the codec's pass ({@link PayloadReading}): the records are the
 * same as those mapped from the payload's text in {@code poll()}, the old way, for every documented topic, both
 * value formats and either personal-data choice; whatever the order of the frame's fields; and for payloads that
 * do not fit.
 */
class PayloadReadingTest {

    private static final int DEPTH = AstroAdvancedConfig.JSON_MAX_NESTING_DEPTH.defaultValue();
    private static final String CHANNEL = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> misfits = new ArrayList<>();

    static Stream<String> topicExamples() throws IOException, URISyntaxException {
        return TypedRecordsTest.topicExamples();
    }

    /** The record as the task made it before: the codec keeps the text, and the mapping reads it. */
    private SourceRecord fromText(String frame, ValueFormat format, boolean personal) {
        AstroMessage.Notification n = (AstroMessage.Notification) new AstroCodec(DEPTH).decode(frame);
        assertNull(n.payload());
        return map(Delivery.routed(subscription(n), room(n), n), format, personal);
    }

    /** The record as the task makes it now: read in the codec's pass, routed on the reader, then mapped. */
    private SourceRecord readOnce(String frame, ValueFormat format, boolean personal) {
        Delivery delivery = routed(frame, format, personal);
        return map(delivery, format, personal);
    }

    private static Delivery routed(String frame, ValueFormat format, boolean personal) {
        AstroMessage.Notification n = (AstroMessage.Notification)
                new AstroCodec(DEPTH, new PayloadReading(format, personal)).decode(frame);
        assertInstanceOf(ReadPayload.class, n.payload());
        return Delivery.routed(subscription(n), room(n), n);
    }

    private SourceRecord map(Delivery delivery, ValueFormat format, boolean personal) {
        AstroMessage.Notification n = delivery.notification();
        return new NotificationRecords(new TopicNamer("astro.${topic}"), format, personal,
                (pair, reason) -> misfits.add(pair + ": " + reason), () -> 1_000_000_000_000_000L)
                .toRecord(delivery, SourceOffsets.offset(n.id(), n.ts().toString(), n.id()));
    }

    private static String room(AstroMessage.Notification n) {
        return n.room() == null ? CHANNEL : n.room();
    }

    private static Subscription subscription(AstroMessage.Notification n) {
        return new Subscription(n.topic(), room(n));
    }

    private void assertSameRecords(String frame) {
        for (ValueFormat format : ValueFormat.values()) {
            for (boolean personal : new boolean[] {false, true}) {
                misfits.clear();
                SourceRecord expected = fromText(frame, format, personal);
                List<String> expectedMisfits = List.copyOf(misfits);
                misfits.clear();
                SourceRecord actual = readOnce(frame, format, personal);
                String what = format + (personal ? ", personal data included" : "");
                assertEquals(expected.valueSchema(), actual.valueSchema(), what);
                assertEquals(expected.value(), actual.value(), what);
                ((Struct) actual.value()).validate();
                assertEquals(expected.topic(), actual.topic(), what);
                assertEquals(expected.key(), actual.key(), what);
                assertEquals(expected.timestamp(), actual.timestamp(), what);
                assertEquals(headers(expected), headers(actual), what);
                assertEquals(expectedMisfits, misfits, what);
            }
        }
    }

    private static List<String> headers(SourceRecord record) {
        List<String> headers = new ArrayList<>();
        for (Iterator<Header> it = record.headers().iterator(); it.hasNext(); ) {
            Header header = it.next();
            headers.add(header.key() + "=" + header.value() + " (" + header.schema() + ")");
        }
        return headers;
    }

    @ParameterizedTest
    @MethodSource("topicExamples")
    void everyDocumentedPayloadReadOnceMakesTheRecordItsTextMade(String example) {
        assertSameRecords(DocumentExamples.text(example));
    }

    @ParameterizedTest
    @MethodSource("topicExamples")
    void aTopicAfterItsDataIsReadFromTheDataTextOnTheReader(String example) throws IOException {
        ObjectNode frame = (ObjectNode) JSON.readTree(DocumentExamples.text(example));
        String topic = frame.remove("topic").asText();
        frame.put("topic", topic);
        String text = frame.toString();
        assertTrue(text.indexOf("\"topic\"") > text.indexOf("\"data\""), text);
        assertSameRecords(text);
        Delivery delivery = routed(text, ValueFormat.TYPED, false);
        assertNotNull(delivery.notification().dataJson(), "the rare order keeps the text to read it once the topic is known");
    }

    @Test
    void aMisfitInANestedObjectGoesToRawWithItsHeaderAndTheFieldsAfterItAreStillRead() {
        // The misfit is in donation, before _id and createdAt: the reading must skip the rest of donation only.
        String frame = "{\"id\":\"01K0000000000000000000000C\",\"ts\":\"2026-01-10T18:05:02Z\",\"type\":\"message\","
                + "\"topic\":\"channel.tips\",\"room\":\"" + CHANNEL + "\",\"data\":{\"donation\":{\"amount\":\"lots\","
                + "\"user\":{\"username\":\"donor_one\",\"email\":\"donor@example.invalid\"},\"currency\":\"EUR\"},"
                + "\"_id\":\"6a00000000000000000000f1\",\"createdAt\":\"2026-01-10T18:04:58.000Z\"}}";
        assertSameRecords(frame);
        misfits.clear();
        SourceRecord record = readOnce(frame, ValueFormat.TYPED, false);
        Struct value = (Struct) record.value();
        assertNull(value.get("data"));
        assertTrue(value.getString("raw").contains("\"lots\""), value.getString("raw"));
        assertFalse(value.getString("raw").contains("donor@example.invalid"), "personal data stays out of raw");
        assertEquals("data.donation.amount: expected a number, got string",
                record.headers().lastWithName(NotificationRecords.HEADER_MISFIT).value());
        assertEquals("6a00000000000000000000f1",
                record.headers().lastWithName(NotificationRecords.HEADER_EVENT_ID).value());
        assertEquals(1, misfits.size());
        assertEquals(java.time.Instant.parse("2026-01-10T18:04:58Z").toEpochMilli(),
                routed(frame, ValueFormat.TYPED, false).createdAtMs());
    }

    @Test
    void aPayloadThatIsNotAnObjectOrIsMissingMapsAsBefore() {
        String head = "{\"id\":\"01K0000000000000000000000C\",\"ts\":\"2026-01-10T18:05:02Z\",\"type\":\"message\","
                + "\"topic\":\"channel.tips\",\"room\":\"" + CHANNEL + "\"";
        assertSameRecords(head + ",\"data\":[1,2]}");
        assertSameRecords(head + ",\"data\":7}");
        assertSameRecords(head + ",\"data\":null}");
        assertSameRecords(head + "}");
        assertSameRecords(head.replace("channel.tips", "channel.unknown.topic") + ",\"data\":{\"a\":1}}");
    }

    /**
     * A repeated key counts by its last occurrence, as in the text's reading: a second {@code topic} after the data
     * was read for the first, and a second {@code data} of another shape (the fuzzing found both).
     */
    @Test
    void aRepeatedTopicOrDataCountsByItsLastOccurrenceAsInTheText() {
        String head = "{\"id\":\"01K0000000000000000000000C\",\"ts\":\"2026-01-10T18:05:02Z\",\"type\":\"message\","
                + "\"room\":\"" + CHANNEL + "\",";
        String tip = "{\"donation\":{\"amount\":5,\"currency\":\"EUR\"},\"_id\":\"6a00000000000000000000f1\"}";
        assertSameRecords(head + "\"topic\":\"channel.tips\",\"data\":" + tip + ",\"topic\":\"channel.unknown.topic\"}");
        assertSameRecords(head + "\"topic\":\"channel.unknown.topic\",\"data\":" + tip + ",\"topic\":\"channel.tips\"}");
        assertSameRecords(head + "\"topic\":\"channel.tips\",\"data\":" + tip + ",\"data\":[1,2]}");
        assertSameRecords(head + "\"topic\":\"channel.tips\",\"data\":[1,2],\"data\":" + tip + "}");
        assertEquals("ChannelTips", readOnce(head + "\"topic\":\"channel.unknown.topic\",\"data\":" + tip
                + ",\"topic\":\"channel.tips\"}", ValueFormat.TYPED, false).valueSchema().name()
                .replaceAll(".*\\.", ""));
    }

    @Test
    void rawValuesKeepThePayloadTextWithoutItsPersonalFields() {
        String frame = DocumentExamples.text("topics-channel.tips.json");
        SourceRecord record = readOnce(frame, ValueFormat.RAW, false);
        assertEquals(NotificationRecords.RAW_VALUE_SCHEMA, record.valueSchema());
        String data = ((Struct) record.value()).getString("data");
        assertTrue(data.contains("donor_one") && !data.contains("donor@example.invalid"), data);
        String activity = DocumentExamples.text("topics-channel.activities-tip.json");
        Delivery delivery = routed(activity, ValueFormat.RAW, false);
        String text = ((Struct) map(delivery, ValueFormat.RAW, false).value()).getString("data");
        assertTrue(activity.contains(text), "the payload's text as the gateway sent it: " + text);
    }

    /**
     * poll() does no JSON work: the delivery it gets carries no payload text at all, in either format, so there
     * is nothing to tokenize; the record's value is the one the reader thread made.
     */
    @Test
    void theTaskMapsAReadDeliveryWithoutAnyPayloadText() {
        String frame = DocumentExamples.text("topics-channel.tips.json");
        for (ValueFormat format : ValueFormat.values()) {
            Delivery delivery = routed(frame, format, false);
            assertNull(delivery.notification().dataJson(), format + ": no text left to parse");
            ReadPayload read = (ReadPayload) delivery.notification().payload();
            SourceRecord record = map(delivery, format, false);
            assertTrue(read.value() == record.value(), format + ": the reader's struct, not a new one");
        }
        Struct value = (Struct) map(routed(frame, ValueFormat.TYPED, false), ValueFormat.TYPED, false).value();
        assertEquals(5.5, value.getStruct("data").getStruct("donation").getFloat64("amount"));
    }

    @Test
    void aReadDeliveryIsEstimatedAtMoreThanItsTextAndItsPayloadStruct() {
        String frame = DocumentExamples.text("topics-channel.tips.json");
        AstroMessage.Notification text = (AstroMessage.Notification) new AstroCodec(DEPTH).decode(frame);
        int textEstimate = new Delivery(subscription(text), room(text), text).estimatedBytes();
        Delivery typed = routed(frame, ValueFormat.TYPED, true);
        ReadPayload read = (ReadPayload) typed.notification().payload();
        // Each of the struct's strings, at two bytes a character and 40 of its own, and its structs and boxes.
        int strings = 0;
        for (String s : new String[] {"6a00000000000000000000f1", CHANNEL, "paypal", "allowed", "success",
                "TXN-PLACEHOLDER-1", "EUR", "hello", "scheme", "donor_one", "donor@example.invalid", "ZZ", CHANNEL}) {
            strings += 40 + 2 * s.length();
        }
        assertTrue(read.estimatedBytes() >= strings + 3 * 40, "estimate " + read.estimatedBytes());
        assertTrue(typed.estimatedBytes() >= text.frameBytes() + read.estimatedBytes());
        assertTrue(typed.estimatedBytes() > textEstimate, typed.estimatedBytes() + " vs " + textEstimate);
        Delivery raw = routed(frame, ValueFormat.RAW, true);
        String data = ((ReadPayload) raw.notification().payload()).value().getString("data");
        assertTrue(raw.estimatedBytes() >= text.frameBytes() + 2 * data.length());
    }
}
