package io.github.kafkaconnectastro.records;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * A record value's schema and the fields to put its values by. Kafka 4's {@code Struct.put} makes a
 * {@code "field: <name>"} string for every value it puts, to name the field should validation fail; a field
 * without a name makes none. So the values are put by {@link #unnamed} copies of the schema's fields (same index,
 * same schema, same validation), which only a refused value's message notices. Immutable, shared by threads.
 */
record Envelope(Schema schema, Field id, Field ts, Field topic, Field room, Field type, Field data, Field raw,
                Field extra) {

    /** The raw value's envelope ({@link NotificationRecords#RAW_VALUE_SCHEMA}), which has no raw or extra. */
    static final Envelope RAW = of(NotificationRecords.RAW_VALUE_SCHEMA);

    static Envelope of(Schema schema) {
        return new Envelope(schema, unnamed(schema, NotificationRecords.FIELD_ID),
                unnamed(schema, NotificationRecords.FIELD_TS), unnamed(schema, NotificationRecords.FIELD_TOPIC),
                unnamed(schema, NotificationRecords.FIELD_ROOM), unnamed(schema, NotificationRecords.FIELD_TYPE),
                unnamed(schema, NotificationRecords.FIELD_DATA), unnamed(schema, TypedValues.FIELD_RAW),
                unnamed(schema, TypedValues.FIELD_EXTRA));
    }

    private static Field unnamed(Schema schema, String name) {
        Field field = schema.field(name);
        return field == null ? null : unnamed(field);
    }

    /** The field to put a value by: {@code field}'s index and schema, no name. */
    static Field unnamed(Field field) {
        return new Field(null, field.index(), field.schema());
    }
}
