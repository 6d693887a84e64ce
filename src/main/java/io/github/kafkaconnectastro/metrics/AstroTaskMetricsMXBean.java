package io.github.kafkaconnectastro.metrics;

import java.util.Map;

/**
 * Streaming metrics of one task, registered as
 * {@code kafka.connect.astro:type=task-metrics,connector=<name>,task=<id>}. See {@code docs/metrics.md}.
 */
public interface AstroTaskMetricsMXBean {

    /** True while the task has an open websocket connection to the gateway. */
    boolean isConnected();

    /** Seconds since the last notification arrived on any subscription; -1 before the first. */
    long getSecondsSinceLastMessage();

    /** Now minus the {@code ts} of the last notification received, in milliseconds; -1 before the first. */
    long getMilliSecondsBehindSource();

    long getNotificationsReceived();

    long getRecordsEmitted();

    long getDuplicatesDropped();

    /** Frames that were ignored: invalid JSON, binary, unknown type, missing id, too large, too deep, unroutable. */
    long getMalformedFrames();

    Map<String, Long> getMalformedFramesByKind();

    long getReconnects();

    Map<String, Long> getReconnectsByCause();

    Map<String, Long> getSubscribeErrorsByCode();

    long getRateLimitResponses();

    int getBufferCapacityRecords();

    long getBufferCapacityBytes();

    int getBufferRecords();

    long getBufferBytes();

    int getSubscriptions();

    int getActiveSubscriptions();

    int getFailedSubscriptions();
}
