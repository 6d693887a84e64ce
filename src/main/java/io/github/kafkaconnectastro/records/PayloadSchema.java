package io.github.kafkaconnectastro.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The shape of one JSON object of a payload as a Connect struct: named fields, all optional, of a few kinds. Field
 * names are the gateway's own ({@code _id} stays {@code _id}). Reading a JSON object keeps what the shape does not
 * know apart, so that nothing is lost, and refuses a value of the wrong JSON type instead of guessing.
 */
final class PayloadSchema {

    /** How a JSON value becomes a Connect value. */
    enum Kind {
        STRING, INT64, FLOAT64, BOOLEAN,
        /** An RFC 3339 / ISO 8601 text with an offset, as a Connect {@link Timestamp}. */
        TIMESTAMP,
        /** Any JSON value, kept as its JSON text: for parts whose shape varies (per key, per platform). */
        JSON,
        STRUCT
    }

    private record Field(String name, Kind kind, PayloadSchema nested, boolean personal) {
    }

    private final Schema schema;
    private final Map<String, Field> fields;
    private final boolean personalData;

    private PayloadSchema(Schema schema, Map<String, Field> fields) {
        this.schema = schema;
        this.fields = fields;
        this.personalData = fields.values().stream()
                .anyMatch(f -> f.personal || (f.nested != null && f.nested.personalData));
    }

    static Builder struct(String name, String doc) {
        return new Builder(name, doc);
    }

    Schema schema() {
        return schema;
    }

    /** Whether any field, here or nested, holds personal data. */
    boolean hasPersonalData() {
        return personalData;
    }

    /**
     * @param extra receives the fields of {@code object} this shape does not know, with their nesting
     * @param path  where {@code object} is in the payload, for the misfit's reason
     * @throws PayloadMisfit when a known field holds a JSON value of another type than its kind
     */
    Struct read(ObjectNode object, String path, boolean includePersonal, ObjectNode extra) throws PayloadMisfit {
        Struct struct = new Struct(schema);
        Iterator<Map.Entry<String, JsonNode>> entries = object.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            Field field = fields.get(entry.getKey());
            JsonNode value = entry.getValue();
            if (field == null) {
                extra.set(entry.getKey(), value);
            } else if (!value.isNull() && (includePersonal || !field.personal)) {
                struct.put(field.name, convert(field, value, path, includePersonal, extra));
            }
        }
        return struct;
    }

    private static Object convert(Field field, JsonNode value, String path, boolean includePersonal,
                                  ObjectNode extra) throws PayloadMisfit {
        switch (field.kind) {
            case STRING:
                if (value.isTextual()) {
                    return value.textValue();
                }
                break;
            case INT64:
                if (value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToLong()) {
                    return value.longValue();
                }
                break;
            case FLOAT64:
                if (value.isNumber()) {
                    return value.doubleValue();
                }
                break;
            case BOOLEAN:
                if (value.isBoolean()) {
                    return value.booleanValue();
                }
                break;
            case TIMESTAMP:
                if (value.isTextual()) {
                    try {
                        return Date.from(Instant.from(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value.textValue())));
                    } catch (DateTimeParseException e) {
                        throw new PayloadMisfit(path + "." + field.name + ": expected an ISO 8601 time with an offset");
                    }
                }
                break;
            case JSON:
                return value.toString();
            case STRUCT:
                if (value.isObject()) {
                    ObjectNode nestedExtra = JsonNodeFactory.instance.objectNode();
                    Struct nested = field.nested.read((ObjectNode) value, path + "." + field.name, includePersonal,
                            nestedExtra);
                    if (!nestedExtra.isEmpty()) {
                        extra.set(field.name, nestedExtra);
                    }
                    return nested;
                }
                break;
            default:
                throw new IllegalStateException("unhandled kind " + field.kind);
        }
        throw new PayloadMisfit(path + "." + field.name + ": expected " + expected(field.kind) + ", got "
                + value.getNodeType().name().toLowerCase(Locale.ROOT));
    }

    private static String expected(Kind kind) {
        return switch (kind) {
            case STRING, TIMESTAMP -> "a string";
            case INT64 -> "a whole number";
            case FLOAT64 -> "a number";
            case BOOLEAN -> "a boolean";
            case STRUCT -> "an object";
            case JSON -> "any JSON";
        };
    }

    /** Removes this shape's personal fields from {@code object}, nested ones too: for payloads written as text. */
    void removePersonal(ObjectNode object) {
        for (Field field : fields.values()) {
            if (field.personal) {
                object.remove(field.name);
            } else if (field.nested != null && object.get(field.name) instanceof ObjectNode nested) {
                field.nested.removePersonal(nested);
            }
        }
    }

    /** Declares fields in the order the schema lists them. */
    static final class Builder {
        private final SchemaBuilder schema;
        private final Map<String, Field> fields = new LinkedHashMap<>();

        private Builder(String name, String doc) {
            this.schema = SchemaBuilder.struct().name(name).version(1).optional().doc(doc);
        }

        Builder string(String name, String doc) {
            return add(new Field(name, Kind.STRING, null, false), SchemaBuilder.string(), doc);
        }

        /** A string field that is personal data: left out unless {@code astro.personal.data=include}. */
        Builder personalString(String name, String doc) {
            return add(new Field(name, Kind.STRING, null, true), SchemaBuilder.string(), doc);
        }

        Builder int64(String name, String doc) {
            return add(new Field(name, Kind.INT64, null, false), SchemaBuilder.int64(), doc);
        }

        Builder float64(String name, String doc) {
            return add(new Field(name, Kind.FLOAT64, null, false), SchemaBuilder.float64(), doc);
        }

        Builder bool(String name, String doc) {
            return add(new Field(name, Kind.BOOLEAN, null, false), SchemaBuilder.bool(), doc);
        }

        Builder timestamp(String name, String doc) {
            return add(new Field(name, Kind.TIMESTAMP, null, false), Timestamp.builder(), doc);
        }

        Builder json(String name, String doc) {
            return add(new Field(name, Kind.JSON, null, false), SchemaBuilder.string(), doc + " As JSON text.");
        }

        Builder struct(String name, PayloadSchema nested) {
            fields.put(name, new Field(name, Kind.STRUCT, nested, false));
            schema.field(name, nested.schema());
            return this;
        }

        private Builder add(Field field, SchemaBuilder fieldSchema, String doc) {
            fields.put(field.name, field);
            schema.field(field.name, fieldSchema.optional().doc(doc).build());
            return this;
        }

        PayloadSchema build() {
            return new PayloadSchema(schema.build(), Map.copyOf(fields));
        }
    }
}
