package io.github.kafkaconnectastro.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads and writes Astro's JSON messages. Decoding never throws: a frame it cannot read is a
 * {@link AstroMessage.Malformed} whose reason names the problem but never repeats the frame (it may hold
 * personal data). Fields this connector does not know are ignored, so new server fields do not break it.
 */
public final class AstroCodec {

    private final ObjectMapper mapper;

    /**
     * @param maxNestingDepth frames whose JSON nests deeper than this are malformed; bounds the parser's stack
     */
    public AstroCodec(int maxNestingDepth) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build())
                .build();
        this.mapper = new ObjectMapper(factory);
    }

    /** Decodes one text frame. */
    public AstroMessage decode(String frame) {
        JsonNode root;
        try {
            root = mapper.readTree(frame);
        } catch (StreamConstraintsException e) {
            return new AstroMessage.Malformed("frame exceeds a JSON limit: " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            return new AstroMessage.Malformed("invalid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        }
        if (root == null || !root.isObject()) {
            return new AstroMessage.Malformed("frame is not a JSON object");
        }
        String type = text(root, "type");
        if (type == null) {
            return new AstroMessage.Malformed("frame has no 'type'");
        }
        // The 2023 documents spell the response type in capitals.
        switch (type.toLowerCase(Locale.ROOT)) {
            case "message":
                return notification(root, frame.length());
            case "response":
                return response(root);
            case "welcome":
                return welcome(root);
            case "reconnect":
                return reconnect(root);
            default:
                return new AstroMessage.Unknown(type);
        }
    }

    private AstroMessage notification(JsonNode root, int frameBytes) {
        String id = text(root, "id");
        if (id == null || id.isEmpty()) {
            return new AstroMessage.Malformed("notification has no 'id'");
        }
        String topic = text(root, "topic");
        if (topic == null || topic.isEmpty()) {
            return new AstroMessage.Malformed("notification " + id + " has no 'topic'");
        }
        Instant ts;
        try {
            ts = parseTimestamp(text(root, "ts"));
        } catch (DateTimeParseException e) {
            return new AstroMessage.Malformed("notification " + id + " has an unreadable 'ts'");
        }
        JsonNode data = root.get("data");
        String room = text(root, "room");
        if (room == null || room.isEmpty()) {
            room = data == null ? null : text(data, "channel");
        }
        String dataType = data == null ? null : text(data, "type");
        String dataJson;
        try {
            dataJson = data == null || data.isNull() ? null : mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            return new AstroMessage.Malformed("notification " + id + " has unwritable 'data'");
        }
        return new AstroMessage.Notification(id, ts, topic, room, dataType, dataJson, frameBytes);
    }

    private static AstroMessage response(JsonNode root) {
        JsonNode data = root.get("data");
        String message;
        String topic = null;
        String room = null;
        if (data != null && data.isObject()) {
            message = text(data, "message");
            topic = text(data, "topic");
            room = text(data, "room");
        } else {
            // The 2023 documents send data as a plain string.
            message = data == null || data.isNull() ? null : data.asText();
        }
        return new AstroMessage.Response(text(root, "id"), text(root, "nonce"), text(root, "error"), message,
                topic, room);
    }

    private static AstroMessage welcome(JsonNode root) {
        JsonNode data = root.get("data");
        return new AstroMessage.Welcome(text(root, "id"),
                data == null ? null : text(data, "client_id"),
                data == null ? null : text(data, "message"));
    }

    private static AstroMessage reconnect(JsonNode root) {
        JsonNode data = root.get("data");
        String token = data == null ? null : text(data, "reconnect_token");
        String message = data == null ? null : text(data, "message");
        return new AstroMessage.Reconnect(token, message);
    }

    /** The text of a subscribe command. The token is written into the frame only, never into anything logged. */
    public String subscribe(String nonce, String topic, String room, String token, TokenType tokenType) {
        ObjectNode command = mapper.createObjectNode();
        command.put("type", "subscribe");
        command.put("nonce", nonce);
        ObjectNode data = command.putObject("data");
        data.put("topic", topic);
        data.put("room", room);
        data.put("token", token);
        data.put("token_type", tokenType.wire());
        return command.toString();
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
        return OffsetDateTime.parse(value).toInstant();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
