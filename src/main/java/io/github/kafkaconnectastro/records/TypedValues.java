package io.github.kafkaconnectastro.records;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.TextCache;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

import java.io.IOException;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Record values of {@code astro.value.format=typed}: per documented topic, the envelope with the payload as a
 * struct ({@link TopicSchemas}). A payload that does not fit is kept whole, as text in the same schema's
 * {@code raw} field: writing it with the raw schema instead would put a second schema on the Kafka topic, which a
 * registry's compatibility check refuses, failing the task.
 */
final class TypedValues {

    static final String FIELD_RAW = "raw";
    static final String FIELD_EXTRA = "extra";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A value and, when the payload did not fit its schema, why. */
    record Value(Schema schema, Struct struct, String misfit) {
    }

    private final boolean includePersonal;
    /** Short payload texts that repeat (provider, currency, ...), shared by the threads that read payloads. */
    private final TextCache texts = new TextCache();

    boolean includePersonal() {
        return includePersonal;
    }

    TextCache texts() {
        return texts;
    }

    TypedValues(boolean includePersonal) {
        this.includePersonal = includePersonal;
    }

    /** The envelope schema of a topic that has a payload shape. */
    static Schema envelope(String topic, PayloadSchema payload) {
        return SchemaBuilder.struct()
                .name(TopicSchemas.valueSchemaName(topic))
                .version(1)
                .doc("One notification on the Astro topic " + topic + ", its payload typed.")
                .field(NotificationRecords.FIELD_ID, SchemaBuilder.string()
                        .doc("The notification's ULID: one delivery, not the event (see astro.event.id).").build())
                .field(NotificationRecords.FIELD_TS, Timestamp.builder()
                        .doc("When the gateway stamped the notification.").build())
                .field(NotificationRecords.FIELD_TOPIC, SchemaBuilder.string().doc("The Astro topic.").build())
                .field(NotificationRecords.FIELD_ROOM, SchemaBuilder.string()
                        .doc("The room (channel id) the notification is for.").build())
                .field(NotificationRecords.FIELD_TYPE, SchemaBuilder.string().optional()
                        .doc("data.type when present: the activity kind on channel.activities.").build())
                .field(NotificationRecords.FIELD_DATA, payload.schema())
                .field(FIELD_RAW, SchemaBuilder.string().optional()
                        .doc("The payload as JSON text when it did not fit data's schema (header "
                                + NotificationRecords.HEADER_MISFIT + " says why); null otherwise.").build())
                .field(FIELD_EXTRA, SchemaBuilder.string().optional()
                        .doc("The payload's fields data's schema does not know, as a JSON object with their "
                                + "nesting; null when there are none.").build())
                .build();
    }

    /** The envelope of each topic with a payload shape, made once: schemas are immutable, so shared by threads. */
    private static final Map<String, Envelope> ENVELOPES = new ConcurrentHashMap<>();

    /** {@link #envelope}, made once per topic, with the fields to put values by. */
    static Envelope envelopeOf(String topic, PayloadSchema payload) {
        return ENVELOPES.computeIfAbsent(topic, t -> Envelope.of(envelope(t, payload)));
    }

    /** @param schema {@link #envelope} of the notification's topic and {@code payload} */
    Value value(AstroMessage.Notification n, String room, PayloadSchema payload, Schema schema) {
        Struct struct = new Struct(schema)
                .put(NotificationRecords.FIELD_ID, n.id())
                .put(NotificationRecords.FIELD_TS, Date.from(n.ts()))
                .put(NotificationRecords.FIELD_TOPIC, n.topic())
                .put(NotificationRecords.FIELD_ROOM, room)
                .put(NotificationRecords.FIELD_TYPE, n.dataType());
        return new Value(schema, struct, payloadInto(struct, n.dataJson(), payload));
    }

    /**
     * Reads the payload text into an envelope's {@code data} (and {@code extra}), or, when it does not fit, keeps
     * it in {@code raw}.
     *
     * @return why the payload did not fit, or null
     */
    String payloadInto(Struct struct, String dataJson, PayloadSchema payload) {
        if (dataJson == null) {
            return null;
        }
        try (JsonParser parser = MAPPER.createParser(dataJson)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                struct.put(FIELD_RAW, dataJson);
                return "data: expected an object";
            }
            PayloadSchema.Extra extra = new PayloadSchema.Extra();
            // Put in empty, so that it is not validated again, whole, as the envelope takes it (PayloadSchema.readInto).
            Struct data = new Struct(payload.schema());
            struct.put(NotificationRecords.FIELD_DATA, data);
            payload.readInto(data, parser, dataJson, includePersonal, extra, texts);
            struct.put(FIELD_EXTRA, extra.text());
            return null;
        } catch (PayloadMisfit misfit) {
            struct.put(NotificationRecords.FIELD_DATA, null);
            struct.put(FIELD_RAW, rawText(dataJson, payload));
            return misfit.within(NotificationRecords.FIELD_DATA).getMessage();
        } catch (IOException e) {
            // The codec has read this text as JSON already; keep it whole rather than lose it.
            struct.put(NotificationRecords.FIELD_DATA, null);
            struct.put(FIELD_RAW, rawText(dataJson, payload));
            return "data: not readable as JSON";
        }
    }

    /**
     * The payload as text for the raw shape, without its personal fields unless they are asked for: parsed and
     * written again only for topics that have such fields.
     */
    String rawText(String dataJson, PayloadSchema payload) {
        if (dataJson == null || includePersonal || payload == null || !payload.hasPersonalData()) {
            return dataJson;
        }
        try {
            JsonNode tree = MAPPER.readTree(dataJson);
            if (tree instanceof ObjectNode object) {
                payload.removePersonal(object);
                return object.toString();
            }
            return dataJson;
        } catch (JsonProcessingException e) {
            return dataJson;
        }
    }
}
