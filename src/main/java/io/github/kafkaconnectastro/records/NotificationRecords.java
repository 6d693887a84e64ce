package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.Delivery;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps a delivered notification to its {@link SourceRecord}: key the room, value the {@link #VALUE_SCHEMA}
 * envelope, timestamp the notification's own {@code ts}, headers its id and Astro topic. The offset comes from the
 * {@link Deduplicator}, which knows the pair's other ids.
 */
public final class NotificationRecords {

    public static final String HEADER_ID = "astro.id";
    public static final String HEADER_TOPIC = "astro.topic";
    public static final String HEADER_ROOM = "astro.room";

    public static final String FIELD_ID = "id";
    public static final String FIELD_TS = "ts";
    public static final String FIELD_TOPIC = "topic";
    public static final String FIELD_ROOM = "room";
    public static final String FIELD_TYPE = "type";
    public static final String FIELD_DATA = "data";

    public static final Schema KEY_SCHEMA = Schema.STRING_SCHEMA;

    /** The record value. Adding optional fields later keeps it compatible; renaming or removing does not. */
    public static final Schema VALUE_SCHEMA = SchemaBuilder.struct()
            .name("io.github.kafkaconnectastro.Notification")
            .version(1)
            .doc("One notification pushed by the StreamElements Astro gateway.")
            .field(FIELD_ID, SchemaBuilder.string().doc("The notification's ULID; unique, sorts by time.").build())
            .field(FIELD_TS, Timestamp.builder().doc("When the gateway stamped the notification.").build())
            .field(FIELD_TOPIC, SchemaBuilder.string().doc("The Astro topic, e.g. channel.activities.").build())
            .field(FIELD_ROOM, SchemaBuilder.string().doc("The room (channel id) the notification is for.").build())
            .field(FIELD_TYPE, SchemaBuilder.string().optional()
                    .doc("data.type when present: the activity kind on channel.activities (follow, tip, ...).").build())
            .field(FIELD_DATA, SchemaBuilder.string().optional()
                    .doc("The notification's data object as JSON text, as the gateway sent it.").build())
            .build();

    private final TopicNamer topicNamer;
    /** One source partition map per subscription, shared by its records instead of built for each. */
    private final Map<Subscription, Map<String, String>> partitions = new HashMap<>();

    public NotificationRecords(TopicNamer topicNamer) {
        this.topicNamer = topicNamer;
    }

    /** @param offset the pair's offset with this notification accepted, as {@link Deduplicator#accept} gives it */
    public SourceRecord toRecord(Delivery delivery, Map<String, ?> offset) {
        AstroMessage.Notification n = delivery.notification();
        Struct value = new Struct(VALUE_SCHEMA)
                .put(FIELD_ID, n.id())
                .put(FIELD_TS, Date.from(n.ts()))
                .put(FIELD_TOPIC, n.topic())
                .put(FIELD_ROOM, delivery.room())
                .put(FIELD_TYPE, n.dataType())
                .put(FIELD_DATA, n.dataJson());
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(HEADER_ID, n.id());
        headers.addString(HEADER_TOPIC, n.topic());
        headers.addString(HEADER_ROOM, delivery.room());
        return new SourceRecord(
                partitions.computeIfAbsent(delivery.subscription(),
                        s -> Collections.unmodifiableMap(SourceOffsets.partition(s))),
                offset,
                topicNamer.name(n.topic(), delivery.room()),
                null,
                KEY_SCHEMA, delivery.room(),
                VALUE_SCHEMA, value,
                n.ts().toEpochMilli(),
                headers);
    }
}
