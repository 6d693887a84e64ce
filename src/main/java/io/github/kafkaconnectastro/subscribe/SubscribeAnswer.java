package io.github.kafkaconnectastro.subscribe;

import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.ErrorCode;

/** What the gateway's answer to a subscribe means, for the task's subscriptions and the validation probe alike. */
public enum SubscribeAnswer {
    /** Subscribed; an {@code err_bad_request} saying the pair is already subscribed counts too. */
    ACCEPTED,
    /** Refused for good ({@code err_unauthorized}, {@code err_bad_request}): the pair cannot succeed as configured. */
    REFUSED,
    /** {@code rate_limit_exceeded}: send it again after the pause. */
    RATE_LIMITED,
    /** Any other error (a server failure, an authorization timeout, a code this connector does not know). */
    TEMPORARY;

    public static SubscribeAnswer of(AstroMessage.Response response) {
        if (!response.isError() || response.alreadySubscribed()) {
            return ACCEPTED;
        }
        return switch (response.errorCode().handling()) {
            case PERMANENT -> REFUSED;
            case RATE_LIMITED -> RATE_LIMITED;
            case RETRY, CLIENT_BUG -> TEMPORARY;
        };
    }

    /**
     * Whether an answer is {@code rate_limit_exceeded}. The gateway sends those without a nonce, so they do not say
     * which command they refused.
     */
    public static boolean isRateLimit(AstroMessage.Response response) {
        return response.errorCode() == ErrorCode.RATE_LIMIT_EXCEEDED;
    }
}
