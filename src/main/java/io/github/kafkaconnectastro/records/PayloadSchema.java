package io.github.kafkaconnectastro.records;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kafkaconnectastro.protocol.Rfc3339;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.HashMap;
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
        /** An RFC 3339 text with an offset, as a Connect {@link Timestamp}. */
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
     * Reads the JSON object the parser is at ({@link JsonToken#START_OBJECT}) straight into a struct, without
     * building a tree of it first: this runs for every typed record.
     *
     * @param source the text the parser reads, for values kept as JSON text
     * @param path   where the object is in the payload, for the misfit's reason
     * @param extra  receives the fields this shape does not know, with their nesting
     * @throws PayloadMisfit when a known field holds a JSON value of another type than its kind
     */
    Struct read(JsonParser parser, String source, String path, boolean includePersonal, Extra extra)
            throws IOException, PayloadMisfit {
        Struct struct = new Struct(schema);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            Field field = fields.get(name);
            if (field == null) {
                extra.set(name, parser.readValueAsTree());
            } else if (token == JsonToken.VALUE_NULL || (field.personal && !includePersonal)) {
                parser.skipChildren();
            } else {
                struct.put(field.name, convert(field, parser, token, source, path, includePersonal, extra));
            }
        }
        return struct;
    }

    private static Object convert(Field field, JsonParser parser, JsonToken token, String source, String path,
                                  boolean includePersonal, Extra extra) throws IOException, PayloadMisfit {
        switch (field.kind) {
            case STRING:
                if (token == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                break;
            case INT64:
                if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    return parser.getLongValue();
                }
                if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
                    Long whole = wholeNumber(parser.getDecimalValue());
                    if (whole != null) {
                        return whole;
                    }
                }
                break;
            case FLOAT64:
                if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                    return parser.getDoubleValue();
                }
                break;
            case BOOLEAN:
                if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                    return token == JsonToken.VALUE_TRUE;
                }
                break;
            case TIMESTAMP:
                if (token == JsonToken.VALUE_STRING) {
                    try {
                        return Date.from(Rfc3339.parse(parser.getText()));
                    } catch (DateTimeParseException e) {
                        throw new PayloadMisfit(path + "." + field.name + ": expected an RFC 3339 time with an offset");
                    }
                }
                break;
            case JSON:
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    parser.skipChildren();
                    return source.substring(start, (int) parser.currentLocation().getCharOffset());
                }
                return parser.readValueAsTree().toString();
            case STRUCT:
                if (token == JsonToken.START_OBJECT) {
                    Extra nestedExtra = new Extra();
                    Struct nested = field.nested.read(parser, source, path + "." + field.name, includePersonal,
                            nestedExtra);
                    if (nestedExtra.node != null) {
                        extra.set(field.name, nestedExtra.node);
                    }
                    return nested;
                }
                break;
            default:
                throw new IllegalStateException("unhandled kind " + field.kind);
        }
        throw new PayloadMisfit(path + "." + field.name + ": expected " + expected(field.kind) + ", got "
                + found(token));
    }

    private static Long wholeNumber(BigDecimal number) {
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static String found(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            default -> token.name().toLowerCase(Locale.ROOT);
        };
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

    /** The fields of one object that its shape does not know; no object is made until there is one. */
    static final class Extra {
        private ObjectNode node;

        void set(String name, JsonNode value) {
            if (node == null) {
                node = JsonNodeFactory.instance.objectNode();
            }
            node.set(name, value);
        }

        /** The fields as a JSON object's text, or null when there are none. */
        String text() {
            return node == null ? null : node.toString();
        }
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
            return new PayloadSchema(schema.build(), new HashMap<>(fields));
        }
    }
}
