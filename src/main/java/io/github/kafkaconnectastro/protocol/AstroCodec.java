package io.github.kafkaconnectastro.protocol;

import io.github.kafkaconnectastro.util.SafeText;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kafkaconnectastro.protocol.AstroMessage.Malformed.Kind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads and writes Astro's JSON messages. Decoding never throws: a frame it cannot read is a
 * {@link AstroMessage.Malformed} whose reason names the problem but never repeats the frame (it may hold
 * personal data). Fields this connector does not know are ignored, so new server fields do not break it.
 */
public final class AstroCodec {

    /**
     * The end of the range of a notification's {@code ts}, which starts at the epoch: Kafka refuses a record
     * timestamp before 1970, and a year of more than four digits is not a usual RFC 3339 date. A valid RFC 3339
     * text outside the range would otherwise fail the task when the record is sent.
     */
    private static final Instant YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z");
    /**
     * The least size of a subscribe command, in UTF-8 bytes. Java-WebSocket at TRACE prints the payload of every
     * frame it sends of up to 1000 bytes, and "(too big to display)" for a larger one: padded past that, the command
     * that carries the token is never printed (docs/operations.md).
     */
    public static final int SUBSCRIBE_MIN_BYTES = 1001;

    private final JsonFactory factory;
    private final ObjectMapper mapper;

    /**
     * @param maxNestingDepth frames whose JSON nests deeper than this are malformed; bounds the parser's stack
     */
    public AstroCodec(int maxNestingDepth) {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build())
                .build();
        this.mapper = new ObjectMapper(this.factory);
    }

    /**
     * Decodes one text frame in a single streaming pass. A notification's {@code data} is kept as the exact text
     * the gateway sent (a slice of the frame), so it is neither built into a tree nor written out again.
     */
    public AstroMessage decode(String frame) {
        Fields f = new Fields();
        try (JsonParser parser = factory.createParser(frame)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new AstroMessage.Malformed(Kind.INVALID_JSON, "frame is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("data")) {
                    readData(parser, value, frame, f);
                } else if (value.isScalarValue()) {
                    f.top(name, value == JsonToken.VALUE_NULL ? null : parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                return new AstroMessage.Malformed(Kind.INVALID_JSON, "trailing content after the JSON object");
            }
        } catch (StreamConstraintsException e) {
            String limit = firstLine(e.getOriginalMessage());
            return new AstroMessage.Malformed(limit.contains("nesting depth") ? Kind.TOO_DEEP : Kind.JSON_LIMIT,
                    "frame exceeds a JSON limit: " + limit);
        } catch (JsonProcessingException e) {
            return new AstroMessage.Malformed(Kind.INVALID_JSON, "invalid JSON at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            return new AstroMessage.Malformed(Kind.INVALID_JSON, "unreadable frame: " + e.getClass().getSimpleName());
        }
        if (f.type == null) {
            return new AstroMessage.Malformed(Kind.MISSING_FIELD, "frame has no 'type'");
        }
        // Types are matched in any case: the response type may come in capitals, an older spelling.
        switch (f.type.toLowerCase(Locale.ROOT)) {
            case "message":
                return notification(f, frame.length());
            case "response":
                return new AstroMessage.Response(f.id, f.nonce, f.error, f.dataMessage, f.dataTopic, f.dataRoom);
            case "welcome":
                return new AstroMessage.Welcome(f.id, f.dataClientId, f.dataMessage);
            case "reconnect":
                return new AstroMessage.Reconnect(f.dataReconnectToken, f.dataMessage);
            default:
                return new AstroMessage.Unknown(f.type);
        }
    }

    private static void readData(JsonParser parser, JsonToken value, String frame, Fields f) throws IOException {
        if (value == JsonToken.START_OBJECT) {
            int start = (int) parser.currentTokenLocation().getCharOffset();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken inner = parser.nextToken();
                if (inner.isScalarValue()) {
                    f.data(name, inner == JsonToken.VALUE_NULL ? null : parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
            f.dataJson = frame.substring(start, (int) parser.currentLocation().getCharOffset());
        } else if (value == JsonToken.START_ARRAY) {
            int start = (int) parser.currentTokenLocation().getCharOffset();
            parser.skipChildren();
            f.dataJson = frame.substring(start, (int) parser.currentLocation().getCharOffset());
        } else if (value != JsonToken.VALUE_NULL) {
            // A response's data may be a plain string, an older form.
            f.dataMessage = parser.getText();
            f.dataJson = value == JsonToken.VALUE_STRING ? null : parser.getText();
        }
    }

    private static AstroMessage notification(Fields f, int frameBytes) {
        if (AstroMessage.Broadcast.TOPIC.equals(f.topic)) {
            return new AstroMessage.Broadcast(f.id, f.dataMessage);
        }
        if (f.id == null || f.id.isEmpty()) {
            return new AstroMessage.Malformed(Kind.MISSING_FIELD, "notification has no 'id'");
        }
        if (f.topic == null || f.topic.isEmpty()) {
            return new AstroMessage.Malformed(Kind.MISSING_FIELD, "notification " + SafeText.value(f.id) + " has no 'topic'");
        }
        Instant ts;
        try {
            ts = parseTimestamp(f.ts);
        } catch (DateTimeParseException e) {
            return new AstroMessage.Malformed(Kind.BAD_VALUE, "notification " + SafeText.value(f.id) + " has an unreadable 'ts'");
        }
        if (ts.isBefore(Instant.EPOCH) || !ts.isBefore(YEAR_10000)) {
            return new AstroMessage.Malformed(Kind.BAD_VALUE,
                    "notification " + SafeText.value(f.id) + " has a 'ts' outside 1970–9999");
        }
        // An empty text names no room: an own-channel pair would otherwise learn "" as its channel id.
        String room = f.room != null && !f.room.isEmpty() ? f.room
                : f.dataChannel != null && !f.dataChannel.isEmpty() ? f.dataChannel : null;
        return new AstroMessage.Notification(f.id, ts, f.topic, room, f.dataType, f.dataId, f.dataJson, frameBytes,
                f.dataCreatedAt);
    }

    /**
     * The text of a subscribe command, padded with JSON whitespace before its closing brace to at least
     * {@link #SUBSCRIBE_MIN_BYTES}. The token is written into the frame only, never into anything logged.
     */
    public String subscribe(String nonce, String topic, String room, String token, TokenType tokenType) {
        ObjectNode command = mapper.createObjectNode();
        command.put("type", "subscribe");
        command.put("nonce", nonce);
        ObjectNode data = command.putObject("data");
        data.put("topic", topic);
        data.put("room", room);
        data.put("token", token);
        data.put("token_type", tokenType.wire());
        String json = command.toString();
        int missing = SUBSCRIBE_MIN_BYTES - json.getBytes(StandardCharsets.UTF_8).length;
        if (missing <= 0) {
            return json;
        }
        int end = json.length() - 1;
        return json.substring(0, end) + " ".repeat(missing) + json.substring(end);
    }

    /** The text of an unsubscribe command for one room of a topic. */
    public String unsubscribe(String nonce, String topic, String room) {
        ObjectNode command = mapper.createObjectNode();
        command.put("type", "unsubscribe");
        command.put("nonce", nonce);
        ObjectNode data = command.putObject("data");
        data.put("topic", topic);
        data.put("room", room);
        return command.toString();
    }

    /** RFC 3339 with any offset; a missing time is "now", since a record needs one and the gateway sent none. */
    static Instant parseTimestamp(String value) {
        if (value == null || value.isEmpty()) {
            return Instant.now();
        }
        return Rfc3339.parse(value);
    }


    /** The fields of a frame this connector reads; everything else is skipped. */
    private static final class Fields {
        String type;
        String id;
        String ts;
        String topic;
        String room;
        String nonce;
        String error;
        String dataType;
        String dataId;
        String dataChannel;
        String dataMessage;
        String dataTopic;
        String dataRoom;
        String dataClientId;
        String dataCreatedAt;
        String dataReconnectToken;
        String dataJson;

        void top(String name, String value) {
            switch (name) {
                case "type" -> type = value;
                case "id" -> id = value;
                case "ts" -> ts = value;
                case "topic" -> topic = value;
                case "room" -> room = value;
                case "nonce" -> nonce = value;
                case "error" -> error = value;
                default -> { }
            }
        }

        void data(String name, String value) {
            switch (name) {
                case "type" -> dataType = value;
                case "_id" -> dataId = value;
                case "channel" -> dataChannel = value;
                case "message" -> dataMessage = value;
                case "topic" -> dataTopic = value;
                case "room" -> dataRoom = value;
                case "client_id" -> dataClientId = value;
                case "createdAt" -> dataCreatedAt = value;
                case "reconnect_token" -> dataReconnectToken = value;
                default -> { }
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
