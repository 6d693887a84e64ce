package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.protocol.Ulid;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a task knows of one pair's ids: those accepted lately (bounded), the floor and the remembered ids of the
 * offset committed before it started, and the highest ids, which make the pair's next offset. {@link Deduplicator}
 * explains the rules.
 */
final class PairIds {

    private static final long NO_FLOOR = Long.MIN_VALUE;

    private final SeenIds seen;
    private final HighestIds highest = new HighestIds();
    /** Older ids are duplicates: the committed offset's time less the allowance; {@link #NO_FLOOR} for none. */
    private long floorMs = NO_FLOOR;
    /** The committed offset's ids: within the allowance, these and only these are duplicates. */
    private String[] remembered = new String[0];
    /** The time of the newest of them. */
    private long rememberedUntilMs = NO_FLOOR;
    /**
     * When the offset remembered as many ids as it can hold, the lowest of them: older ids may have been written
     * without being remembered, so below it nothing is new; null when the offset remembered every id it had.
     */
    private String rememberedFrom;
    private Instant highestTs;
    private Map<String, String> offset;
    private boolean ulidsOnly = true;

    PairIds(int capacity) {
        seen = new SeenIds(capacity);
    }

    /**
     * Takes the offset committed before the task started.
     *
     * @param nowMs the current time: a floor later than it counts as now, so that one id stamped far ahead (a
     *              gateway node's clock, an offset set by hand) cannot make the pair drop everything until then
     * @return false when the offset's id is not a ULID, so that it sets no floor
     */
    boolean committed(Map<String, ?> committed, long clockSkewMs, long nowMs) {
        String id = SourceOffsets.idOf(committed);
        highestTs = SourceOffsets.tsOf(committed);
        String ulid = Ulid.canonical(id);
        if (ulid == null) {
            seen.put(id, Boolean.TRUE);
            offset = new PairOffset(id, highestTs, null);
            ulidsOnly = false;
            return false;
        }
        List<String> ids = new ArrayList<>();
        ids.add(ulid);
        for (String other : SourceOffsets.recentOf(committed)) {
            String canonical = Ulid.canonical(other);
            if (canonical != null) {
                ids.add(canonical);
            }
        }
        for (String each : ids) {
            highest.add(each);
        }
        remembered = ids.toArray(new String[0]);
        rememberedUntilMs = Ulid.timestampMillis(highest.highest());
        String[] kept = highest.snapshot();
        rememberedFrom = kept.length == SourceOffsets.RECENT_MAX ? kept[kept.length - 1] : null;
        floorMs = Math.min(rememberedUntilMs, nowMs) - clockSkewMs;
        offset = new PairOffset(highest.highest(), highestTs, highest.snapshot());
        return true;
    }

    /**
     * @param ulid the id, a ULID in upper case
     * @return the pair's offset with this id accepted; null when it is a duplicate
     */
    Map<String, String> acceptUlid(String ulid, Instant ts) {
        if (floorMs != NO_FLOOR) {
            long ms = Ulid.timestampMillis(ulid);
            if (ms < floorMs || rememberedFrom != null && ulid.compareTo(rememberedFrom) < 0
                    || ms <= rememberedUntilMs && isRemembered(ulid)) {
                return null;
            }
        }
        if (seen.putIfAbsent(ulid, Boolean.TRUE) != null) {
            return null;
        }
        int place = highest.add(ulid);
        if (place >= 0) {
            if (place == 0) {
                highestTs = ts;
            }
            offset = new PairOffset(highest.highest(), highestTs, highest.snapshot());
        }
        return offset;
    }

    /**
     * An id that is not a ULID: no floor for this pair from now on, duplicates by id only.
     *
     * @return the pair's offset, which holds this id; null when it is a duplicate
     */
    Map<String, String> acceptOther(String id, Instant ts) {
        floorMs = NO_FLOOR;
        rememberedFrom = null;
        ulidsOnly = false;
        if (seen.putIfAbsent(id, Boolean.TRUE) != null) {
            return null;
        }
        offset = new PairOffset(id, ts, null);
        return offset;
    }

    /** False once an id that is not a ULID arrived. */
    boolean ulidsOnly() {
        return ulidsOnly;
    }

    private boolean isRemembered(String ulid) {
        for (String id : remembered) {
            if (id.equals(ulid)) {
                return true;
            }
        }
        return false;
    }

    /** Insertion-ordered and bounded: the oldest id is forgotten first. */
    private static final class SeenIds extends LinkedHashMap<String, Boolean> {
        private final int capacity;

        SeenIds(int capacity) {
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
        }
    }
}
