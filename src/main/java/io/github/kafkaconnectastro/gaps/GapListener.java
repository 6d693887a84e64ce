package io.github.kafkaconnectastro.gaps;

import io.github.kafkaconnectastro.protocol.Subscription;

/**
 * What gap tracking and repair report: each pair's gaps as they open and close, what their repair wrote, left out
 * or could not do, and each request to the REST API. The task's metrics implement it; gaps knows nothing else of
 * them. Called from the session's thread, the repair's thread and {@code poll()}: implementations must not block.
 */
public interface GapListener {

    /** A gap opened: the pair stopped being subscribed, or a restart found its last record from this time. */
    default void gapOpened(Subscription subscription, long sinceEpochMs) {
    }

    /** The open gap closed: the pair is subscribed again, after {@code lengthMs}. */
    default void gapClosed(Subscription subscription, long lengthMs) {
    }

    /** Records read from the REST API for a gap were written. */
    default void recordsRepaired(Subscription subscription, int count) {
    }

    /** A gap's whole window was read from the REST API and handed on. */
    default void gapRepaired(Subscription subscription) {
    }

    /** A gap was not repaired, or not in full. */
    default void gapUnrepaired(Subscription subscription) {
    }

    /** Events a repair found but did not write: beyond astro.backfill.max.records. */
    default void repairSkippedRecords(Subscription subscription, long count) {
    }

    /** Part of a gap not searched: older than astro.backfill.max.age.ms. */
    default void repairSkippedMillis(Subscription subscription, long millis) {
    }

    /**
     * A repair stopped reading an endpoint that reached one of its {@link RepairBounds}; the gap is also reported
     * unrepaired.
     */
    default void repairRunaway(Subscription subscription, RunawayCause cause) {
    }

    /** A request to the REST API was sent. */
    default void restRequest() {
    }

    /** A REST answer other than 200, or no answer ({@code io}); the status is one of a fixed set of keys. */
    default void restError(String status) {
    }
}
