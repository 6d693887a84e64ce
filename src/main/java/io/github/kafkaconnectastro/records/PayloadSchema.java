package io.github.kafkaconnectastro.records;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.protocol.Rfc3339;
import io.github.kafkaconnectastro.protocol.TextCache;
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

    /**
     * @param connect the struct's field to put by ({@link Envelope#unnamed}): no lookup by name per value, no
     *                string per put; null while building
     */
    private record Field(String name, Kind kind, PayloadSchema nested, boolean personal,
                         org.apache.kafka.connect.data.Field connect) {

        Field(String name, Kind kind, PayloadSchema nested, boolean personal) {
            this(name, kind, nested, personal, null);
        }
    }

    private final Schema schema;
    private final Map<String, Field> fields;
    private final boolean personalData;

    private PayloadSchema(Schema schema, Map<String, Field> declared) {
        this.schema = schema;
        this.fields = new HashMap<>();
        declared.forEach((name, f) -> fields.put(name, new Field(f.name, f.kind, f.nested, f.personal,
                Envelope.unnamed(schema.field(name)))));
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
     * Reads the JSON object the parser is at ({@link JsonToken#START_OBJECT}) straight into {@code struct}, an empty
     * struct of this shape, without building a tree of it first: this runs for every typed record. A struct is
     * validated whole, nested ones too, each time it is put into another; put in while empty, it costs a few null
     * checks there, and each value is validated once, as it is put here.
     *
     * @param source the text the parser reads, for values kept as JSON text
     * @param extra  receives the fields this shape does not know, with their nesting
     * @throws PayloadMisfit when a known field holds a JSON value of another type than its kind; its path starts
     *                       at this object's fields ({@link PayloadMisfit#within} names the object)
     */
    void readInto(Struct struct, JsonParser parser, String source, boolean includePersonal, Extra extra,
                  TextCache texts) throws IOException, PayloadMisfit {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            readField(struct, parser.currentName(), parser.nextToken(), parser, source, includePersonal, extra, texts);
        }
    }

    /**
     * Reads one field of the object into {@code struct}: the parser is at the field's value ({@code token}), and
     * at its last token when this returns normally. Short strings come from {@code texts}.
     */
    void readField(Struct struct, String name, JsonToken token, JsonParser parser, String source,
                   boolean includePersonal, Extra extra, TextCache texts) throws IOException, PayloadMisfit {
        Field field = fields.get(name);
        if (field == null) {
            extra.read(name, parser, token);
        } else if (token == JsonToken.VALUE_NULL || (field.personal && !includePersonal)) {
            parser.skipChildren();
        } else if (field.kind == Kind.STRUCT && token == JsonToken.START_OBJECT) {
            Struct nested = new Struct(field.nested.schema);
            struct.put(field.connect, nested);
            Extra nestedExtra = extra.nested(field.name);
            try {
                field.nested.readInto(nested, parser, source, includePersonal, nestedExtra, texts);
            } catch (PayloadMisfit misfit) {
                throw misfit.within(field.name);
            }
            nestedExtra.close();
        } else {
            struct.put(field.connect, convert(field, parser, token, source, texts));
        }
    }

    /** A scalar or JSON-text value; a {@link Kind#STRUCT} field's object is read by {@link #readInto}. */
    private static Object convert(Field field, JsonParser parser, JsonToken token, String source, TextCache texts)
            throws IOException, PayloadMisfit {
        switch (field.kind) {
            case STRING:
                if (token == JsonToken.VALUE_STRING) {
                    return texts.text(parser);
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
                        throw new PayloadMisfit(field.name, "expected an RFC 3339 time with an offset");
                    } catch (IllegalArgumentException e) {
                        // Date.from refuses what epoch milliseconds cannot hold, e.g. the year 999999999.
                        throw new PayloadMisfit(field.name, "a time beyond what a timestamp can hold");
                    }
                }
                break;
            case JSON:
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    int start = AstroCodec.tokenStart(parser);
                    parser.skipChildren();
                    return source.substring(start, AstroCodec.tokenStart(parser) + 1);
                }
                return parser.readValueAsTree().toString();
            case STRUCT:
                break;
            default:
                throw new IllegalStateException("unhandled kind " + field.kind);
        }
        throw new PayloadMisfit(field.name, "expected " + expected(field.kind) + ", got " + found(token));
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

    /**
     * The fields of one object that its shape does not know, written as the text of a JSON object as they are
     * read: the same text as Jackson's {@code ObjectNode.toString} of them (JsonText), but without a tree, a map or
     * a generator per record (they were a fifth of the typed record's garbage). A nested object's unknown fields
     * go under its name, in the order an object node would hold them; the nested object's text is opened only
     * once it has one. Duplicate names are all kept, where an object node would keep the last.
     */
    static final class Extra {
        private final Extra parent;
        private final String name;
        private StringBuilder out;
        private boolean any;

        Extra() {
            this(null, null);
        }

        private Extra(Extra parent, String name) {
            this.parent = parent;
            this.name = name;
        }

        /** The unknown fields of the nested object {@code name}; {@link #close} it once read. */
        Extra nested(String name) {
            return new Extra(this, name);
        }

        /** The builder, this object's opening written before its first field, and that field's separator. */
        private StringBuilder field(String field) {
            if (out == null) {
                out = parent == null ? new StringBuilder(64) : parent.field(name);
                out.append('{');
            }
            if (any) {
                out.append(',');
            }
            any = true;
            JsonText.quote(out, field);
            return out.append(':');
        }

        /** A nested object's end, when it had unknown fields. */
        void close() {
            if (out != null) {
                out.append('}');
            }
        }

        void set(String field, JsonNode value) {
            JsonText.write(field(field), value);
        }

        /** The value the parser is at, written as Jackson's tree would hold it, without making the tree. */
        void read(String field, JsonParser parser, JsonToken token) throws IOException {
            switch (token) {
                case VALUE_STRING -> JsonText.quote(field(field), parser.getTextCharacters(), parser.getTextOffset(),
                        parser.getTextLength());
                case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> field(field).append(token.asString());
                case VALUE_NUMBER_INT -> {
                    StringBuilder b = field(field);
                    switch (parser.getNumberType()) {
                        case INT -> b.append(parser.getIntValue());
                        case LONG -> b.append(parser.getLongValue());
                        default -> b.append(parser.getBigIntegerValue());
                    }
                }
                default -> set(field, value(parser, token));
            }
        }

        /** The value the parser is at, as Jackson's tree would hold it. */
        static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
            return switch (token) {
                case VALUE_STRING -> TextNode.valueOf(parser.getText());
                case VALUE_TRUE -> BooleanNode.TRUE;
                case VALUE_FALSE -> BooleanNode.FALSE;
                case VALUE_NULL -> NullNode.instance;
                case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                    case INT -> IntNode.valueOf(parser.getIntValue());
                    case LONG -> LongNode.valueOf(parser.getLongValue());
                    default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
                };
                // Objects, arrays and fractions as Jackson reads them.
                default -> parser.readValueAsTree();
            };
        }

        /** The fields as a JSON object's text, or null when there are none (of the outermost object). */
        String text() {
            return out == null ? null : out.append('}').toString();
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
