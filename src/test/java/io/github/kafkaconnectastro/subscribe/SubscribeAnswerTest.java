package io.github.kafkaconnectastro.subscribe;

import io.github.kafkaconnectastro.protocol.AstroMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscribeAnswerTest {

    private static AstroMessage.Response answer(String error, String message) {
        return new AstroMessage.Response("01J5", "n-1", error, message, "channel.tips", null);
    }

    @Test
    void readsEachAnswerAsTheTrackerAndTheProbeHandleIt() {
        assertEquals(SubscribeAnswer.ACCEPTED, SubscribeAnswer.of(answer(null, "successfully subscribed to topic")));
        assertEquals(SubscribeAnswer.ACCEPTED, SubscribeAnswer.of(answer("err_bad_request", "already subscribed to topic")));
        assertEquals(SubscribeAnswer.REFUSED, SubscribeAnswer.of(answer("err_unauthorized", "invalid token")));
        assertEquals(SubscribeAnswer.REFUSED, SubscribeAnswer.of(answer("err_bad_request", "unknown topic")));
        assertEquals(SubscribeAnswer.RATE_LIMITED, SubscribeAnswer.of(answer("rate_limit_exceeded", null)));
        assertEquals(SubscribeAnswer.TEMPORARY, SubscribeAnswer.of(answer("err_internal_error", null)));
        assertEquals(SubscribeAnswer.TEMPORARY, SubscribeAnswer.of(answer("err_deadline_exceeded", null)));
        assertEquals(SubscribeAnswer.TEMPORARY, SubscribeAnswer.of(answer("invalid_message", null)));
        assertEquals(SubscribeAnswer.TEMPORARY, SubscribeAnswer.of(answer("err_something_new", null)));
    }

    @Test
    void onlyRateLimitExceededIsARateLimit() {
        assertTrue(SubscribeAnswer.isRateLimit(answer("RATE_LIMIT_EXCEEDED", null)));
        assertFalse(SubscribeAnswer.isRateLimit(answer(null, "successfully subscribed to topic")));
        assertFalse(SubscribeAnswer.isRateLimit(answer("err_internal_error", null)));
    }
}
