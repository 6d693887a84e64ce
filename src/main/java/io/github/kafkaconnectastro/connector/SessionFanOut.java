package io.github.kafkaconnectastro.connector;

import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.session.ReconnectCause;
import io.github.kafkaconnectastro.session.SessionListener;
import io.github.kafkaconnectastro.subscribe.SubscriptionListener;
import io.github.kafkaconnectastro.subscribe.SubscriptionState;

import java.util.List;
import java.util.function.Consumer;

/**
 * Hands each of the session's events to the task's metrics, and what subscribing reports (states, confirmed
 * rooms, refusals) also to the gap side, which needs the pairs' states and rooms to track and repair gaps. The
 * session reports to one listener; this is it.
 */
public final class SessionFanOut implements SessionListener {

    private final SessionListener metrics;
    private final List<SubscriptionListener> subscribers;

    public SessionFanOut(SessionListener metrics, SubscriptionListener... subscribers) {
        this.metrics = metrics;
        this.subscribers = List.of(subscribers);
    }

    @Override
    public void connected(boolean connected) {
        metrics.connected(connected);
    }

    @Override
    public void reconnect(ReconnectCause cause) {
        metrics.reconnect(cause);
    }

    @Override
    public void malformedFrame(String kind) {
        metrics.malformedFrame(kind);
    }

    @Override
    public void broadcast() {
        metrics.broadcast();
    }

    @Override
    public void notificationReceived(Subscription subscription, long sourceEpochMs) {
        metrics.notificationReceived(subscription, sourceEpochMs);
    }

    @Override
    public void subscriptionState(Subscription subscription, SubscriptionState state) {
        toAll(listener -> listener.subscriptionState(subscription, state));
    }

    @Override
    public void confirmedRoom(Subscription subscription, String room) {
        toAll(listener -> listener.confirmedRoom(subscription, room));
    }

    @Override
    public void subscribeError(Subscription subscription, String code) {
        toAll(listener -> listener.subscribeError(subscription, code));
    }

    @Override
    public void rateLimitResponse() {
        toAll(SubscriptionListener::rateLimitResponse);
    }

    /** The metrics first, as before the gap side existed; subscribing's events are rare, so a lambda each is fine. */
    private void toAll(Consumer<SubscriptionListener> event) {
        event.accept(metrics);
        subscribers.forEach(event);
    }
}
