package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.fuzz.FuzzRun;
import io.github.kafkaconnectastro.fuzz.RandomJson;
import io.github.kafkaconnectastro.fuzz.SeedFrames;
import io.github.kafkaconnectastro.offsets.SourceOffsets;
import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The codec with a {@link PayloadReading} fed mutated real frames and random frames (docs/fuzzing.md's inputs): it
 * never throws, it reads every frame as the codec without a reader does (the same kind of message, the same
 * malformed reason), and each notification's record is the one mapped from its text, in both value formats.
 */
class PayloadReadingFuzzTest {

    private static final int DEPTH = 64;
    private static final AstroCodec TEXT = new AstroCodec(DEPTH);
    private static final AstroCodec[] READING = {
        new AstroCodec(DEPTH, new PayloadReading(ValueFormat.TYPED, false)),
        new AstroCodec(DEPTH, new PayloadReading(ValueFormat.RAW, false)),
        new AstroCodec(DEPTH, new PayloadReading(ValueFormat.TYPED, true))
    };

    @Test
    void mutatedRealFramesMapAsFromTheirText() {
        Map<String, Long> outcomes = FuzzRun.checkText("payload reading: mutated real frames", 1_500,
                SeedFrames::mutated, PayloadReadingFuzzTest::readsAsText);
        FuzzRun.assertReached(outcomes, "Notification");
    }

    @Test
    void randomFramesMapAsFromTheirText() {
        FuzzRun.checkText("payload reading: random frames", 600, RandomJson::frame,
                PayloadReadingFuzzTest::readsAsText);
    }

    private static String readsAsText(String frame) {
        AstroMessage expected = TEXT.decode(frame);
        for (AstroCodec codec : READING) {
            AstroMessage actual = codec.decode(frame);
            assertEquals(expected.getClass(), actual.getClass(), "the kind of message");
            if (expected instanceof AstroMessage.Notification text) {
                sameRecord(text, (AstroMessage.Notification) actual, codec == READING[1] ? ValueFormat.RAW
                        : ValueFormat.TYPED, codec == READING[2]);
            } else {
                assertEquals(expected, actual);
            }
        }
        return expected.getClass().getSimpleName();
    }

    private static void sameRecord(AstroMessage.Notification text, AstroMessage.Notification read, ValueFormat format,
                                   boolean personal) {
        assertInstanceOf(ReadPayload.class, read.payload());
        assertEquals(text.id(), read.id());
        assertEquals(text.topic(), read.topic());
        assertEquals(text.room(), read.room());
        assertEquals(text.dataType(), read.dataType());
        assertEquals(text.eventId(), read.eventId());
        assertEquals(text.createdAt(), read.createdAt());
        String room = text.room() == null ? "own" : text.room();
        Subscription subscription = new Subscription(text.topic(), room);
        // A frame without ts is stamped when decoded: the read one gets the text one's.
        AstroMessage.Notification readStamped = new AstroMessage.Notification(read.id(), text.ts(), read.topic(),
                read.room(), read.dataType(), read.eventId(), read.dataJson(), read.frameBytes(), read.createdAt(),
                read.payload());
        Delivery fromText = Delivery.routed(subscription, room, text);
        Delivery once = Delivery.routed(subscription, room, readStamped);
        assertEquals(fromText.createdAtMs(), once.createdAtMs());
        SourceRecord expected = map(fromText, format, personal);
        SourceRecord actual = map(once, format, personal);
        assertEquals(expected.valueSchema(), actual.valueSchema());
        assertEquals(expected.value(), actual.value());
        ((Struct) actual.value()).validate();
        assertEquals(expected.headers(), actual.headers());
    }

    private static SourceRecord map(Delivery delivery, ValueFormat format, boolean personal) {
        AstroMessage.Notification n = delivery.notification();
        return new NotificationRecords(new TopicNamer("astro.${topic}"), format, personal, (pair, reason) -> { },
                () -> 1_000_000_000_000_000L)
                .toRecord(delivery, SourceOffsets.offset(n.id(), null, null));
    }
}
