package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.offsets.Deduplicator;
import io.github.kafkaconnectastro.offsets.SourceOffsets;

import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.GatewayClock;
import io.github.kafkaconnectastro.records.Delivery;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Maps a delivered notification to its {@link SourceRecord}: key the room, value typed per topic
 * ({@link ValueFormat#TYPED}, see {@link TopicSchemas}) or the {@link #RAW_VALUE_SCHEMA} envelope, timestamp the
 * notification's own {@code ts} (or the time it was mapped, when {@code ts} lies further ahead than
 * {@link GatewayClock} believes: the broker would refuse it), headers its ids, Astro topic and room. The offset
 * comes from the {@link Deduplicator}, which knows the pair's other ids.
 */
public final class NotificationRecords {

    public static final String HEADER_ID = "astro.id";
    public static final String HEADER_TOPIC = "astro.topic";
    public static final String HEADER_ROOM = "astro.room";
    /** The event's own id ({@code data._id}): the same across topics and in the REST API, unlike {@code id}. */
    public static final String HEADER_EVENT_ID = "astro.event.id";
    /** {@code data.type}: the activity kind on channel.activities. */
    public static final String HEADER_EVENT_TYPE = "astro.event.type";
    /** Where the record comes from: {@value #SOURCE_LIVE} (the gateway) or {@value #SOURCE_REST} (a gap repair). */
    public static final String HEADER_SOURCE = "astro.source";
    public static final String SOURCE_LIVE = "live";
    public static final String SOURCE_REST = "rest";
    /** Set only on a typed record whose payload did not fit its schema: why, naming the field, never its value. */
    public static final String HEADER_MISFIT = "astro.value.misfit";
    /**
     * Set to {@value #TIMESTAMP_ARRIVAL} only on a record whose timestamp is the time the task mapped it, not the
     * notification's {@code ts}, which lay too far ahead of the task's clock; the value keeps the gateway's ts.
     */
    public static final String HEADER_TIMESTAMP = "astro.timestamp";
    public static final String TIMESTAMP_ARRIVAL = "arrival";

    public static final String FIELD_ID = "id";
    public static final String FIELD_TS = "ts";
    public static final String FIELD_TOPIC = "topic";
    public static final String FIELD_ROOM = "room";
    public static final String FIELD_TYPE = "type";
    public static final String FIELD_DATA = "data";

    public static final Schema KEY_SCHEMA = Schema.STRING_SCHEMA;

    /** The raw value. Adding optional fields later keeps it compatible; renaming or removing does not. */
    public static final Schema RAW_VALUE_SCHEMA = SchemaBuilder.struct()
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

    /** Told of each payload that did not fit its topic's schema, with the reason (no payload values). */
    @FunctionalInterface
    public interface MisfitListener {
        void misfit(Subscription subscription, String reason);

        /**
         * A notification whose {@code ts} or id lies further ahead of the task's clock than {@link GatewayClock}
         * believes: a gateway node's clock is wrong.
         */
        default void aheadOfClock(Subscription subscription) {
        }
    }

    private final TopicNamer topicNamer;
    private final ValueFormat format;
    private final TypedValues typed;
    private final MisfitListener misfits;
    private final LongSupplier clock;
    /** What every record of a subscription shares, worked out once instead of for each record. */
    private final Map<Subscription, Target> targets = new HashMap<>();

    /** Headers whose key and value never change: immutable, so one object serves every record. */
    private static final Header LIVE = stringHeader(HEADER_SOURCE, SOURCE_LIVE);
    private static final Header REST = stringHeader(HEADER_SOURCE, SOURCE_REST);
    /** At most this many {@code data.type} headers are kept per pair; the gateway sends a handful. */
    private static final int MAX_TYPE_HEADERS = 32;

    /**
     * A subscription's source partition, payload shape, and Kafka topic for its last room; and the headers its
     * records share, made once (a header is two objects beside its key and value).
     */
    private final class Target {
        final Map<String, String> partition;
        final PayloadSchema payload;
        /** The typed value schema; null when the topic has no payload shape. */
        final Schema typedSchema;
        final Header topicHeader;
        final Map<String, Header> typeHeaders = new HashMap<>();
        String room;
        String kafkaTopic;
        Header roomHeader;

        Target(Subscription subscription) {
            partition = Collections.unmodifiableMap(SourceOffsets.partition(subscription));
            payload = TopicSchemas.of(subscription.topic());
            typedSchema = payload == null ? null : TypedValues.envelopeOf(subscription.topic(), payload).schema();
            topicHeader = stringHeader(HEADER_TOPIC, subscription.topic());
        }

        /** An own-channel pair's room is learned, so the topic name is worked out again when it changes. */
        String kafkaTopic(String topic, String deliveryRoom) {
            room(deliveryRoom);
            if (kafkaTopic == null) {
                kafkaTopic = topicNamer.name(topic, deliveryRoom);
            }
            return kafkaTopic;
        }

        Header roomHeader(String deliveryRoom) {
            room(deliveryRoom);
            return roomHeader;
        }

        private void room(String deliveryRoom) {
            if (!deliveryRoom.equals(room)) {
                room = deliveryRoom;
                kafkaTopic = null;
                roomHeader = stringHeader(HEADER_ROOM, deliveryRoom);
            }
        }

        Header typeHeader(String type) {
            Header header = typeHeaders.get(type);
            if (header == null) {
                header = stringHeader(HEADER_EVENT_TYPE, type);
                if (typeHeaders.size() < MAX_TYPE_HEADERS) {
                    typeHeaders.put(type, header);
                }
            }
            return header;
        }
    }

    private static Header stringHeader(String key, String value) {
        return new ConnectHeaders().addString(key, value).lastWithName(key);
    }

    public NotificationRecords(TopicNamer topicNamer, ValueFormat format, boolean includePersonalData,
                               MisfitListener misfits) {
        this(topicNamer, format, includePersonalData, misfits, System::currentTimeMillis);
    }

    /** @param clock the task's clock in epoch ms, which stands in for a {@code ts} too far ahead of it */
    public NotificationRecords(TopicNamer topicNamer, ValueFormat format, boolean includePersonalData,
                               MisfitListener misfits, LongSupplier clock) {
        this.clock = clock;
        this.topicNamer = topicNamer;
        this.format = format;
        this.typed = new TypedValues(includePersonalData);
        this.misfits = misfits;
    }

    /** @param offset the pair's offset with this notification accepted, as {@link Deduplicator#accept} gives it */
    public SourceRecord toRecord(Delivery delivery, Map<String, ?> offset) {
        return toRecord(delivery, offset, SOURCE_LIVE);
    }

    /**
     * A record for an event read from the REST API to repair a gap: the same topic, key, schema and headers as the
     * live notification would have had, with header {@value #HEADER_SOURCE} = {@value #SOURCE_REST}.
     *
     * @param delivery the REST document as a notification (see {@code backfill.RepairedEvent})
     */
    public SourceRecord toRepairedRecord(Delivery delivery, Map<String, ?> offset) {
        return toRecord(delivery, offset, SOURCE_REST);
    }

    private SourceRecord toRecord(Delivery delivery, Map<String, ?> offset, String source) {
        AstroMessage.Notification n = delivery.notification();
        Target target = targets.computeIfAbsent(delivery.subscription(), Target::new);
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(HEADER_ID, n.id());
        // The topic is the subscription's: a notification is routed to a pair of its own topic.
        headers.add(n.topic().equals(delivery.subscription().topic()) ? target.topicHeader
                : stringHeader(HEADER_TOPIC, n.topic()));
        headers.add(target.roomHeader(delivery.room()));
        if (n.eventId() != null) {
            headers.addString(HEADER_EVENT_ID, n.eventId());
        }
        if (n.dataType() != null) {
            headers.add(target.typeHeader(n.dataType()));
        }
        headers.add(SOURCE_LIVE.equals(source) ? LIVE : SOURCE_REST.equals(source) ? REST
                : stringHeader(HEADER_SOURCE, source));
        long nowMs = clock.getAsLong();
        long timestamp = n.ts().toEpochMilli();
        boolean tsAhead = GatewayClock.ahead(timestamp, nowMs);
        if (tsAhead) {
            timestamp = nowMs;
            headers.addString(HEADER_TIMESTAMP, TIMESTAMP_ARRIVAL);
        }
        if (tsAhead || GatewayClock.idAhead(n.id(), nowMs)) {
            misfits.aheadOfClock(delivery.subscription());
        }
        PayloadSchema payload = target.payload;
        Schema schema;
        Struct value;
        String misfit;
        if (n.payload() instanceof ReadPayload read) {
            // Read on the reader thread, in the codec's pass (PayloadReading): no JSON work here.
            read.complete(n, delivery.room());
            schema = read.schema();
            value = read.value();
            misfit = read.misfit();
        } else if (format == ValueFormat.TYPED && payload != null) {
            TypedValues.Value typedValue = typed.value(n, delivery.room(), payload, target.typedSchema);
            schema = typedValue.schema();
            value = typedValue.struct();
            misfit = typedValue.misfit();
        } else {
            schema = RAW_VALUE_SCHEMA;
            value = new Struct(RAW_VALUE_SCHEMA)
                    .put(FIELD_ID, n.id())
                    .put(FIELD_TS, Date.from(n.ts()))
                    .put(FIELD_TOPIC, n.topic())
                    .put(FIELD_ROOM, delivery.room())
                    .put(FIELD_TYPE, n.dataType())
                    .put(FIELD_DATA, typed.rawText(n.dataJson(), payload));
            misfit = null;
        }
        if (misfit != null) {
            headers.addString(HEADER_MISFIT, misfit);
            misfits.misfit(delivery.subscription(), misfit);
        }
        return new SourceRecord(
                target.partition,
                offset,
                target.kafkaTopic(n.topic(), delivery.room()),
                null,
                KEY_SCHEMA, delivery.room(),
                schema, value,
                timestamp,
                headers);
    }
}
