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
}
