package io.github.kafkaconnectastro.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Validates one client command and decides the gateway's answer. It never touches sockets: the
 * caller applies the subscription change and sends the reply, so the rules stay testable and the
 * order "subscription visible before the client sees success" is kept in one place.
 */
final class CommandProcessor {

    static final String INVALID_MESSAGE = "invalid_message";
    static final String INVALID_MESSAGE_TYPE = "invalid_message_type";
    static final String BAD_REQUEST = "err_bad_request";
    static final String UNAUTHORIZED = "err_unauthorized";
    static final String RATE_LIMIT_EXCEEDED = "rate_limit_exceeded";
    /** Both gateway documents' success message. */
    static final String SUBSCRIBED = "successfully subscribed to topic";
    /**
     * The {@code err_bad_request} message for a pair subscribed twice on one connection. The documents
     * do not show this answer; third-party clients report the gateway refusing a repeat so, with a
     * message saying the topic is already subscribed. The wording here is ours.
     */
    static final String ALREADY_SUBSCRIBED = "already subscribed to topic";

    /** Topics are free-form (new ones appear without notice), so only their shape is checked. */
    private static final Pattern TOPIC = Pattern.compile("[a-z0-9_.-]+");
    private static final Set<String> TOKEN_TYPES = Set.of("jwt", "apikey", "oauth2", "oauth");

    private final GatewayRules rules;

    /**
     * What to do for one command.
     *
     * @param reply       the response frame to send
     * @param subscribed  the subscription to add, or null
     * @param unsubscribe true to remove {@code topic}/{@code room} (room null: every room)
     */
    record Outcome(String reply, Subscription subscribed, boolean unsubscribe, String topic,
                                  String room) {

        static Outcome replyOnly(String reply) {
            return new Outcome(reply, null, false, null, null);
        }
    }

    CommandProcessor(GatewayRules rules) {
        this.rules = rules;
    }

    /** Parses a frame; null unless it is a JSON object. */
    static JsonNode parse(String text) {
        try {
            JsonNode node = ServerMessages.MAPPER.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The command's type, or null. */
    static String type(JsonNode command) {
        JsonNode type = command == null ? null : command.get("type");
        return type != null && type.isTextual() ? type.asText() : null;
    }

    static String errorMessage(String code) {
        return switch (code) {
            case UNAUTHORIZED -> "invalid token";
            case BAD_REQUEST -> "bad request";
            case RATE_LIMIT_EXCEEDED -> "rate limit exceeded";
            case "err_internal_error" -> "internal error";
            case "err_deadline_exceeded" -> "deadline exceeded";
            case INVALID_MESSAGE -> "invalid message";
            case INVALID_MESSAGE_TYPE -> "invalid message type";
            default -> code;
        };
    }

    /**
     * Handles a command that already passed the rate limit.
     *
     * @param command          the parsed frame, null when unparseable
     * @param alreadySubscribed whether the sending connection holds a (topic, canonical room) pair
     */
    Outcome handle(JsonNode command, Predicate<Subscription> alreadySubscribed) {
        if (command == null) {
            return error(null, INVALID_MESSAGE, "invalid message");
        }
        JsonNode nonce = command.get("nonce");
        String type = type(command);
        if (!"subscribe".equals(type) && !"unsubscribe".equals(type)) {
            return error(nonce, INVALID_MESSAGE_TYPE, "invalid message type");
        }
        JsonNode data = command.get("data");
        if (data == null || !data.isObject()) {
            return error(nonce, BAD_REQUEST, "missing data");
        }
        String topic = text(data, "topic");
        if (topic == null || !TOPIC.matcher(topic).matches()) {
            return error(nonce, BAD_REQUEST, "invalid topic");
        }
        JsonNode room = data.get("room");
        if (room != null && !room.isNull() && !room.isTextual()) {
            return error(nonce, BAD_REQUEST, "invalid room");
        }
        String requestedRoom = room == null || room.isNull() ? "" : room.asText();
        return "subscribe".equals(type)
                ? subscribe(nonce, data, topic, requestedRoom, alreadySubscribed)
                : unsubscribe(nonce, topic, requestedRoom);
    }

    private Outcome subscribe(JsonNode nonce, JsonNode data, String topic, String requestedRoom,
            Predicate<Subscription> alreadySubscribed) {
        if (!TOKEN_TYPES.contains(text(data, "token_type"))) {
            return error(nonce, BAD_REQUEST, "invalid token type");
        }
        String ownRoom = rules.ownRoom(text(data, "token"));
        if (ownRoom == null) {
            return error(nonce, UNAUTHORIZED, "invalid token");
        }
        String canonical = rules.canonicalRoom(requestedRoom.isEmpty() ? ownRoom : requestedRoom);
        Subscription subscription = new Subscription(topic, canonical);
        // Checked before the scheduled failures, so that a repeat does not use one of them up.
        if (alreadySubscribed.test(subscription)) {
            return error(nonce, BAD_REQUEST, ALREADY_SUBSCRIBED);
        }
        String failure = rules.failureFor(subscription);
        if (failure != null) {
            // Astro sends rate-limit errors without the nonce, whatever caused them.
            JsonNode echoed = RATE_LIMIT_EXCEEDED.equals(failure) ? null : nonce;
            return error(echoed, failure, errorMessage(failure));
        }
        String reply = ServerMessages.success(nonce, SUBSCRIBED, topic, echoed(canonical));
        return new Outcome(reply, subscription, false, null, null);
    }

    private Outcome unsubscribe(JsonNode nonce, String topic, String requestedRoom) {
        String room = requestedRoom.isEmpty() ? null : rules.canonicalRoom(requestedRoom);
        String reply = ServerMessages.success(nonce, "successfully unsubscribed from topic", topic,
                echoed(room));
        return new Outcome(reply, null, true, topic, room);
    }

    /** The room a success response names: none, as the documents show, unless the echo is on. */
    private String echoed(String room) {
        return rules.echoesRoomInResponses() ? room : null;
    }

    private static Outcome error(JsonNode nonce, String code, String message) {
        return Outcome.replyOnly(ServerMessages.error(nonce, code, message));
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
