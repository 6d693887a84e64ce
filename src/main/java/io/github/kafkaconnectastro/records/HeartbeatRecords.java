package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.offsets.SourceOffsets;

import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.source.SourceRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Heartbeat records, in the manner of Debezium's {@code heartbeat.interval.ms}: every interval, one record per
 * pair with a known offset goes to the heartbeat topic, carrying that pair's source partition and its last
 * offset. Connect then commits the offsets of quiet pairs again, and a consumer of the heartbeat topic sees that
 * the task is alive even when its rooms are quiet. The offset is the one of the last record returned for the
 * pair (or the committed one loaded at start), so a heartbeat never moves an offset past a record Connect has
 * not yet written. Used by {@code poll()} only, so not thread-safe.
 */
public final class HeartbeatRecords {

    public static final String FIELD_CONNECTOR = "connector";
    public static final String FIELD_TOPIC = "topic";
    public static final String FIELD_ROOM = "room";
    public static final String FIELD_LAST_ID = "last_id";
    public static final String FIELD_LAST_TS = "last_ts";

    public static final Schema KEY_SCHEMA = Schema.STRING_SCHEMA;

    public static final Schema VALUE_SCHEMA = SchemaBuilder.struct()
            .name("io.github.kafkaconnectastro.Heartbeat")
            .version(1)
            .doc("The connector is alive; the pair's offset is the last notification written for it.")
            .field(FIELD_CONNECTOR, SchemaBuilder.string().doc("The connector's name.").build())
            .field(FIELD_TOPIC, SchemaBuilder.string().doc("The Astro topic of the pair.").build())
            .field(FIELD_ROOM, SchemaBuilder.string()
                    .doc("The configured room of the pair; empty for the token's own channel.").build())
            .field(FIELD_LAST_ID, SchemaBuilder.string().doc("The id of the last notification written.").build())
            .field(FIELD_LAST_TS, Timestamp.builder().optional()
                    .doc("The ts of the last notification written, when known.").build())
            .build();

    private final String topic;
    private final String connector;
    private final long intervalMs;
    private final Map<Subscription, Map<String, ?>> lastOffsets = new LinkedHashMap<>();
    private long nextDueMs;

    /**
     * @param topic      the Kafka topic heartbeats go to
     * @param connector  the connector's name, so that connectors can share the topic
     * @param intervalMs how often heartbeats are due; zero or less turns them off
     * @param nowMs      the current time; the first heartbeats are due one interval later
     */
    public HeartbeatRecords(String topic, String connector, long intervalMs, long nowMs) {
        this.topic = topic;
        this.connector = connector;
        this.intervalMs = intervalMs;
        this.nextDueMs = nowMs + intervalMs;
    }

    /** Remembers the last offset of a pair: of a record just returned by {@code poll()}, or a committed one. */
    public void offset(Subscription subscription, Map<String, ?> offset) {
        if (intervalMs > 0 && SourceOffsets.idOf(offset) != null) {
            lastOffsets.put(subscription, offset);
        }
    }

    /** The heartbeats due now, one per pair with a known offset; empty when none are due or heartbeats are off. */
    public List<SourceRecord> due(long nowMs) {
        if (intervalMs <= 0 || nowMs < nextDueMs) {
            return Collections.emptyList();
        }
        nextDueMs = nowMs + intervalMs;
        List<SourceRecord> records = new ArrayList<>(lastOffsets.size());
        for (Map.Entry<Subscription, Map<String, ?>> entry : lastOffsets.entrySet()) {
            records.add(record(entry.getKey(), entry.getValue(), nowMs));
        }
        return records;
    }

    private SourceRecord record(Subscription subscription, Map<String, ?> offset, long nowMs) {
        Struct value = new Struct(VALUE_SCHEMA)
                .put(FIELD_CONNECTOR, connector)
                .put(FIELD_TOPIC, subscription.topic())
                .put(FIELD_ROOM, subscription.room())
                .put(FIELD_LAST_ID, SourceOffsets.idOf(offset))
                .put(FIELD_LAST_TS, tsOf(offset));
        return new SourceRecord(
                SourceOffsets.partition(subscription),
                new HashMap<>(offset),
                topic,
                null,
                KEY_SCHEMA, subscription.toString(),
                VALUE_SCHEMA, value,
                nowMs);
    }

    /** The offset's ts as a date; null when absent or unreadable, as offsets set through the REST API may be. */
    private static Date tsOf(Map<String, ?> offset) {
        Instant ts = SourceOffsets.tsOf(offset);
        return ts == null ? null : Date.from(ts);
    }
}
