package io.github.kafkaconnectastro.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

import java.util.Date;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

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
    private final Map<String, Schema> envelopes = new HashMap<>();

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

    Value value(AstroMessage.Notification n, String room, PayloadSchema payload) {
        Schema schema = envelopes.computeIfAbsent(n.topic(), topic -> envelope(topic, payload));
        Struct struct = new Struct(schema)
                .put(NotificationRecords.FIELD_ID, n.id())
                .put(NotificationRecords.FIELD_TS, Date.from(n.ts()))
                .put(NotificationRecords.FIELD_TOPIC, n.topic())
                .put(NotificationRecords.FIELD_ROOM, room)
                .put(NotificationRecords.FIELD_TYPE, n.dataType());
        if (n.dataJson() == null) {
            return new Value(schema, struct, null);
        }
        ObjectNode data;
        try {
            JsonNode tree = MAPPER.readTree(n.dataJson());
            if (!(tree instanceof ObjectNode object)) {
                struct.put(FIELD_RAW, n.dataJson());
                return new Value(schema, struct, "data: expected an object, got "
                        + tree.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            data = object;
        } catch (JsonProcessingException e) {
            // The codec has read this text as JSON already; keep it whole rather than lose it.
            struct.put(FIELD_RAW, n.dataJson());
            return new Value(schema, struct, "data: not readable as JSON");
        }
        ObjectNode extra = JsonNodeFactory.instance.objectNode();
        try {
            struct.put(NotificationRecords.FIELD_DATA, payload.read(data, "data", includePersonal, extra));
        } catch (PayloadMisfit misfit) {
            if (!includePersonal) {
                payload.removePersonal(data);
            }
            struct.put(FIELD_RAW, data.toString());
            return new Value(schema, struct, misfit.getMessage());
        }
        if (!extra.isEmpty()) {
            struct.put(FIELD_EXTRA, extra.toString());
        }
        return new Value(schema, struct, null);
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
