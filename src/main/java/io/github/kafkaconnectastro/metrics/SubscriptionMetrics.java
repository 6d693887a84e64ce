package io.github.kafkaconnectastro.metrics;

import io.github.kafkaconnectastro.subscribe.SubscriptionState;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live figures of one subscription; written by {@link AstroTaskMetrics} from what the session, gap tracking and
 * repair report, read through JMX.
 */
public final class SubscriptionMetrics implements SubscriptionMetricsMXBean {

    private volatile SubscriptionState state = SubscriptionState.PENDING;
    private volatile String lastErrorCode = "";
    private volatile String confirmedRoom = "";
    private final LongAdder messages = new LongAdder();
    private volatile long lastMessageTime = -1;
    private final LongAdder gaps = new LongAdder();
    private final AtomicLong gapMillisTotal = new AtomicLong();
    private volatile long lastGapMillis = -1;
    /** Epoch ms the open gap started; -1 while the pair is subscribed (or never was). */
    private volatile long openGapSince = -1;
    private final LongAdder repairedRecords = new LongAdder();
    private final LongAdder repairedGaps = new LongAdder();
    private final LongAdder unrepairedGaps = new LongAdder();
    private final LongAdder repairSkippedRecords = new LongAdder();
    private final AtomicLong repairSkippedMillis = new AtomicLong();
    private final LongAdder runawayRepairs = new LongAdder();

    void state(SubscriptionState newState) {
        state = newState;
    }

    SubscriptionState state() {
        return state;
    }

    void lastErrorCode(String code) {
        lastErrorCode = code;
    }

    void confirmedRoom(String room) {
        confirmedRoom = room;
    }

    void messageReceived(long epochMs) {
        messages.increment();
        lastMessageTime = epochMs;
    }

    /** A gap opened: the pair stopped being subscribed, or a restart found its last record from this time. */
    void gapOpened(long sinceEpochMs) {
        openGapSince = sinceEpochMs;
    }

    /** The open gap closed: the pair is subscribed again, after {@code lengthMs}. */
    void gapClosed(long lengthMs) {
        openGapSince = -1;
        gaps.increment();
        gapMillisTotal.addAndGet(lengthMs);
        lastGapMillis = lengthMs;
    }

    void recordsRepaired(int count) {
        repairedRecords.add(count);
    }

    void gapRepaired() {
        repairedGaps.increment();
    }

    void gapUnrepaired() {
        unrepairedGaps.increment();
    }

    /** Events a repair found but did not write: beyond astro.backfill.max.records. */
    void repairSkippedRecords(long count) {
        repairSkippedRecords.add(count);
    }

    /** A repair stopped reading an endpoint that went beyond the repair's bounds. */
    void repairRunaway() {
        runawayRepairs.increment();
    }

    /** Part of a gap not searched: older than astro.backfill.max.age.ms. */
    void repairSkippedMillis(long millis) {
        repairSkippedMillis.addAndGet(millis);
    }

    @Override
    public String getState() {
        return state.name();
    }

    @Override
    public String getLastErrorCode() {
        return lastErrorCode;
    }

    @Override
    public String getConfirmedRoom() {
        return confirmedRoom;
    }

    @Override
    public long getMessagesReceived() {
        return messages.sum();
    }

    @Override
    public long getLastMessageTime() {
        return lastMessageTime;
    }

    @Override
    public long getGaps() {
        return gaps.sum();
    }

    @Override
    public long getGapSecondsTotal() {
        return gapMillisTotal.get() / 1000;
    }

    @Override
    public double getLastGapSeconds() {
        long last = lastGapMillis;
        return last < 0 ? -1 : last / 1000.0;
    }

    @Override
    public long getCurrentGapSeconds() {
        long since = openGapSince;
        return since < 0 ? 0 : Math.max(0, (System.currentTimeMillis() - since) / 1000);
    }

    @Override
    public long getRepairedRecords() {
        return repairedRecords.sum();
    }

    @Override
    public long getRepairedGaps() {
        return repairedGaps.sum();
    }

    @Override
    public long getUnrepairedGaps() {
        return unrepairedGaps.sum();
    }

    @Override
    public long getRepairSkippedRecords() {
        return repairSkippedRecords.sum();
    }

    @Override
    public long getRunawayRepairs() {
        return runawayRepairs.sum();
    }

    @Override
    public long getRepairSkippedSeconds() {
        return repairSkippedMillis.get() / 1000;
    }
}
