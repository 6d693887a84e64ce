package io.github.kafkaconnectastro.records;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import io.github.kafkaconnectastro.protocol.PayloadReader;
import io.github.kafkaconnectastro.protocol.Rfc3339;
import io.github.kafkaconnectastro.protocol.TextCache;
import org.apache.kafka.connect.data.Struct;

import java.io.IOException;
import java.util.Date;

/**
 * Makes each notification's record value ({@link ReadPayload}) in the codec's one pass over the frame, on the
 * socket's reader thread, so that {@code poll()} does no JSON work: with {@code astro.value.format=typed}, the
 * payload's fields go straight into the topic's struct as the codec tokenizes them; a payload that does not fit
 * goes to {@code raw} with the misfit's reason, as {@link NotificationRecords} maps it. With {@code raw}, the
 * payload's text is cut from the frame (without its personal fields unless they are asked for: parsed again, on
 * the reader, for the topics that have such fields). Thread-safe: each reading is the reader's own.
 */
public final class PayloadReading implements PayloadReader {

    private static final String CREATED_AT = "createdAt";

    private final ValueFormat format;
    private final TypedValues typed;

    /** The same value format and personal-data choice as the task's {@link NotificationRecords}. */
    public PayloadReading(ValueFormat format, boolean includePersonalData) {
        this.format = format;
        this.typed = new TypedValues(includePersonalData);
    }

    @Override
    public TextCache texts() {
        return typed.texts();
    }

    @Override
    public Reading start(String topic) {
        PayloadSchema payload = TopicSchemas.of(topic);
        if (format == ValueFormat.TYPED && payload != null) {
            return new Typed(TypedValues.envelopeOf(topic, payload), payload);
        }
        return new Raw(payload);
    }

    @Override
    public Prepared fromText(String topic, String dataJson, String createdAt) {
        PayloadSchema payload = topic == null ? null : TopicSchemas.of(topic);
        if (format == ValueFormat.TYPED && payload != null) {
            Envelope envelope = TypedValues.envelopeOf(topic, payload);
            Struct value = new Struct(envelope.schema());
            String misfit = typed.payloadInto(value, dataJson, payload);
            return new ReadPayload(envelope, value, misfit, Rfc3339.epochMsOrUnknown(createdAt));
        }
        return raw(typed.rawText(dataJson, payload), createdAt);
    }

    private static ReadPayload raw(String text, String createdAt) {
        Struct value = new Struct(Envelope.RAW.schema()).put(Envelope.RAW.data(), text);
        return new ReadPayload(Envelope.RAW, value, null, Rfc3339.epochMsOrUnknown(createdAt));
    }

    /** A typed payload, read into the envelope's {@code data} field by field. */
    private final class Typed implements Reading {
        private final Envelope envelope;
        private final PayloadSchema payload;
        private final Struct value;
        private final Struct data;
        private final PayloadSchema.Extra extra = new PayloadSchema.Extra();
        private String createdAt;
        private String misfit;

        Typed(Envelope envelope, PayloadSchema payload) {
            this.envelope = envelope;
            this.payload = payload;
            this.value = new Struct(envelope.schema());
            this.data = new Struct(payload.schema());
            // Put in empty, so that it is not validated again, whole, as the envelope takes it.
            value.put(envelope.data(), data);
        }

        @Override
        public void field(String name, JsonToken token, JsonParser parser, String frame) throws IOException {
            if (token == JsonToken.VALUE_STRING && CREATED_AT.equals(name)) {
                createdAt = parser.getText();
            }
            if (misfit != null) {
                parser.skipChildren();
                return;
            }
            // The object the field is in: a value that starts an object or array has its own context.
            JsonStreamContext object = token.isStructStart() ? parser.getParsingContext().getParent()
                    : parser.getParsingContext();
            try {
                payload.readField(data, name, token, parser, frame, typed.includePersonal(), extra, typed.texts());
            } catch (PayloadMisfit e) {
                misfit = e.within(NotificationRecords.FIELD_DATA).getMessage();
                skipTo(parser, object);
            } catch (RuntimeException e) {
                // A value Connect refuses: the payload is kept whole in raw rather than lost.
                misfit = "data." + name + ": not a value its schema takes";
                skipTo(parser, object);
            }
        }

        @Override
        public Prepared finish(String frame, int start, int end) {
            long createdAtMs;
            if (misfit == null) {
                value.put(envelope.extra(), extra.text());
                createdAtMs = data.schema().field(CREATED_AT) != null && data.get(CREATED_AT) instanceof Date date
                        ? date.getTime() : Rfc3339.epochMsOrUnknown(createdAt);
            } else {
                value.put(envelope.data(), null);
                value.put(envelope.raw(), typed.rawText(frame.substring(start, end), payload));
                createdAtMs = Rfc3339.epochMsOrUnknown(createdAt);
            }
            return new ReadPayload(envelope, value, misfit, createdAtMs);
        }
    }

    /** Skips the rest of a value whose reading stopped part way, up to its end in {@code object}. */
    private static void skipTo(JsonParser parser, JsonStreamContext object) throws IOException {
        while (parser.getParsingContext() != object && parser.nextToken() != null) {
            // Each token is consumed until the value's last one closes back into the object.
        }
    }

    /** A raw payload: its text, cut from the frame at its end. */
    private final class Raw implements Reading {
        private final PayloadSchema payload;
        private String createdAt;

        Raw(PayloadSchema payload) {
            this.payload = payload;
        }

        @Override
        public void field(String name, JsonToken token, JsonParser parser, String frame) throws IOException {
            if (token == JsonToken.VALUE_STRING && CREATED_AT.equals(name)) {
                createdAt = parser.getText();
            } else if (token.isStructStart()) {
                parser.skipChildren();
            }
        }

        @Override
        public Prepared finish(String frame, int start, int end) {
            return raw(typed.rawText(frame.substring(start, end), payload), createdAt);
        }
    }
}
