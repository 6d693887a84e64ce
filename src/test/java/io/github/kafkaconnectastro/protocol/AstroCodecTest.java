package io.github.kafkaconnectastro.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kafkaconnectastro.protocol.AstroMessage.Malformed.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AstroCodecTest {

    private final AstroCodec codec = new AstroCodec(16);

    @Test
    void decodesWelcome() {
        AstroMessage m = codec.decode("{\"id\":\"01J5A\",\"ts\":\"2026-03-19T12:00:00Z\",\"type\":\"welcome\","
                + "\"data\":{\"message\":\"hi\",\"client_id\":\"01J5B\"}}");
        AstroMessage.Welcome w = assertInstanceOf(AstroMessage.Welcome.class, m);
        assertEquals("01J5B", w.clientId());
        assertEquals("hi", w.message());
    }

    @Test
    void decodesSuccessResponseWithCanonicalRoom() {
        AstroMessage m = codec.decode("{\"id\":\"01HB\",\"ts\":\"2023-09-20T16:43:21Z\",\"type\":\"response\","
                + "\"nonce\":\"n-1\",\"data\":{\"message\":\"successfully subscribed to topic\","
                + "\"topic\":\"channel.follow\",\"room\":\"abc\"}}");
        AstroMessage.Response r = assertInstanceOf(AstroMessage.Response.class, m);
        assertEquals("n-1", r.nonce());
        assertFalse(r.isError());
        assertEquals("channel.follow", r.topic());
        assertEquals("abc", r.room());
    }

    @Test
    void decodesErrorResponseInTheOlderSpelling() {
        AstroMessage m = codec.decode("{\"id\":\"01HB\",\"type\":\"RESPONSE\",\"nonce\":\"n-2\","
                + "\"error\":\"err_unauthorized\",\"data\":\"invalid token\"}");
        AstroMessage.Response r = assertInstanceOf(AstroMessage.Response.class, m);
        assertTrue(r.isError());
        assertEquals(ErrorCode.UNAUTHORIZED, r.errorCode());
        assertEquals("invalid token", r.message());
    }

    @Test
    void rateLimitResponseWithoutNonce() {
        AstroMessage.Response r = assertInstanceOf(AstroMessage.Response.class,
                codec.decode("{\"type\":\"response\",\"error\":\"rate_limit_exceeded\",\"data\":{\"message\":\"slow\"}}"));
        assertNull(r.nonce());
        assertEquals(ErrorCode.Handling.RATE_LIMITED, r.errorCode().handling());
    }

    @Test
    void decodesNotificationKeepingDataAsJson() {
        AstroMessage m = codec.decode("{\"id\":\"01HPPM2TQ6CCMFQGHEN8MM1NN0\",\"ts\":\"2024-02-15T14:52:42Z\","
                + "\"type\":\"message\",\"topic\":\"channel.activities\",\"room\":\"6183c7d4\","
                + "\"data\":{\"type\":\"follow\",\"channel\":\"6183c7d4\",\"data\":{\"username\":\"jtv\"}},"
                + "\"extra\":1}");
        AstroMessage.Notification n = assertInstanceOf(AstroMessage.Notification.class, m);
        assertEquals("01HPPM2TQ6CCMFQGHEN8MM1NN0", n.id());
        assertEquals(Instant.parse("2024-02-15T14:52:42Z"), n.ts());
        assertEquals("channel.activities", n.topic());
        assertEquals("6183c7d4", n.room());
        assertEquals("follow", n.dataType());
        assertEquals("{\"type\":\"follow\",\"channel\":\"6183c7d4\",\"data\":{\"username\":\"jtv\"}}", n.dataJson());
    }

    @Test
    void keepsDataExactlyAsSentIncludingNonAsciiText() {
        String data = "{ \"type\": \"tip\", \"data\": {\"message\": \"Zoë 日本 🎉\", \"amount\": [1, {\"x\": null}]} }";
        AstroMessage.Notification n = assertInstanceOf(AstroMessage.Notification.class,
                codec.decode("{\"data\": " + data + ", \"id\":\"01A\",\"type\":\"message\",\"topic\":\"channel.tips\"}"));
        assertEquals(data, n.dataJson());
        assertEquals("tip", n.dataType());
    }

    @Test
    void trailingContentIsMalformed() {
        assertInstanceOf(AstroMessage.Malformed.class, codec.decode("{\"type\":\"welcome\"} {\"type\":\"welcome\"}"));
    }

    @Test
    void notificationWithoutRoomFallsBackToDataChannel() {
        AstroMessage.Notification n = assertInstanceOf(AstroMessage.Notification.class,
                codec.decode("{\"id\":\"01A\",\"ts\":\"2024-02-15T14:52:42+02:00\",\"type\":\"message\","
                        + "\"topic\":\"channel.tips\",\"data\":{\"channel\":\"room7\",\"amount\":3}}"));
        assertEquals("room7", n.room());
        assertEquals(Instant.parse("2024-02-15T12:52:42Z"), n.ts());
    }

    /** Found by AstroCodecFuzzTest: an empty data.channel became the room "". */
    @ParameterizedTest
    @ValueSource(strings = {"", "\"room\":\"\","})
    void anEmptyRoomOrChannelIsNoRoom(String emptyRoom) {
        String frame = "{\"id\":\"01A\",\"type\":\"message\",\"topic\":\"channel.activities\"," + emptyRoom
                + "\"data\":{\"channel\":\"\"}}";
        assertNull(assertInstanceOf(AstroMessage.Notification.class, codec.decode(frame)).room());
    }

    @Test
    void notificationWithNeitherRoomNorChannelHasNoRoom() {
        AstroMessage.Notification n = assertInstanceOf(AstroMessage.Notification.class,
                codec.decode("{\"id\":\"01A\",\"type\":\"message\",\"topic\":\"channel.stream.status\","
                        + "\"data\":{\"isLive\":true}}"));
        assertNull(n.room());
        assertNull(n.dataType());
    }

    @Test
    void decodesReconnectWithoutId() {
        AstroMessage.Reconnect r = assertInstanceOf(AstroMessage.Reconnect.class,
                codec.decode("{\"type\":\"reconnect\",\"data\":{\"message\":\"The server is shutting down.\","
                        + "\"reconnect_token\":\"eyJabc\"}}"));
        assertEquals("eyJabc", r.reconnectToken());
    }

    @Test
    void unknownTypeIsAValueNotAnError() {
        AstroMessage.Unknown u = assertInstanceOf(AstroMessage.Unknown.class,
                codec.decode("{\"type\":\"presence\",\"data\":{}}"));
        assertEquals("presence", u.type());
    }

    @Test
    void malformedInputNeverThrowsAndSaysWhatKindItIs() {
        assertMalformed(Kind.INVALID_JSON, "{not json");
        assertMalformed(Kind.INVALID_JSON, "[1,2]");
        assertMalformed(Kind.INVALID_JSON, "");
        assertMalformed(Kind.MISSING_FIELD, "{\"data\":{}}");
        assertMalformed(Kind.MISSING_FIELD, "{\"type\":\"message\",\"topic\":\"t\",\"data\":{}}");
        assertMalformed(Kind.MISSING_FIELD, "{\"type\":\"message\",\"id\":\"01A\",\"data\":{}}");
        assertMalformed(Kind.BAD_VALUE, "{\"type\":\"message\",\"id\":\"01A\",\"topic\":\"t\",\"ts\":\"yesterday\"}");
        assertMalformed(Kind.JSON_LIMIT, "{\"type\":\"message\",\"n\":" + "9".repeat(2000) + "}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0001-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "1970-01-01T00:30:00+01:00",
        "+10000-01-01T00:00:00Z", "9999-12-31T23:00:00-05:00", "-0001-01-01T00:00:00Z",
    })
    void notificationWithATimestampKafkaCannotCarryIsABadValue(String ts) {
        AstroMessage.Malformed m = assertInstanceOf(AstroMessage.Malformed.class, codec.decode(
                "{\"id\":\"01A\",\"ts\":\"" + ts + "\",\"type\":\"message\",\"topic\":\"t\",\"data\":{}}"));
        assertEquals(Kind.BAD_VALUE, m.kind());
        assertEquals("notification 01A has a 'ts' outside 1970–9999", m.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "1970-01-01T01:00:00+01:00", "9999-12-31T23:59:59.999999999Z"})
    void notificationAtTheEdgesOfTheTimestampRangeIsKept(String ts) {
        AstroMessage.Notification n = assertInstanceOf(AstroMessage.Notification.class, codec.decode(
                "{\"id\":\"01A\",\"ts\":\"" + ts + "\",\"type\":\"message\",\"topic\":\"t\",\"data\":{}}"));
        assertEquals(OffsetDateTime.parse(ts).toInstant(), n.ts());
    }

    private void assertMalformed(Kind kind, String frame) {
        assertEquals(kind, assertInstanceOf(AstroMessage.Malformed.class, codec.decode(frame)).kind(), frame);
    }

    @Test
    void malformedReasonDoesNotEchoTheFrame() {
        AstroMessage.Malformed m = assertInstanceOf(AstroMessage.Malformed.class,
                codec.decode("{\"type\":\"message\",\"email\":\"someone@example.com\" oops}"));
        assertFalse(m.reason().contains("someone@example.com"), m.reason());
    }

    @Test
    void tooDeepJsonIsMalformed() {
        String deep = "{\"type\":\"message\",\"id\":\"01A\",\"topic\":\"t\",\"data\":"
                + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "}";
        AstroMessage.Malformed m = assertInstanceOf(AstroMessage.Malformed.class, codec.decode(deep));
        assertEquals(Kind.TOO_DEEP, m.kind());
        assertTrue(m.reason().startsWith("frame exceeds"), m.reason());
    }

    @Test
    void encodesSubscribeWithExplicitRoomAndConfiguredTokenType() {
        String json = codec.subscribe("n1", "channel.activities", "", "secret", TokenType.OAUTH);
        assertEquals("{\"type\":\"subscribe\",\"nonce\":\"n1\",\"data\":{\"topic\":\"channel.activities\","
                + "\"room\":\"\",\"token\":\"secret\",\"token_type\":\"oauth\"}}", json.replace(" ", ""));
    }

    @Test
    void padsSubscribeWithWhitespacePastTheSizeJavaWebSocketPrints() throws Exception {
        String json = codec.subscribe("n1", "channel.activities", "r\u00e9", "secret", TokenType.JWT);
        assertEquals(AstroCodec.SUBSCRIBE_MIN_BYTES, json.getBytes(StandardCharsets.UTF_8).length);
        assertTrue(json.endsWith(" }"), json);
        JsonNode parsed = new ObjectMapper().readTree(json);
        assertEquals("secret", parsed.get("data").get("token").asText());
        assertEquals("r\u00e9", parsed.get("data").get("room").asText());

        String longToken = "t".repeat(2000);
        String unpadded = codec.subscribe("n1", "channel.activities", "", longToken, TokenType.JWT);
        assertFalse(unpadded.contains(" "), "a command already past the size is not padded");
    }

    @Test
    void parsesTokenTypesInBothSpellings() {
        assertEquals(TokenType.OAUTH2, TokenType.parse(" OAuth2 "));
        assertEquals(TokenType.OAUTH, TokenType.parse("oauth"));
        assertEquals(TokenType.APIKEY, TokenType.parse("apikey"));
    }

    @Test
    void classifiesErrorCodes() {
        assertEquals(ErrorCode.Handling.PERMANENT, ErrorCode.of("err_bad_request").handling());
        assertEquals(ErrorCode.Handling.RETRY, ErrorCode.of("err_deadline_exceeded").handling());
        assertEquals(ErrorCode.Handling.CLIENT_BUG, ErrorCode.of("invalid_message_type").handling());
        assertEquals(ErrorCode.OTHER, ErrorCode.of("err_new_thing"));
    }

    @Test
    void theDocumentsBroadcastIsABroadcastForNoSubscription() {
        AstroMessage.Broadcast b = assertInstanceOf(AstroMessage.Broadcast.class,
                codec.decode(DocumentExamples.text("seed-notification-broadcast.json")));
        assertEquals("01HB0YF39XF16HMHCPDYZYJYFK", b.id());
        assertEquals("Hello world!", b.message());
    }

    @Test
    void theDocumentsSuccessResponseHasNoRoom() {
        AstroMessage.Response r = assertInstanceOf(AstroMessage.Response.class,
                codec.decode(DocumentExamples.text("seed-response-success.json")));
        assertFalse(r.isError());
        assertEquals("86ccb2b3-eb8d-4b3c-902d-509c3f5ca88c", r.nonce());
        assertEquals("channel.follow", r.topic());
        assertNull(r.room(), "neither document shows a room in a success response");
    }

    @Test
    void theDocumentsErrorResponse() {
        AstroMessage.Response r = assertInstanceOf(AstroMessage.Response.class,
                codec.decode(DocumentExamples.text("seed-response-error-unauthorized.json")));
        assertEquals(ErrorCode.UNAUTHORIZED, r.errorCode());
        assertEquals("invalid token", r.message());
        assertFalse(r.alreadySubscribed());
    }

    @Test
    void theDocumentsNotificationAndReconnect() {
        AstroMessage.Notification n = assertInstanceOf(AstroMessage.Notification.class,
                codec.decode(DocumentExamples.text("protocol-notification-activity.json")));
        assertEquals("6183c7d4ebc632abbf809890", n.room());
        assertEquals("follow", n.dataType());
        AstroMessage.Reconnect r = assertInstanceOf(AstroMessage.Reconnect.class,
                codec.decode(DocumentExamples.text("protocol-reconnect.json")));
        assertEquals("eyJ…", r.reconnectToken());
    }

    @Test
    void the2023ShapeWithDataAsAPlainString() {
        AstroMessage.Response r = assertInstanceOf(AstroMessage.Response.class, codec.decode(
                DocumentExamples.as2023(DocumentExamples.text("seed-response-success.json"))));
        assertFalse(r.isError());
        assertEquals("successfully subscribed to topic", r.message());
        assertEquals("86ccb2b3-eb8d-4b3c-902d-509c3f5ca88c", r.nonce());
    }

    @Test
    void alreadySubscribedIsRecognisedWhateverTheCase() {
        AstroMessage.Response r = assertInstanceOf(AstroMessage.Response.class, codec.decode(
                "{\"type\":\"response\",\"nonce\":\"n1\",\"error\":\"err_bad_request\","
                        + "\"data\":{\"message\":\"Already subscribed to topic\"}}"));
        assertTrue(r.alreadySubscribed());
    }
}
