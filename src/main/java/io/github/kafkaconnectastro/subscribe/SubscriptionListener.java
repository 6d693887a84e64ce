package io.github.kafkaconnectastro.subscribe;

import io.github.kafkaconnectastro.protocol.Subscription;

/**
 * What subscribing reports: each pair's state, the room the gateway confirmed, refusals. The session's own
 * listener extends it, so that whoever listens to the session hears these too, and subscribing knows nothing of
 * who listens.
 */
public interface SubscriptionListener {

    default void subscriptionState(Subscription subscription, SubscriptionState state) {
    }

    /** The room the gateway confirmed or the notifications showed; for the own channel, learnt on the way. */
    default void confirmedRoom(Subscription subscription, String room) {
    }

    /** An error answer to a subscribe, by its wire code (the last one per pair is kept). */
    default void subscribeError(Subscription subscription, String code) {
    }

    /** A {@code rate_limit_exceeded} answer; such answers carry no nonce, so they are counted apart. */
    default void rateLimitResponse() {
    }
}
