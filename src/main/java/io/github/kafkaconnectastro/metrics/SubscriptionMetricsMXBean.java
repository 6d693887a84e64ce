package io.github.kafkaconnectastro.metrics;

/**
 * Metrics of one (topic, room) subscription, registered as
 * {@code kafka.connect.astro:type=subscription-metrics,connector=<name>,task=<id>,topic=<topic>,room=<room>}
 * (the room is {@code ""} for the token's own channel).
 */
public interface SubscriptionMetricsMXBean {

    /** {@code PENDING}, {@code SUBSCRIBING}, {@code ACTIVE} or {@code FAILED}. */
    String getState();

    /** The error code of the permanent refusal that made the subscription {@code FAILED}; empty otherwise. */
    String getLastErrorCode();

    /** The canonical room the gateway confirmed; empty until confirmed. */
    String getConfirmedRoom();

    /** Notifications received for this pair since the task started, duplicates included. */
    long getMessagesReceived();

    /** Epoch milliseconds of the last notification, -1 before the first. */
    long getLastMessageTime();

    /**
     * Gaps closed: times the pair was subscribed again after it had stopped being subscribed on a healthy
     * connection, or, after a restart, after its last committed record. A gap still open is not counted yet.
     */
    long getGaps();

    /** The closed gaps' total length, in seconds. */
    long getGapSecondsTotal();

    /** The last closed gap's length, in seconds (with milliseconds); -1 before the first. */
    double getLastGapSeconds();

    /** How long the open gap has lasted so far, in seconds; 0 while the pair is subscribed. */
    long getCurrentGapSeconds();

    /** Records written from the REST API to repair gaps (header astro.source=rest). */
    long getRepairedRecords();

    /** Gaps whose whole window was read from the REST API and written. */
    long getRepairedGaps();

    /**
     * Gaps not repaired, or not in full: the topic has no REST history, repair is off, the REST API failed, or
     * the gap went beyond astro.backfill.max.age.ms or astro.backfill.max.records.
     */
    long getUnrepairedGaps();

    /** Events a repair found in a gap but did not write, as they were beyond astro.backfill.max.records. */
    long getRepairSkippedRecords();

    /**
     * Repairs stopped because the REST API went beyond their bounds: more pages or ids than a window can hold, a
     * body too large, or one still arriving at the read deadline.
     */
    long getRunawayRepairs();

    /** Seconds of gaps not searched, as they were older than astro.backfill.max.age.ms. */
    long getRepairSkippedSeconds();
}
