package io.github.kafkaconnectastro.subscribe;


import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.util.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which configured pair a notification is for. Written by the session thread when the gateway confirms a
 * subscription, read by the socket's reader for every notification, hence concurrent.
 *
 * <p>A pair with a room is found by (topic, room), and by the canonical room too when a gateway version names one
 * in its success response. A pair for the token's own channel (no room in the configuration) cannot be found so:
 * the gateway's success response may name no room, and its notifications carry the channel id, which the
 * configuration does not know. It takes every notification of its topic that no pair with a room takes, and
 * learns the channel id from the first (or from the response, when one names it); from then on it takes that
 * room only.
 */
public final class Routes {

    /** Where a notification goes: its pair, and the room to key it by. */
    public record Route(Subscription subscription, String room) { }

    private static final Logger log = LoggerFactory.getLogger(Routes.class);

    private final Map<Key, Subscription> byRoom = new ConcurrentHashMap<>();
    /** Own-channel pairs by topic; the value holds the room learnt so far. */
    private final Map<String, OwnChannel> ownByTopic = new HashMap<>();
    /** For notifications that carry no room at all: the pairs of each topic. */
    private final Map<String, List<Subscription>> byTopic = new HashMap<>();
    private final SubscriptionListener metrics;

    public Routes(List<Subscription> subscriptions, SubscriptionListener metrics) {
        this.metrics = metrics;
        for (Subscription subscription : subscriptions) {
            byTopic.computeIfAbsent(subscription.topic(), k -> new ArrayList<>()).add(subscription);
            if (subscription.ownChannel()) {
                ownByTopic.put(subscription.topic(), new OwnChannel(subscription));
            } else {
                byRoom.put(new Key(subscription.topic(), subscription.room()), subscription);
            }
        }
        byTopic.replaceAll((topic, list) -> Collections.unmodifiableList(list));
    }

    /**
     * The gateway confirmed the pair; {@code room} is the room its response named, null or empty when it named
     * none (a success response need not name one). A named room not shaped like one is taken as none, as it would
     * be in a notification.
     */
    void confirmed(Subscription subscription, String room) {
        if (room != null && !room.isEmpty() && !Subscription.learnableRoom(room)) {
            log.warn("The gateway confirmed {} for the room '{}', which is not a channel id; keeping {}", subscription,
                    SafeText.value(room), subscription.ownChannel() ? "the room learnt from its notifications"
                            : "the configured room");
            room = null;
        }
        if (room == null || room.isEmpty()) {
            if (!subscription.ownChannel()) {
                metrics.confirmedRoom(subscription, subscription.room());
            }
            return;
        }
        if (subscription.ownChannel()) {
            ownByTopic.get(subscription.topic()).learn(room);
        } else {
            byRoom.put(new Key(subscription.topic(), room), subscription);
            metrics.confirmedRoom(subscription, room);
        }
    }

    /**
     * The pair a notification is for, and the room to key it by; null when this task did not subscribe to it.
     *
     * @param room the notification's room (or {@code data.channel}); null when it carried neither
     */
    public Route resolve(String topic, String room) {
        if (room == null) {
            List<Subscription> candidates = byTopic.get(topic);
            if (candidates == null || candidates.size() != 1) {
                return null;
            }
            Subscription only = candidates.get(0);
            OwnChannel own = only.ownChannel() ? ownByTopic.get(topic) : null;
            return new Route(only, own == null ? only.room() : own.roomOrEmpty());
        }
        Subscription explicit = byRoom.get(new Key(topic, room));
        if (explicit != null) {
            return new Route(explicit, room);
        }
        OwnChannel own = ownByTopic.get(topic);
        return own != null && own.takes(room) ? new Route(own.subscription, room) : null;
    }

    private record Key(String topic, String room) { }

    /** An own-channel pair and the channel id learnt for it. */
    private final class OwnChannel {
        final Subscription subscription;
        private volatile String room;

        OwnChannel(Subscription subscription) {
            this.subscription = subscription;
        }

        /**
         * Takes the first room it sees, then that room only. Only a room shaped like a channel id is learnt: it
         * becomes the records' key and may be part of a topic name, so a gateway's odd text must not.
         */
        boolean takes(String candidate) {
            String known = room;
            if (known != null) {
                return known.equals(candidate);
            }
            if (!Subscription.learnableRoom(candidate)) {
                return false;
            }
            synchronized (this) {
                if (room == null) {
                    learn(candidate);
                }
                return room.equals(candidate);
            }
        }

        synchronized void learn(String value) {
            if (!value.equals(room)) {
                room = value;
                metrics.confirmedRoom(subscription, value);
            }
        }

        String roomOrEmpty() {
            String known = room;
            return known == null ? "" : known;
        }
    }
}
