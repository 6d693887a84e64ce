package io.github.kafkaconnectastro.connector;

import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.session.SessionMetrics;
import io.github.kafkaconnectastro.subscribe.SubscriptionState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SessionFanOutTest {

    private static final Subscription PAIR = Subscription.parse("channel.tips:aaaaaaaaaaaaaaaaaaaaaaaa");

    private final Heard metrics = new Heard();
    private final Heard tracker = new Heard();
    private final Heard repairer = new Heard();
    private final SessionFanOut fanOut = new SessionFanOut(metrics, tracker, repairer);

    @Test
    void whatSubscribingReportsReachesTheMetricsAndEveryOtherListener() {
        fanOut.subscriptionState(PAIR, SubscriptionState.ACTIVE);
        fanOut.confirmedRoom(PAIR, "bbbbbbbbbbbbbbbbbbbbbbbb");
        fanOut.subscribeError(PAIR, "err_unauthorized");
        fanOut.rateLimitResponse();

        List<String> expected = List.of("state " + PAIR + " ACTIVE", "room " + PAIR + " bbbbbbbbbbbbbbbbbbbbbbbb",
                "error " + PAIR + " err_unauthorized", "rate limit");
        assertEquals(expected, metrics.events);
        assertEquals(expected, tracker.events);
        assertEquals(expected, repairer.events);
    }

    @Test
    void theConnectionsAndFramesReachOnlyTheMetrics() {
        fanOut.connected(true);
        fanOut.reconnect("connection_lost");
        fanOut.malformedFrame("binary");
        fanOut.broadcast();
        fanOut.notificationReceived(PAIR, 42);

        assertEquals(List.of("connected true", "reconnect connection_lost", "malformed binary", "broadcast",
                "notification " + PAIR + " 42"), metrics.events);
        assertEquals(List.of(), tracker.events);
        assertEquals(List.of(), repairer.events);
    }

    /** Every event, in order, as text. */
    private static final class Heard implements SessionMetrics {

        final List<String> events = new ArrayList<>();

        @Override
        public void connected(boolean connected) {
            events.add("connected " + connected);
        }

        @Override
        public void reconnect(String cause) {
            events.add("reconnect " + cause);
        }

        @Override
        public void malformedFrame(String kind) {
            events.add("malformed " + kind);
        }

        @Override
        public void broadcast() {
            events.add("broadcast");
        }

        @Override
        public void notificationReceived(Subscription subscription, long sourceEpochMs) {
            events.add("notification " + subscription + " " + sourceEpochMs);
        }

        @Override
        public void subscriptionState(Subscription subscription, SubscriptionState state) {
            events.add("state " + subscription + " " + state);
        }

        @Override
        public void confirmedRoom(Subscription subscription, String room) {
            events.add("room " + subscription + " " + room);
        }

        @Override
        public void subscribeError(Subscription subscription, String code) {
            events.add("error " + subscription + " " + code);
        }

        @Override
        public void rateLimitResponse() {
            events.add("rate limit");
        }
    }
}
