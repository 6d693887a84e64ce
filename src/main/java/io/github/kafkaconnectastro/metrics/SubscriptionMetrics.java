package io.github.kafkaconnectastro.metrics;

import io.github.kafkaconnectastro.session.SubscriptionState;

import java.util.concurrent.atomic.LongAdder;

/** The live figures of one subscription; written by the session, read through JMX. */
public final class SubscriptionMetrics implements SubscriptionMetricsMXBean {

    private volatile SubscriptionState state = SubscriptionState.PENDING;
    private volatile String lastErrorCode = "";
    private volatile String confirmedRoom = "";
    private final LongAdder messages = new LongAdder();
    private volatile long lastMessageTime = -1;

    public void state(SubscriptionState newState) {
        state = newState;
    }

    public SubscriptionState state() {
        return state;
    }

    public void lastErrorCode(String code) {
        lastErrorCode = code;
    }

    public void confirmedRoom(String room) {
        confirmedRoom = room;
    }

    public void messageReceived(long epochMs) {
        messages.increment();
        lastMessageTime = epochMs;
    }

    @Override
    public String getState() {
        return state.name();
    }

    @Override
    public String getLastErrorCode() {
        return lastErrorCode;
    }

    @Override
    public String getConfirmedRoom() {
        return confirmedRoom;
    }

    @Override
    public long getMessagesReceived() {
        return messages.sum();
    }

    @Override
    public long getLastMessageTime() {
        return lastMessageTime;
    }
}
