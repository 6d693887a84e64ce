package io.github.kafkaconnectastro.offsets;

import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.protocol.Ulid;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of this connector's source partitions and offsets. A partition is one configured subscription
 * ({@code topic}, {@code room}; the room is empty for the token's own channel). An offset is the highest ULID
 * {@code id} written for the pair, its {@code ts}, and in {@code recent} the pair's {@value #RECENT_MAX} highest
 * ids (comma-separated, highest first), so that a restarted task can tell, within the clock-skew allowance, an id
 * written before from a new one. The gateway cannot replay, so offsets only serve to drop notifications already
 * written, after a restart. Offsets stay flat maps of strings, which {@code GET /connectors/<name>/offsets} shows
 * as they are.
 *
 * <p>On pairs whose gaps are repaired from the REST API, the offset also carries the event ids ({@code data._id})
 * last written, in {@code events} (at most {@value #EVENTS_MAX}, oldest first), the creation time below which
 * repaired events count as written in {@code events.floor}, and the latest creation time written in
 * {@code events.ts}: enough for a restarted task to repair its gap without writing an event twice.
 */
public final class SourceOffsets {

    public static final String PARTITION_TOPIC = "topic";
    public static final String PARTITION_ROOM = "room";
    public static final String OFFSET_ID = "id";
    public static final String OFFSET_TS = "ts";
    public static final String OFFSET_RECENT = "recent";
    /** How many ids {@code recent} holds at most. */
    public static final int RECENT_MAX = 8;
    private static final char RECENT_SEPARATOR = ',';
    public static final String OFFSET_EVENTS = "events";
    public static final String OFFSET_EVENTS_FLOOR = "events.floor";
    public static final String OFFSET_EVENTS_TS = "events.ts";
    /** How many event ids {@code events} holds at most. */
    public static final int EVENTS_MAX = 32;
    /** The pair's repair windows not repaired yet ({@link UnrepairedWindows}). */
    public static final String OFFSET_GAPS = "gaps";
    /** Hashes of the events written within those windows ({@link WindowEvents}). */
    public static final String OFFSET_GAPS_EVENTS = "gaps.events";
    private static final List<String> FIELDS = List.of(OFFSET_ID, OFFSET_TS, OFFSET_RECENT, OFFSET_EVENTS,
            OFFSET_EVENTS_FLOOR, OFFSET_EVENTS_TS, OFFSET_GAPS, OFFSET_GAPS_EVENTS);

    private SourceOffsets() {
    }

    public static Map<String, String> partition(Subscription subscription) {
        Map<String, String> partition = new HashMap<>(4);
        partition.put(PARTITION_TOPIC, subscription.topic());
        partition.put(PARTITION_ROOM, subscription.room());
        return partition;
    }

    /**
     * @param ts     RFC 3339 text, so that {@code GET /connectors/<name>/offsets} reads well; null leaves it out
     * @param recent the {@code recent} field; null leaves it out
     * @return an unmodifiable offset
     */
    public static Map<String, String> offset(String id, String ts, String recent) {
        if (ts == null) {
            return recent == null ? Map.of(OFFSET_ID, id) : Map.of(OFFSET_ID, id, OFFSET_RECENT, recent);
        }
        return recent == null ? Map.of(OFFSET_ID, id, OFFSET_TS, ts)
                : Map.of(OFFSET_ID, id, OFFSET_TS, ts, OFFSET_RECENT, recent);
    }

    /**
     * An offset with the fields of gap repair; any of them null is left out.
     *
     * @return an unmodifiable offset
     */
    static Map<String, String> offset(String id, String ts, String recent, String events, String eventsFloor,
                                      String eventsTs, String gaps, String gapsEvents) {
        Map<String, String> offset = new HashMap<>(16);
        putIfPresent(offset, OFFSET_ID, id);
        putIfPresent(offset, OFFSET_TS, ts);
        putIfPresent(offset, OFFSET_RECENT, recent);
        putIfPresent(offset, OFFSET_EVENTS, events);
        putIfPresent(offset, OFFSET_EVENTS_FLOOR, eventsFloor);
        putIfPresent(offset, OFFSET_EVENTS_TS, eventsTs);
        putIfPresent(offset, OFFSET_GAPS, gaps);
        putIfPresent(offset, OFFSET_GAPS_EVENTS, gapsEvents);
        return Collections.unmodifiableMap(offset);
    }

    private static void putIfPresent(Map<String, String> offset, String field, String value) {
        if (value != null) {
            offset.put(field, value);
        }
    }

    /** The event ids of a stored offset's {@code events} field, oldest first; empty when there is none. */
    public static List<String> eventsOf(Map<String, ?> offset) {
        Object events = offset == null ? null : offset.get(OFFSET_EVENTS);
        return events instanceof String s ? split(s) : List.of();
    }

    /** A time field of a stored offset; null when absent, unreadable, or beyond what epoch milliseconds hold. */
    public static Instant timeOf(Map<String, ?> offset, String field) {
        Object value = offset == null ? null : offset.get(field);
        if (value == null) {
            return null;
        }
        try {
            Instant time = Instant.parse(value.toString());
            // An offset set by hand can hold any year; the task reads its times in epoch milliseconds.
            time.toEpochMilli();
            return time;
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    /** The {@code recent} field's text for ids given highest first. */
    static void appendRecent(StringBuilder text, String[] ids) {
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                text.append(RECENT_SEPARATOR);
            }
            text.append(ids[i]);
        }
    }

    /** The id of a stored offset, or null when the offset is missing or has none. */
    public static String idOf(Map<String, ?> offset) {
        Object id = offset == null ? null : offset.get(OFFSET_ID);
        return id instanceof String s && !s.isEmpty() ? s : null;
    }

    /** The ts of a stored offset; null when absent or unreadable, as offsets set through the REST API may be. */
    public static Instant tsOf(Map<String, ?> offset) {
        return timeOf(offset, OFFSET_TS);
    }

    /** The ids of a stored offset's {@code recent} field, as stored; empty when there is none. */
    public static List<String> recentOf(Map<String, ?> offset) {
        Object recent = offset == null ? null : offset.get(OFFSET_RECENT);
        return recent instanceof String s ? split(s) : List.of();
    }

    private static List<String> split(String recent) {
        return recent.isEmpty() ? List.of() : List.of(recent.split(String.valueOf(RECENT_SEPARATOR), -1));
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
        if (id == null && offset.get(OFFSET_EVENTS) != null) {
            checkEvents(pair, offset);
            return;
        }
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
        checkRecent(pair, offset.get(OFFSET_RECENT));
        checkEvents(pair, offset);
    }

    private static void checkEvents(Subscription pair, Map<String, ?> offset) {
        Object events = offset.get(OFFSET_EVENTS);
        if (events != null && (!(events instanceof String text) || split(text).size() > EVENTS_MAX)) {
            throw new IllegalArgumentException("the offset's '" + OFFSET_EVENTS + "' of the pair " + pair
                    + " must be a string of at most " + EVENTS_MAX + " event ids separated by commas");
        }
        for (String field : List.of(OFFSET_EVENTS_FLOOR, OFFSET_EVENTS_TS)) {
            if (offset.get(field) != null && timeOf(offset, field) == null) {
                throw new IllegalArgumentException("the offset's '" + field + "' of the pair " + pair
                        + " must be an RFC 3339 time such as 2026-03-19T12:00:00Z, not '" + offset.get(field) + "'");
            }
        }
        try {
            UnrepairedWindows.parse(offset.get(OFFSET_GAPS), true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the offset's '" + OFFSET_GAPS + "' of the pair " + pair
                    + " must be repair windows from/to separated by commas: " + e.getMessage());
        }
        for (String field : offset.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("the offset of the pair " + pair + " may only have the fields "
                        + FIELDS + ", not '" + field + "'");
            }
        }
    }

    private static void checkRecent(Subscription pair, Object recent) {
        if (recent == null) {
            return;
        }
        if (!(recent instanceof String text)) {
            throw new IllegalArgumentException("the offset's '" + OFFSET_RECENT + "' of the pair " + pair
                    + " must be a string of ULIDs separated by commas, not " + recent);
        }
        List<String> ids = split(text);
        if (ids.size() > RECENT_MAX) {
            throw new IllegalArgumentException("the offset's '" + OFFSET_RECENT + "' of the pair " + pair
                    + " may hold at most " + RECENT_MAX + " ids, not " + ids.size());
        }
        for (String id : ids) {
            if (!Ulid.isUlid(id)) {
                throw new IllegalArgumentException("the offset's '" + OFFSET_RECENT + "' of the pair " + pair
                        + " holds '" + id + "', which is not a ULID: expected " + Ulid.DESCRIPTION
                        + ", separated by commas");
            }
        }
    }
}
