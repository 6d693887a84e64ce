package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.subscribe.SubscriptionListener;

import io.github.kafkaconnectastro.protocol.Subscription;

/**
 * What a session reports about itself. The task's JMX metrics implement it; the session knows nothing else of
 * them, so that {@code session} does not depend on {@code metrics}.
 */
public interface SessionMetrics extends SubscriptionListener {

    /** Reports nothing: for tests that do not look at metrics. */
    SessionMetrics NONE = new SessionMetrics() { };

    default void connected(boolean connected) {
    }

    /** A connection ended or could not be made. */
    default void reconnect(ReconnectCause cause) {
    }

    /** A frame was skipped; {@code kind} is a short, fixed key such as {@code invalid_json}. */
    default void malformedFrame(String kind) {
    }

    /** A broadcast of the gateway's own (topic {@code astro}), which is for no subscription. */
    default void broadcast() {
    }

    default void notificationReceived(Subscription subscription, long sourceEpochMs) {
    }
}
