package io.github.kafkaconnectastro.subscribe;

/** Where one subscription stands on the current connection. */
public enum SubscriptionState {
    /** Not yet subscribed on this connection, or waiting to retry. */
    PENDING,
    /** Subscribe sent, answer awaited. */
    SUBSCRIBING,
    /** Confirmed by the gateway; notifications flow. */
    ACTIVE,
    /** Refused permanently and skipped ({@code astro.subscription.error.policy=skip}). */
    FAILED
}
