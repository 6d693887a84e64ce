package io.github.kafkaconnectastro.metrics;

import java.util.Map;

/**
 * Streaming metrics of one task, registered as
 * {@code kafka.connect.astro:type=task-metrics,connector=<name>,task=<id>}. Counters count from the task's
 * start. {@code docs/metrics.md} describes each attribute and which to alert on.
 */
public interface AstroTaskMetricsMXBean {

    /** True while the task has an open websocket connection to the gateway. */
    boolean isConnected();

    /**
     * Seconds until the token in use expires (a JWT's {@code exp}, an OAuth2 access token's {@code expires_in}); 0
     * once expired; -1 when unknown (an overlay token, an opaque token).
     */
    long getTokenSecondsLeft();

    /** OAuth2 access tokens this task obtained (by refreshing) or took over from task 0 since it started. */
    long getTokenRenewals();

    /**
     * OAuth2 attempts to obtain an access token that failed and are tried again since the task started: task 0's
     * refreshes the token endpoint did not answer usably, and any unexpected error of a task's token thread.
     */
    long getTokenRefreshFailures();

    /** Seconds since the last notification arrived on any subscription; -1 before the first. */
    long getSecondsSinceLastMessage();

    /** Arrival time minus the {@code ts} of the last notification received, in milliseconds; -1 before the first. */
    long getMilliSecondsBehindSource();

    /** Notifications routed to one of the task's subscriptions, duplicates included. */
    long getNotificationsReceived();

    /** Records handed to Connect from {@code poll()}: notifications that were not duplicates. */
    long getRecordsEmitted();

    /** Notifications dropped as already written: seen in this run, or not newer than the committed offset. */
    long getDuplicatesDropped();

    /**
     * Records written with their payload as JSON text in {@code raw} because a field held a JSON value of another
     * type than the topic's schema ({@code astro.value.format=typed}); each is logged, rate-limited, naming the field.
     */
    long getPayloadMisfits();

    /**
     * Notifications whose {@code ts} or id lay more than five minutes ahead of the task's clock (a gateway node's
     * clock is wrong): written with the time the task mapped them as the record's timestamp when {@code ts} did
     * (header {@code astro.timestamp=arrival}), and remembered in the offsets as stamped now; each pair's first,
     * then one a minute, is logged.
     */
    long getNotificationsAheadOfClock();

    /** Frames that were ignored: invalid JSON, binary, unknown type, missing id, too large, too deep, unroutable. */
    long getMalformedFrames();

    /**
     * {@link #getMalformedFrames()} by kind: {@code invalid_json}, {@code missing_field} (no id, topic or type),
     * {@code bad_value}, {@code too_deep}, {@code json_limit}, {@code too_large}, {@code binary},
     * {@code unknown_type} and {@code unsubscribed} (a notification for a pair this task did not subscribe to).
     */
    Map<String, Long> getMalformedFramesByKind();

    /** Connections lost or replaced, whatever the cause, and failed connection attempts. */
    long getReconnects();

    /** {@link #getReconnects()} by cause. */
    Map<String, Long> getReconnectsByCause();

    /** Error answers to subscribes, rate-limit answers excepted (see {@link #getRateLimitResponses()}). */
    long getSubscribeErrors();

    /**
     * {@link #getSubscribeErrors()} by the gateway's error code: the codes this connector knows, and {@code other}
     * for any other code.
     */
    Map<String, Long> getSubscribeErrorsByCode();

    /** {@code rate_limit_exceeded} answers; each pauses the task's subscribes. */
    long getRateLimitResponses();

    /**
     * Broadcasts of the gateway's own, on topic {@code astro} (a "Hello world!" greeting, for instance): for no
     * subscription, so not written to Kafka; the first is logged.
     */
    long getBroadcasts();

    /** {@code buffer.max.records}. */
    int getBufferCapacityRecords();

    /** {@code buffer.max.bytes}. */
    long getBufferCapacityBytes();

    /** Notifications waiting between the socket and Kafka now. */
    int getBufferRecords();

    /** Estimated heap of the notifications waiting between the socket and Kafka now. */
    long getBufferBytes();

    /** The (topic, room) pairs this task is configured for. */
    int getSubscriptions();

    /** Pairs the gateway confirmed on the current connection. */
    int getActiveSubscriptions();

    /** Pairs the gateway refused permanently and the task skips ({@code astro.subscription.error.policy=skip}). */
    int getFailedSubscriptions();

    /** Requests sent to the REST API to repair gaps. */
    long getRestRequests();

    /** REST requests that failed: an HTTP status other than 200, or no answer. */
    long getRestErrors();

    /** The same by status: the HTTP status code ({@code 429}, {@code 503}, ...), or {@code io} for no answer. */
    Map<String, Long> getRestErrorsByStatus();
}
