package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.protocol.Ulid;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * The shape of this connector's source partitions and offsets. A partition is one configured subscription
 * ({@code topic}, {@code room}; the room is empty for the token's own channel). An offset is the last
 * notification's ULID {@code id} and its {@code ts}. The gateway cannot replay, so offsets only serve to drop
 * notifications already written, after a restart.
 */
public final class SourceOffsets {

    public static final String PARTITION_TOPIC = "topic";
    public static final String PARTITION_ROOM = "room";
    public static final String OFFSET_ID = "id";
    public static final String OFFSET_TS = "ts";

    private SourceOffsets() {
    }

    public static Map<String, String> partition(Subscription subscription) {
        Map<String, String> partition = new HashMap<>(4);
        partition.put(PARTITION_TOPIC, subscription.topic());
        partition.put(PARTITION_ROOM, subscription.room());
        return partition;
    }

    /** @param ts kept as RFC 3339 text so that {@code GET /connectors/<name>/offsets} reads well */
    public static Map<String, Object> offset(String id, Instant ts) {
        Map<String, Object> offset = new HashMap<>(4);
        offset.put(OFFSET_ID, id);
        offset.put(OFFSET_TS, ts.toString());
        return offset;
    }

    /** The id of a stored offset, or null when the offset is missing or has none. */
    public static String idOf(Map<String, ?> offset) {
        Object id = offset == null ? null : offset.get(OFFSET_ID);
        return id instanceof String s && !s.isEmpty() ? s : null;
    }

    /**
     * Checks a partition given to {@code alterOffsets}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Subscription checkPartition(Map<String, ?> partition) {
        if (partition == null) {
            throw new IllegalArgumentException("the source partition is null");
        }
        Object topic = partition.get(PARTITION_TOPIC);
        Object room = partition.get(PARTITION_ROOM);
        if (!(topic instanceof String) || !(room instanceof String)) {
            throw new IllegalArgumentException("the source partition " + partition + " must have the string fields '"
                    + PARTITION_TOPIC + "' and '" + PARTITION_ROOM + "'");
        }
        if (partition.size() != 2) {
            throw new IllegalArgumentException("the source partition " + partition + " may only have the fields '"
                    + PARTITION_TOPIC + "' and '" + PARTITION_ROOM + "'");
        }
        return Subscription.parse(((String) room).isEmpty() ? (String) topic : topic + ":" + room);
    }

    /**
     * Checks an offset given to {@code alterOffsets}; null (a reset) is always valid.
     *
     * @param pair the partition's pair, which messages name
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void checkOffset(Subscription pair, Map<String, ?> offset) {
        if (offset == null) {
            return;
        }
        Object id = offset.get(OFFSET_ID);
        if (!(id instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("the offset " + offset + " of the pair " + pair + " must have a "
                    + "non-empty string '" + OFFSET_ID + "' (the ULID of the last notification written)");
        }
        if (!Ulid.isUlid(s)) {
            throw new IllegalArgumentException("the offset of the pair " + pair + " has " + OFFSET_ID + " '" + s
                    + "', which is not a ULID: expected " + Ulid.DESCRIPTION);
        }
        Object ts = offset.get(OFFSET_TS);
        if (ts != null) {
            try {
                Instant.parse(ts.toString());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("the offset's '" + OFFSET_TS + "' of the pair " + pair
                        + " must be an RFC 3339 time such as 2026-03-19T12:00:00Z, not '" + ts + "'");
            }
        }
        for (String field : offset.keySet()) {
            if (!field.equals(OFFSET_ID) && !field.equals(OFFSET_TS)) {
                throw new IllegalArgumentException("the offset of the pair " + pair + " may only have the fields '"
                        + OFFSET_ID + "' and '" + OFFSET_TS + "', not '" + field + "'");
            }
        }
    }
}
