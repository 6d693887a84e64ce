package io.github.kafkaconnectastro.records;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event ids ({@code data._id}) last written for one pair, bounded, and the floor below which events count as
 * written although forgotten: the latest creation time of an id that had to be forgotten. Gap repair writes the
 * REST API's documents in creation order, and live events arrive nearly so, so an event created before one already
 * forgotten has nearly always been written; the floor keeps a repair from writing it again once its id is gone.
 * Only repaired events are held to the floor: a live event is never dropped by time, since a tip may be pushed
 * well after it was created.
 */
final class WrittenEvents {

    /** No creation time known. */
    static final long UNKNOWN = Long.MIN_VALUE;

    private final int capacity;
    private final LinkedHashMap<String, Long> ids;
    private long floorMs = UNKNOWN;
    private long newestMs = UNKNOWN;

    WrittenEvents(int capacity) {
        this.capacity = capacity;
        this.ids = new LinkedHashMap<>(Math.min(capacity, 1024) * 2) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                if (size() > WrittenEvents.this.capacity) {
                    floorMs = Math.max(floorMs, eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    boolean contains(String id) {
        return ids.containsKey(id);
    }

    /** True when a repaired event with this creation time counts as written: not after the floor. */
    boolean belowFloor(long createdAtMs) {
        return createdAtMs != UNKNOWN && floorMs != UNKNOWN && createdAtMs <= floorMs;
    }

    void add(String id, long createdAtMs) {
        ids.put(id, createdAtMs);
        if (createdAtMs != UNKNOWN) {
            newestMs = Math.max(newestMs, createdAtMs);
        }
    }

    /** Takes a floor carried by an offset. */
    void floor(long ms) {
        floorMs = Math.max(floorMs, ms);
    }

    long floorMs() {
        return floorMs;
    }

    /** The latest creation time written; {@link #UNKNOWN} for none. */
    long newestMs() {
        return newestMs;
    }

    void newest(long ms) {
        newestMs = Math.max(newestMs, ms);
    }

    /** The ids, oldest first. */
    String[] snapshot() {
        return ids.keySet().toArray(new String[0]);
    }

    int capacity() {
        return capacity;
    }
}
