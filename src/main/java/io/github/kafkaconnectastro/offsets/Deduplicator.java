package io.github.kafkaconnectastro.offsets;

import io.github.kafkaconnectastro.util.SafeText;
import io.github.kafkaconnectastro.protocol.GatewayClock;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.protocol.Ulid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Drops notifications already written, and owns each pair's offset, since it sees every id accepted.
 *
 * <p>Within a running task it remembers the last ids accepted for each pair (the gateway may deliver an id twice
 * around reconnects); ids that merely arrive out of order are kept. After a restart it reads the committed offset:
 * an id whose ULID time is older than the offset's by more than the clock-skew allowance is a duplicate; within the
 * allowance (gateway nodes' clocks differ, so a new id may be stamped a little earlier than one already written)
 * only the ids the offset remembers are, and, when the offset remembered as many as it holds (a busy pair), every
 * id below the lowest of them, since those may have been written without being remembered: after a task moves,
 * the gateway has often sent the same notifications to the old and the new connection, and they must not be
 * written twice. The floor is a time, not a string, and never later than the task's clock,
 * so one odd id cannot make a pair drop everything after it.
 *
 * <p>The offset of a pair is its highest id (a late, older id does not lower it), that id's {@code ts}, and its
 * {@value SourceOffsets#RECENT_MAX} highest ids in {@code recent}. A pair whose ids are not ULIDs (a gateway that
 * changed its id format) gets no floor: its duplicates are dropped by id while the task runs, its offset holds the
 * last such id, which a restart does not use as a floor, and one warning says so.
 *
 * <p>Memory is bounded per task, not only per pair: the task's budget of ids ({@code dedup.cache.task.size}) is
 * shared evenly by its pairs, each remembering {@link #capacityPerPair} ids, so a task with many pairs does not
 * hold {@code dedup.cache.size} ids for every one of them. The share has a floor of
 * {@value #MIN_CAPACITY_PER_PAIR}, enough for the duplicates around a reconnect even on a busy pair; so a task
 * holds at most {@code max(budget, 64 * pairs)} ids, about 120 bytes each (docs/operations.md has the figures).
 * An even share is simple and predictable; a global LRU would let a busy pair push a quiet pair's few ids out,
 * and those are the ones a reconnect sends again. Used by {@code poll()} only, so not thread-safe.
 *
 * <p>On pairs whose gaps are repaired from the REST API, it also drops by the event's own id ({@code data._id}):
 * a live event already written by a repair, and a repaired event already written live or by another repair, in
 * this run or, through the offset's {@code events}, before the restart ({@link WrittenEvents} has the rules).
 *
 * <p>Nothing stamped further ahead of the task's clock than {@link GatewayClock} believes is remembered as it is: a
 * creation time or {@code ts} counts as now, and such a ULID is dropped as a duplicate by id only, never kept among
 * the highest, so a gateway node with a wrong clock cannot make later notifications or repaired events look written.
 */
public final class Deduplicator {

    /** Each pair remembers at least this many ids (or {@code dedup.cache.size} when smaller), whatever the budget. */
    public static final int MIN_CAPACITY_PER_PAIR = 64;
    /** No creation time known for an event. */
    public static final long UNKNOWN_TIME = WrittenEvents.UNKNOWN;

    private static final Logger log = LoggerFactory.getLogger(Deduplicator.class);

    private final int capacity;
    private final long clockSkewMs;
    /** Per pair, so that a notification costs one lookup. */
    private final Map<Subscription, PairIds> pairs = new HashMap<>();
    private final Predicate<Subscription> repaired;
    private final int eventCapacity;
    private final LongSupplier clock;
    private final UnrepairedWindows windows;

    /**
     * @param capacityPerPair how many recent ids each pair remembers; see {@link #capacityPerPair}
     * @param clockSkewMs     the allowance for clock differences between the gateway's nodes
     */
    public Deduplicator(int capacityPerPair, long clockSkewMs) {
        this(capacityPerPair, clockSkewMs, subscription -> false, 0);
    }

    /**
     * @param repaired           the pairs whose gaps are repaired, which also drop duplicates by event id
     * @param eventCapacityPerPair how many event ids each of those remembers: enough for every event written
     *                           between the start of a gap's window and its repair, see {@link #eventCapacityPerPair}
     */
    public Deduplicator(int capacityPerPair, long clockSkewMs, Predicate<Subscription> repaired,
                        int eventCapacityPerPair) {
        this(capacityPerPair, clockSkewMs, repaired, eventCapacityPerPair, System::currentTimeMillis);
    }

    /** @param clock the task's clock in epoch ms, against which times stamped ahead are bounded */
    public Deduplicator(int capacityPerPair, long clockSkewMs, Predicate<Subscription> repaired,
                        int eventCapacityPerPair, LongSupplier clock) {
        this(capacityPerPair, clockSkewMs, repaired, eventCapacityPerPair, clock, new UnrepairedWindows());
    }

    /** @param windows the repaired pairs' unrepaired windows, which their offsets carry */
    public Deduplicator(int capacityPerPair, long clockSkewMs, Predicate<Subscription> repaired,
                        int eventCapacityPerPair, LongSupplier clock, UnrepairedWindows windows) {
        if (capacityPerPair < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacityPerPair;
        this.clockSkewMs = clockSkewMs;
        this.repaired = repaired;
        this.eventCapacity = eventCapacityPerPair;
        this.clock = clock;
        this.windows = windows;
    }

    /**
     * Each repaired pair's share of the task's budget for event ids: {@code max(64, taskCacheSize / pairs)}, not
     * capped by {@code dedup.cache.size}, since a repair looks back over the whole gap's margin and the time until
     * it runs (a minute of a busy channel by default).
     */
    public static int eventCapacityPerPair(int taskCacheSize, int pairs) {
        return Math.max(MIN_CAPACITY_PER_PAIR, taskCacheSize / Math.max(1, pairs));
    }

    /**
     * Each pair's share of the task's budget: {@code min(cacheSize, max(64, taskCacheSize / pairs))}.
     *
     * @param cacheSize     the most ids one pair remembers ({@code dedup.cache.size})
     * @param taskCacheSize the task's budget ({@code dedup.cache.task.size})
     * @param pairs         how many pairs the task has
     */
    public static int capacityPerPair(int cacheSize, int taskCacheSize, int pairs) {
        int share = taskCacheSize / Math.max(1, pairs);
        return Math.min(cacheSize, Math.max(MIN_CAPACITY_PER_PAIR, share));
    }

    /**
     * Takes the offset committed for a pair before this task started.
     *
     * @param nowMs the current time; a committed id stamped later counts as stamped now
     */
    public void committed(Subscription subscription, Map<String, ?> offset, long nowMs) {
        if (SourceOffsets.idOf(offset) == null && SourceOffsets.eventsOf(offset).isEmpty()) {
            return;
        }
        if (!pair(subscription).committed(offset, clockSkewMs, nowMs)) {
            log.warn("The committed offset of {} has id '{}', which is not a ULID: no notification of this pair is "
                    + "dropped by time after this restart, only ids seen again while the task runs",
                    subscription, SafeText.value(SourceOffsets.idOf(offset)));
        }
    }

    /**
     * @return the pair's offset for this notification's record; null when the notification is a duplicate
     */
    public Map<String, ?> accept(Subscription subscription, String id, Instant ts) {
        return accept(subscription, id, ts, null, WrittenEvents.UNKNOWN);
    }

    /**
     * @param eventId     the event's own id ({@code data._id}), or null
     * @param createdAtMs when the event was created ({@code data.createdAt}), or {@link #UNKNOWN_TIME}
     * @return the pair's offset for this notification's record; null when the notification, or its event, is a
     *         duplicate
     */
    public Map<String, ?> accept(Subscription subscription, String id, Instant ts, String eventId,
                                 long createdAtMs) {
        PairIds pair = pair(subscription);
        String ulid = Ulid.canonical(id);
        if (ulid != null) {
            return pair.acceptUlid(ulid, ts, eventId, createdAtMs, clock.getAsLong());
        }
        if (pair.ulidsOnly()) {
            log.warn("The gateway sent id '{}' for {}, which is not a ULID: from now on this pair's duplicates are "
                    + "dropped only when the task has seen the same id, never by time; its offset records the last "
                    + "such id, which a restart does not use as a floor", SafeText.value(id), subscription);
        }
        return pair.acceptOther(id, ts, eventId, createdAtMs, clock.getAsLong());
    }

    /**
     * An event read from the REST API to repair a gap of a repaired pair.
     *
     * @return the pair's offset for its record; null when it was written already
     */
    public Map<String, ?> acceptRepaired(Subscription subscription, String eventId, long createdAtMs) {
        return pair(subscription).acceptRepaired(eventId, createdAtMs, clock.getAsLong());
    }

    /**
     * When a restarted pair's last record was written: the later of its last live notification's {@code ts} and
     * its newest event's creation, from the committed offset; null when the offset has neither.
     */
    public Instant lastWritten(Subscription subscription) {
        PairIds pair = pairs.get(subscription);
        return pair == null ? null : pair.lastWritten();
    }

    /**
     * The repair windows a restarted pair's committed offset had not repaired, oldest first: the task repairs them.
     */
    public List<UnrepairedWindows.Window> restoredWindows(Subscription subscription) {
        PairIds pair = pairs.get(subscription);
        return pair == null ? List.of() : pair.restoredWindows();
    }

    /**
     * The committed {@code events.floor} of a restarted pair: within the restart's own window, the events created
     * no later were written before it. {@link #UNKNOWN_TIME} when there is none.
     */
    public long committedFloor(Subscription subscription) {
        PairIds pair = pairs.get(subscription);
        return pair == null ? UNKNOWN_TIME : pair.committedFloorMs();
    }

    /**
     * The pair's offset as it is now, for a record that carries it without writing anything (a repair window
     * removed); null when the pair has written nothing.
     */
    public Map<String, ?> current(Subscription subscription) {
        PairIds pair = pairs.get(subscription);
        return pair == null ? null : pair.current();
    }

    private PairIds pair(Subscription subscription) {
        PairIds pair = pairs.get(subscription);
        if (pair == null) {
            pair = new PairIds(capacity, repaired.test(subscription) ? eventCapacity : 0,
                    () -> windows.of(subscription));
            pairs.put(subscription, pair);
        }
        return pair;
    }
}
