package io.github.kafkaconnectastro.subscribe;

import io.github.kafkaconnectastro.auth.Credentials;
import org.apache.kafka.common.config.types.Password;

import java.time.Duration;

/** What subscribing needs from the configuration: timeouts, pacing, retries, and the token to subscribe with. */
public interface SubscribeSettings {

    /** Where the token comes from, and how a refused one is renewed. */
    Credentials credentials();

    /** The token to subscribe with now. */
    default Password token() {
        return credentials().token();
    }

    Duration subscribeTimeout();

    /** How long subscribes pause after a {@code rate_limit_exceeded}. */
    long rateLimitPauseMs();

    SubscriptionErrorPolicy subscriptionErrorPolicy();

    /** The pacer the task shares with the worker's other tasks on the same gateway host; null: one of its own. */
    CommandPacer sharedPacer();

    int commandBurst();

    Duration commandInterval();

    Duration backoffInitial();

    Duration backoffMax();

    double backoffMultiplier();
}
