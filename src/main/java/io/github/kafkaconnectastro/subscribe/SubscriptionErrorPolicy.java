package io.github.kafkaconnectastro.subscribe;

import java.util.Locale;

/** What a task does when the gateway refuses a subscription permanently ({@code err_unauthorized}, {@code err_bad_request}). */
public enum SubscriptionErrorPolicy {
    /** The task fails, naming the subscription and the error code. */
    FAIL,
    /** The subscription is logged once, shown as failed in the metrics, and the others go on. */
    SKIP;

    public static SubscriptionErrorPolicy parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
