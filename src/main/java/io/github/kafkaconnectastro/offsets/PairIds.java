package io.github.kafkaconnectastro.offsets;

import io.github.kafkaconnectastro.protocol.GatewayClock;
import io.github.kafkaconnectastro.protocol.Ulid;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a task knows of one pair's ids: those accepted lately (bounded), the floor and the remembered ids of the
 * offset committed before it started, and the highest ids, which make the pair's next offset. {@link Deduplicator}
 * explains the rules. On a pair whose gaps are repaired, also the event ids written: in memory as many as the pair's
 * share of the task's budget ({@link WrittenEvents}), in the offset those created last ({@link NewestEvents}).
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
    /** Null when the pair's gaps are not repaired. */
    private final WrittenEvents events;
    private final NewestEvents carried;
    /**
     * The committed offset's {@code events.floor}: repaired events created no later count as written, unless they
     * lie within a window the offset had not repaired.
     */
    private long committedFloorMs = WrittenEvents.UNKNOWN;
    /** The pair's unrepaired windows now; null when the pair's gaps are not repaired. */
    private final Supplier<List<UnrepairedWindows.Window>> windows;
    /** The events written, for the windows' {@code gaps.events}. */
    private final WindowEvents windowEvents;
    /** The windows the committed offset had not repaired, and the hashes of the events written within them. */
    private List<UnrepairedWindows.Window> restoredWindows = List.of();
    private Set<Long> restoredHashes = Set.of();
    /** Where the last restored window ends: a window starting no later still needs the restored hashes. */
    private long restoredUntilMs = Long.MIN_VALUE;

    /** @param eventCapacity how many event ids to remember; 0 when the pair's gaps are not repaired */
    PairIds(int capacity, int eventCapacity) {
        this(capacity, eventCapacity, List::of);
    }

    /** @param windows the pair's unrepaired windows, which its offset carries */
    PairIds(int capacity, int eventCapacity, Supplier<List<UnrepairedWindows.Window>> windows) {
        seen = new SeenIds(capacity);
        events = eventCapacity > 0 ? new WrittenEvents(Math.max(eventCapacity, SourceOffsets.EVENTS_MAX)) : null;
        carried = eventCapacity > 0 ? new NewestEvents() : null;
        this.windows = eventCapacity > 0 ? windows : null;
        windowEvents = eventCapacity > 0 ? new WindowEvents(eventCapacity) : null;
    }

    /**
     * Takes the offset committed before the task started.
     *
     * @param nowMs the current time: a floor later than it counts as now, so that one id stamped far ahead (a
     *              gateway node's clock, an offset set by hand) cannot make the pair drop everything until then;
     *              times and ids further ahead than {@link GatewayClock} believes, committed before they were
     *              bounded, count as now too
     * @return false when the offset's id is not a ULID, so that it sets no floor
     */
    boolean committed(Map<String, ?> committed, long clockSkewMs, long nowMs) {
        committedEvents(committed, nowMs);
        String id = SourceOffsets.idOf(committed);
        if (id == null) {
            offset = newOffset(null, null, null);
            return true;
        }
        highestTs = bounded(SourceOffsets.tsOf(committed), nowMs);
        String ulid = Ulid.canonical(id);
        if (ulid == null) {
            seen.put(id, Boolean.TRUE);
            offset = newOffset(id, highestTs, null);
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
            long ms = Ulid.timestampMillis(each);
            rememberedUntilMs = Math.max(rememberedUntilMs, ms);
            if (!GatewayClock.ahead(ms, nowMs)) {
                highest.add(each);
            }
        }
        remembered = ids.toArray(new String[0]);
        String[] kept = highest.snapshot();
        rememberedFrom = kept.length == SourceOffsets.RECENT_MAX ? kept[kept.length - 1] : null;
        floorMs = Math.min(rememberedUntilMs, nowMs) - clockSkewMs;
        offset = newOffset(highest.highest(), highestTs, highest.snapshot());
        return true;
    }

    private void committedEvents(Map<String, ?> committed, long nowMs) {
        if (events == null) {
            return;
        }
        Instant floor = SourceOffsets.timeOf(committed, SourceOffsets.OFFSET_EVENTS_FLOOR);
        // A floor stamped ahead would count every event created until then as written: unknown is safer.
        if (floor != null && !GatewayClock.ahead(floor.toEpochMilli(), nowMs)) {
            committedFloorMs = floor.toEpochMilli();
            carried.floor(committedFloorMs);
        }
        for (String id : SourceOffsets.eventsOf(committed)) {
            events.add(id, WrittenEvents.UNKNOWN);
            carried.add(id, WrittenEvents.UNKNOWN);
        }
        Instant newest = SourceOffsets.timeOf(committed, SourceOffsets.OFFSET_EVENTS_TS);
        if (newest != null) {
            events.newest(GatewayClock.orNow(newest.toEpochMilli(), nowMs));
        }
        // Written before the restart, so within the restart's own window (from the last record written, less the
        // margin): its offsets carry them on as written, so that a later restart, after they left events, does not
        // take them for missing.
        Instant ts = bounded(SourceOffsets.tsOf(committed), nowMs);
        long last = Math.max(events.newestMs(), ts == null ? WrittenEvents.UNKNOWN : ts.toEpochMilli());
        for (String id : SourceOffsets.eventsOf(committed)) {
            windowEvents.add(id, last);
        }
        restoredWindows = UnrepairedWindows.parse(committed.get(SourceOffsets.OFFSET_GAPS), false);
        restoredHashes = WindowEvents.decode(committed.get(SourceOffsets.OFFSET_GAPS_EVENTS));
        for (UnrepairedWindows.Window window : restoredWindows) {
            restoredUntilMs = Math.max(restoredUntilMs, window.toMs());
        }
        for (long hash : restoredHashes) {
            windowEvents.addHash(hash, WindowEvents.RESTORED);
        }
    }

    /** The windows the committed offset had not repaired, oldest first. */
    List<UnrepairedWindows.Window> restoredWindows() {
        return restoredWindows;
    }

    /** The committed offset's {@code events.floor}; {@link WrittenEvents#UNKNOWN} when it had none. */
    long committedFloorMs() {
        return committedFloorMs;
    }

    /**
     * Whether an event not written in this run was written before the restart, by what the committed offset says.
     * Within a window it had not repaired, only the hashes of the events written within it tell (and, in a
     * restart's own window, its floor): a creation time older than one written says nothing there, since the
     * window's missing events are older than the live ones written after it. Elsewhere, an event created no later
     * than the committed floor was written.
     */
    private boolean writtenBeforeRestart(String eventId, long createdAtMs) {
        if (carried.contains(eventId) || !restoredHashes.isEmpty()
                && restoredHashes.contains(WindowEvents.hash(eventId))) {
            return true;
        }
        if (createdAtMs == WrittenEvents.UNKNOWN) {
            return false;
        }
        boolean inWindow = false;
        for (UnrepairedWindows.Window window : restoredWindows) {
            if (window.contains(createdAtMs)) {
                inWindow = true;
                if (window.floorMs() == UnrepairedWindows.NO_FLOOR || createdAtMs > window.floorMs()) {
                    return false;
                }
            }
        }
        return inWindow || committedFloorMs != WrittenEvents.UNKNOWN && createdAtMs <= committedFloorMs;
    }

    /**
     * A live notification's event: a duplicate when its id was written already (by a repair, or live under
     * another envelope id). Only called for a pair whose gaps are repaired, with the envelope id accepted.
     *
     * @return false when the event was written already
     */
    private boolean liveEvent(String eventId, long createdAtMs) {
        if (events == null || eventId == null) {
            return true;
        }
        if (events.contains(eventId) || !restoredHashes.isEmpty()
                && restoredHashes.contains(WindowEvents.hash(eventId))) {
            return false;
        }
        written(eventId, createdAtMs);
        return true;
    }

    /**
     * An event read from the REST API to repair a gap.
     *
     * @return the pair's offset with it written; null when it was written already, or counts as written (below
     *         the floor)
     */
    Map<String, String> acceptRepaired(String eventId, long createdAtMs, long nowMs) {
        if (events == null || events.contains(eventId) || writtenBeforeRestart(eventId, createdAtMs)) {
            return null;
        }
        written(eventId, GatewayClock.orNow(createdAtMs, nowMs));
        offset = newOffset(highest.highest(), highestTs, highest.snapshot());
        return offset;
    }

    private void written(String eventId, long createdAtMs) {
        events.add(eventId, createdAtMs);
        carried.add(eventId, createdAtMs);
        windowEvents.add(eventId, createdAtMs);
    }

    /** The time a restarted task's gap starts at: the later of the last live record's and the newest event's. */
    Instant lastWritten() {
        long newest = events == null ? WrittenEvents.UNKNOWN : events.newestMs();
        if (newest == WrittenEvents.UNKNOWN) {
            return highestTs;
        }
        return highestTs == null || highestTs.toEpochMilli() < newest ? Instant.ofEpochMilli(newest) : highestTs;
    }

    private PairOffset newOffset(String id, Instant ts, String[] recent) {
        if (carried == null) {
            return new PairOffset(id, ts, recent);
        }
        List<UnrepairedWindows.Window> now = windows.get();
        PairOffset.Gaps gaps = now.isEmpty() ? null
                : new PairOffset.Gaps(now, windowEvents.view(), restoredPending(now));
        return new PairOffset(id, ts, recent, carried.snapshot(), carried.floorMs(), events.newestMs(), gaps);
    }

    /** Whether one of the windows may be a restored one, whose restored hashes are then still needed. */
    private boolean restoredPending(List<UnrepairedWindows.Window> now) {
        return !restoredHashes.isEmpty() && now.get(0).fromMs() <= restoredUntilMs;
    }

    /** The pair's offset as it is now: after a repair's window was removed, the next record carries it. */
    Map<String, String> current() {
        if (offset != null && carried != null) {
            offset = newOffset(highest.highest(), highestTs, highest.snapshot());
        }
        return offset;
    }

    /**
     * @param ulid the id, a ULID in upper case
     * @return the pair's offset with this id accepted; null when it is a duplicate
     */
    Map<String, String> acceptUlid(String ulid, Instant ts, String eventId, long createdAtMs, long nowMs) {
        long ms = Ulid.timestampMillis(ulid);
        if (floorMs != NO_FLOOR) {
            if (ms < floorMs || rememberedFrom != null && ulid.compareTo(rememberedFrom) < 0
                    || ms <= rememberedUntilMs && isRemembered(ulid)) {
                return null;
            }
        }
        if (seen.putIfAbsent(ulid, Boolean.TRUE) != null
                || !liveEvent(eventId, GatewayClock.orNow(createdAtMs, nowMs))) {
            return null;
        }
        if (GatewayClock.ahead(ms, nowMs)) {
            // Among the highest it would stay the highest for ever, and the floor after a restart: dropped by id only.
            offset = newOffset(highest.highest(), highestTs, highest.snapshot());
            return offset;
        }
        int place = highest.add(ulid);
        if (place == 0) {
            highestTs = bounded(ts, nowMs);
        }
        if (place >= 0 || events != null) {
            offset = newOffset(highest.highest(), highestTs, highest.snapshot());
        }
        return offset;
    }

    /**
     * An id that is not a ULID: no floor for this pair from now on, duplicates by id only.
     *
     * @return the pair's offset, which holds this id; null when it is a duplicate
     */
    Map<String, String> acceptOther(String id, Instant ts, String eventId, long createdAtMs, long nowMs) {
        floorMs = NO_FLOOR;
        rememberedFrom = null;
        ulidsOnly = false;
        if (seen.putIfAbsent(id, Boolean.TRUE) != null
                || !liveEvent(eventId, GatewayClock.orNow(createdAtMs, nowMs))) {
            return null;
        }
        highestTs = bounded(ts, nowMs);
        offset = newOffset(id, ts, null);
        return offset;
    }

    /** False once an id that is not a ULID arrived. */
    boolean ulidsOnly() {
        return ulidsOnly;
    }

    /** The time, or now when it lies further ahead than {@link GatewayClock} believes; null stays null. */
    private static Instant bounded(Instant ts, long nowMs) {
        return ts != null && GatewayClock.ahead(ts.toEpochMilli(), nowMs) ? Instant.ofEpochMilli(nowMs) : ts;
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
