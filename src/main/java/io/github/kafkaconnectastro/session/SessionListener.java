package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.subscribe.SubscriptionListener;

/**
 * What a session reports about itself: the events its listeners (the task's metrics, gap tracking and repair, joined
 * by the connector) hear. The session knows nothing of who listens, so that {@code session} depends on neither.
 */
public interface SessionListener extends SubscriptionListener {

    /** Reports nothing: for tests that do not look at metrics. */
    SessionListener NONE = new SessionListener() { };

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
