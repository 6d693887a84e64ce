package io.github.kafkaconnectastro.metrics;

/**
 * Metrics of one (topic, room) subscription, registered as
 * {@code kafka.connect.astro:type=subscription-metrics,connector=<name>,task=<id>,topic=<topic>,room=<room>}.
 */
public interface SubscriptionMetricsMXBean {

    /** {@code PENDING}, {@code SUBSCRIBING}, {@code ACTIVE} or {@code FAILED}. */
    String getState();

    /** The error code of the last refusal, empty when there was none. */
    String getLastErrorCode();

    /** The canonical room the gateway confirmed; empty until confirmed. */
    String getConfirmedRoom();

    long getMessagesReceived();

    /** Epoch milliseconds of the last notification, -1 before the first. */
    long getLastMessageTime();
}
