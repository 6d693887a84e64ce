package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.subscribe.SubscriptionState;

import io.github.kafkaconnectastro.protocol.Subscription;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** What a session reported, for tests that drive its parts without a socket. */
public final class RecordingMetrics implements SessionListener {

    public final Map<Subscription, SubscriptionState> states = new ConcurrentHashMap<>();
    public final Map<Subscription, String> confirmedRooms = new ConcurrentHashMap<>();
    public final Map<String, AtomicInteger> malformed = new ConcurrentHashMap<>();
    public final Map<String, AtomicInteger> reconnects = new ConcurrentHashMap<>();
    public final List<String> subscribeErrors = new CopyOnWriteArrayList<>();
    public final AtomicInteger rateLimits = new AtomicInteger();
    public final AtomicInteger broadcasts = new AtomicInteger();
    public final AtomicInteger received = new AtomicInteger();

    @Override
    public void malformedFrame(String kind) {
        malformed.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    int malformed(String kind) {
        return count(malformed, kind);
    }

    @Override
    public void reconnect(ReconnectCause cause) {
        reconnects.computeIfAbsent(cause.key(), k -> new AtomicInteger()).incrementAndGet();
    }

    int reconnects(String cause) {
        return count(reconnects, cause);
    }

    private static int count(Map<String, AtomicInteger> counters, String key) {
        AtomicInteger n = counters.get(key);
        return n == null ? 0 : n.get();
    }

    @Override
    public void broadcast() {
        broadcasts.incrementAndGet();
    }

    @Override
    public void notificationReceived(Subscription subscription, long sourceEpochMs) {
        received.incrementAndGet();
    }

    @Override
    public void subscriptionState(Subscription subscription, SubscriptionState state) {
        states.put(subscription, state);
    }

    @Override
    public void confirmedRoom(Subscription subscription, String room) {
        confirmedRooms.put(subscription, room);
    }

    @Override
    public void subscribeError(Subscription subscription, String code) {
        subscribeErrors.add(subscription + "=" + code);
    }

    @Override
    public void rateLimitResponse() {
        rateLimits.incrementAndGet();
    }
}
