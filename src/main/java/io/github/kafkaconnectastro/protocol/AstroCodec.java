package io.github.kafkaconnectastro.protocol;

import io.github.kafkaconnectastro.util.SafeText;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.ReaderBasedJsonParser;
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
    /** Reads notifications' payloads in the codec's pass; null to keep each payload as text only. */
    private final PayloadReader payloads;
    /** The texts that come in every frame alike (type, topic, room, data's type and channel), and data's _id. */
    private final TextCache texts;
    /** Each reader thread's fields of the frame it reads, cleared per frame. */
    private final ThreadLocal<Fields> threadFields = ThreadLocal.withInitial(Fields::new);

    /**
     * @param maxNestingDepth frames whose JSON nests deeper than this are malformed; bounds the parser's stack
     */
    public AstroCodec(int maxNestingDepth) {
        this(maxNestingDepth, null);
    }

    /**
     * @param payloads reads each notification's {@code data} in the same pass ({@link AstroMessage.Notification#payload});
     *                 null to keep it as text only
     */
    public AstroCodec(int maxNestingDepth, PayloadReader payloads) {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build())
                .build();
        this.mapper = new ObjectMapper(this.factory);
        this.payloads = payloads;
        this.texts = payloads == null ? new TextCache() : payloads.texts();
    }

    /**
     * Decodes one text frame in a single streaming pass. A notification's {@code data} is kept as the exact text
     * the gateway sent (a slice of the frame), so it is neither built into a tree nor written out again; with a
     * {@link PayloadReader}, the reader is handed {@code data}'s fields in the same pass instead, and the text is
     * kept only when {@code data} came before the topic or is not an object (the reader then prepares it from
     * the text, once the frame is read).
     */
    public AstroMessage decode(String frame) {
        Fields f = threadFields.get().clear();
        try (JsonParser parser = factory.createParser(frame)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new AstroMessage.Malformed(Kind.INVALID_JSON, "frame is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("data")) {
                    readData(parser, value, frame, f, reading(f));
                } else if (value.isScalarValue()) {
                    f.top(name, value == JsonToken.VALUE_NULL ? null : parser, texts);
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
                return notification(f, frame);
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

    /** A reading of the payload when {@code data} comes after the topic of what may be a notification. */
    private PayloadReader.Reading reading(Fields f) {
        if (payloads == null || f.topic == null || f.topic.isEmpty() || AstroMessage.Broadcast.TOPIC.equals(f.topic)
                || f.type != null && !f.type.equalsIgnoreCase("message")) {
            return null;
        }
        return payloads.start(f.topic);
    }

    private void readData(JsonParser parser, JsonToken value, String frame, Fields f,
                          PayloadReader.Reading reading) throws IOException {
        // A second 'data' replaces the first, as the last of a repeated key counts in the text's reading too.
        f.payload = null;
        f.dataJson = null;
        if (value == JsonToken.START_OBJECT) {
            int start = tokenStart(parser);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken inner = parser.nextToken();
                if (inner.isScalarValue() && inner != JsonToken.VALUE_NULL) {
                    // Read through the reader's text cache, or kept by the parser once made (createdAt): the
                    // reading below gets the same string.
                    f.data(name, parser, texts);
                }
                if (reading != null) {
                    reading.field(name, inner, parser, frame);
                } else if (!inner.isScalarValue()) {
                    parser.skipChildren();
                }
            }
            int end = tokenStart(parser) + 1;
            if (reading != null) {
                f.payload = reading.finish(frame, start, end);
                f.payloadTopic = f.topic;
                f.dataStart = start;
                f.dataEnd = end;
            } else {
                f.dataJson = frame.substring(start, end);
            }
        } else if (value == JsonToken.START_ARRAY) {
            int start = tokenStart(parser);
            parser.skipChildren();
            f.dataJson = frame.substring(start, tokenStart(parser) + 1);
        } else if (value != JsonToken.VALUE_NULL) {
            // A response's data may be a plain string, an older form.
            f.dataMessage = parser.getText();
            f.dataJson = value == JsonToken.VALUE_STRING ? null : parser.getText();
        }
    }

    /**
     * Where the current token (a value, not a field name) starts, in characters: without the
     * {@link com.fasterxml.jackson.core.JsonLocation} that {@code currentTokenLocation()} makes, for the parser of
     * text, which counts a token's offset from the character after its first, as its own
     * {@code currentTokenLocation()} does (TokenStartTest pins this against that method).
     */
    public static int tokenStart(JsonParser parser) {
        return parser instanceof ReaderBasedJsonParser text ? (int) text.getTokenCharacterOffset() - 1
                : (int) parser.currentTokenLocation().getCharOffset();
    }

    private AstroMessage notification(Fields f, String frame) {
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
        PayloadReader.Prepared payload = f.payload;
        String dataJson = f.dataJson;
        if (payload != null && !f.topic.equals(f.payloadTopic)) {
            // A repeated 'topic' after data: the last one counts, and data was read for an earlier one.
            payload = null;
            dataJson = frame.substring(f.dataStart, f.dataEnd);
        }
        if (payloads != null && payload == null) {
            // data before the topic, data not an object, or no data: the rare orders and shapes, read from text.
            payload = payloads.fromText(f.topic, dataJson, f.dataCreatedAt);
        }
        return new AstroMessage.Notification(f.id, ts, f.topic, room, f.dataType, f.dataId, dataJson, frame.length(),
                f.dataCreatedAt, payload);
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
        PayloadReader.Prepared payload;
        /** The topic {@link #payload} was read for, and where its data object stands in the frame. */
        String payloadTopic;
        int dataStart;
        int dataEnd;

        /** A new frame's: nothing read yet. */
        Fields clear() {
            type = id = ts = topic = room = nonce = error = null;
            dataType = dataId = dataChannel = dataMessage = dataTopic = dataRoom = dataClientId = null;
            dataCreatedAt = dataReconnectToken = dataJson = null;
            payload = null;
            payloadTopic = null;
            return this;
        }

        /** A top-level scalar; {@code parser} null for a JSON null. */
        void top(String name, JsonParser parser, TextCache texts) throws IOException {
            switch (name) {
                case "type" -> type = parser == null ? null : texts.text(parser);
                case "id" -> id = parser == null ? null : parser.getText();
                case "ts" -> ts = parser == null ? null : parser.getText();
                case "topic" -> topic = parser == null ? null : texts.text(parser);
                case "room" -> room = parser == null ? null : texts.text(parser);
                case "nonce" -> nonce = parser == null ? null : parser.getText();
                case "error" -> error = parser == null ? null : parser.getText();
                default -> { }
            }
        }

        /** A scalar of {@code data}: its text is made only for the fields read here. */
        void data(String name, JsonParser parser, TextCache texts) throws IOException {
            switch (name) {
                case "type" -> dataType = texts.text(parser);
                case "_id" -> dataId = texts.text(parser);
                case "channel" -> dataChannel = texts.text(parser);
                case "message" -> dataMessage = parser.getText();
                case "topic" -> dataTopic = parser.getText();
                case "room" -> dataRoom = parser.getText();
                case "client_id" -> dataClientId = parser.getText();
                case "createdAt" -> dataCreatedAt = parser.getText();
                case "reconnect_token" -> dataReconnectToken = parser.getText();
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
