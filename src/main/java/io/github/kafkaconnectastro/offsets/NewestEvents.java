package io.github.kafkaconnectastro.offsets;

/**
 * What a pair's offset carries of the events written, so that a restarted task's repair, whose window starts shortly
 * before the last event written, writes none of them again: the {@value SourceOffsets#EVENTS_MAX} events with the
 * latest creation times, and the floor, the latest creation time of every other event written. After a restart an
 * event created no later than the floor counts as written, one created later only when it is carried.
 *
 * <p>What is lost by it: an event created before the floor but never written, which is a tip pushed so long after
 * its creation that {@value SourceOffsets#EVENTS_MAX} events created later were written before the stop. Small and
 * sorted by creation time, since each record's offset takes a copy.
 */
final class NewestEvents {

    private final String[] ids = new String[SourceOffsets.EVENTS_MAX];
    private final long[] times = new long[SourceOffsets.EVENTS_MAX];
    private int size;
    private long floorMs = WrittenEvents.UNKNOWN;

    /**
     * @param createdAtMs {@link WrittenEvents#UNKNOWN} for an id carried by a committed offset, whose time is known
     *                    only to be after the floor: it counts as created at the floor
     */
    void add(String id, long createdAtMs) {
        if (contains(id)) {
            return;
        }
        long time = createdAtMs == WrittenEvents.UNKNOWN ? floorMs : createdAtMs;
        if (size == ids.length) {
            if (time <= times[0]) {
                floorMs = Math.max(floorMs, time);
                return;
            }
            floorMs = Math.max(floorMs, times[0]);
            System.arraycopy(ids, 1, ids, 0, size - 1);
            System.arraycopy(times, 1, times, 0, size - 1);
            size--;
        }
        int at = size;
        while (at > 0 && times[at - 1] > time) {
            at--;
        }
        System.arraycopy(ids, at, ids, at + 1, size - at);
        System.arraycopy(times, at, times, at + 1, size - at);
        ids[at] = id;
        times[at] = time;
        size++;
    }

    boolean contains(String id) {
        for (int i = 0; i < size; i++) {
            if (ids[i].equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** Takes a floor carried by an offset. */
    void floor(long ms) {
        floorMs = Math.max(floorMs, ms);
    }

    long floorMs() {
        return floorMs;
    }

    /** The carried ids, oldest creation first, for an offset to keep. */
    String[] snapshot() {
        String[] copy = new String[size];
        System.arraycopy(ids, 0, copy, 0, size);
        return copy;
    }
}
