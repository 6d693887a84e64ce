package io.github.kafkaconnectastro.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HandshakeRefusalTest {

    @Test
    void readsTheStatusAndRetryAfterInSeconds() {
        HandshakeRefusal refusal = refused("HTTP/1.1 429 Too Many Requests\r\nretry-after:  30 \r\n\r\n");
        assertEquals(429, refusal.status());
        assertEquals(30_000, refusal.retryAfterMs());
        assertEquals(0, refused("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\n\r\n").retryAfterMs());
    }

    @Test
    void aRefusalWithoutRetryAfterHasNone() {
        HandshakeRefusal refusal = refused("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
        assertEquals(502, refusal.status());
        assertEquals(-1, refusal.retryAfterMs());
    }

    @Test
    void anAcceptedHandshakeIsNoRefusal() {
        assertEquals(0, refused("HTTP/1.1 101 Switching Protocols\r\nRetry-After: 30\r\n\r\n").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807", "99999999999999999999", "9223372036854776"})
    void aRetryAfterTooLargeForMillisecondsSaturates(String seconds) {
        assertEquals(Long.MAX_VALUE, refused("HTTP/1.1 429 Too Many Requests\r\nRetry-After: " + seconds
                + "\r\n\r\n").retryAfterMs());
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-5", "1.5", "+30", "", "Wed, 21 Oct 2015 07:28:00"})
    void anUnreadableRetryAfterCountsAsTheLongestWait(String value) {
        assertEquals(Long.MAX_VALUE, HandshakeRefusal.parseRetryAfterMs(value, Instant.EPOCH));
    }

    @Test
    void readsAnHttpDateRelativeToNow() {
        Instant now = Instant.parse("2015-10-21T07:27:30Z");
        assertEquals(30_000, HandshakeRefusal.parseRetryAfterMs("Wed, 21 Oct 2015 07:28:00 GMT", now));
        assertEquals(0, HandshakeRefusal.parseRetryAfterMs("Tue, 20 Oct 2015 07:28:00 GMT", now), "a past date");
        assertEquals(Instant.parse("9999-12-31T23:59:59Z").toEpochMilli() - now.toEpochMilli(),
                HandshakeRefusal.parseRetryAfterMs("Fri, 31 Dec 9999 23:59:59 GMT", now));
    }

    @Test
    void describesTheRetryAfterAndSaysWhenItIsCapped() {
        long policy = Duration.ofMinutes(5).toMillis();
        assertEquals("handshake refused with HTTP 429 (Retry-After 30 s)",
                refused("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\n\r\n").describe(policy));
        assertEquals("handshake refused with HTTP 429 (Retry-After 99999999999999999999 s, capped at 300000 ms "
                        + "by reconnect.retry.after.max.ms)",
                refused("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 99999999999999999999\r\n\r\n")
                        .describe(policy));
        assertEquals("handshake refused with HTTP 429 (Retry-After 'in a\\u0007while', unreadable, so 300000 ms "
                        + "by reconnect.retry.after.max.ms)",
                refused("HTTP/1.1 429 Too Many Requests\r\nRetry-After: in a\u0007while\r\n\r\n")
                        .describe(policy));
        assertEquals("handshake refused with HTTP 502",
                refused("HTTP/1.1 502 Bad Gateway\r\n\r\n").describe(policy));
    }

    private static HandshakeRefusal refused(String head) {
        HandshakeRefusal refusal = new HandshakeRefusal();
        refusal.record(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
        return refusal;
    }
}
