package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.PayloadReader;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

import java.util.Date;

/**
 * A notification's record value, made on the socket's reader thread by {@link PayloadReading} as the codec reads
 * the frame: the typed envelope with its payload struct (or {@code raw} and the misfit's reason), or the raw
 * envelope with the payload's text. The notification's own fields go in when it is routed to its pair
 * ({@link Delivery#routed}), still on the reader; the buffer then hands it to {@code poll()}, which only reads it.
 */
public final class ReadPayload implements PayloadReader.Prepared {

    /** Bytes of a struct and its values array, beside what the values hold. */
    private static final int STRUCT_BYTES = 40;
    /** Bytes of a boxed number, a Date or a Boolean, and of a reference. */
    private static final int BOX_BYTES = 24;

    private final Envelope envelope;
    private final Struct value;
    private final String misfit;
    private final long createdAtMs;
    private final int payloadBytes;
    private boolean complete;

    ReadPayload(Envelope envelope, Struct value, String misfit, long createdAtMs) {
        this.envelope = envelope;
        this.value = value;
        this.misfit = misfit;
        this.createdAtMs = createdAtMs;
        this.payloadBytes = bytes(value) + BOX_BYTES * 2;
    }

    /** The value's schema: the topic's typed envelope, or {@link NotificationRecords#RAW_VALUE_SCHEMA}. */
    public Schema schema() {
        return envelope.schema();
    }

    /** The record value; complete once the notification was routed. */
    public Struct value() {
        return value;
    }

    /** Why the payload did not fit its schema (the record's {@value NotificationRecords#HEADER_MISFIT}), or null. */
    public String misfit() {
        return misfit;
    }

    @Override
    public long createdAtMs() {
        return createdAtMs;
    }

    /**
     * The payload's structs and texts, and the envelope's own fields (counted with the frame): Strings at two
     * bytes a character and 40 of their own, structs, boxes and dates at what their objects take.
     */
    @Override
    public int estimatedBytes() {
        return payloadBytes;
    }

    /** Puts the notification's own fields in; the room is the one it was routed to. Done once. */
    void complete(AstroMessage.Notification n, String room) {
        if (complete) {
            return;
        }
        value.put(envelope.id(), n.id())
                .put(envelope.ts(), Date.from(n.ts()))
                .put(envelope.topic(), n.topic())
                .put(envelope.room(), room)
                .put(envelope.type(), n.dataType());
        complete = true;
    }

    /** What a value holds on the heap, by the estimate above. */
    static int bytes(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof String text) {
            return 40 + 2 * text.length();
        }
        if (value instanceof Struct struct) {
            int bytes = STRUCT_BYTES + 4 * struct.schema().fields().size();
            for (Field field : struct.schema().fields()) {
                bytes += bytes(struct.get(field));
            }
            return bytes;
        }
        return BOX_BYTES;
    }
}
