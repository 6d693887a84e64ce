package io.github.kafkaconnectastro.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Builds the JSON text of every frame the gateway sends, in Astro's field order. */
final class ServerMessages {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private ServerMessages() {
    }

    /** Astro stamps messages with whole seconds in UTC, e.g. {@code 2024-02-15T14:52:42Z}. */
    static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String welcome(String clientId) {
        ObjectNode root = header("welcome");
        root.putObject("data").put("message", "Welcome to Astro").put("client_id", clientId);
        return write(root);
    }

    /**
     * A successful subscribe or unsubscribe answer.
     *
     * @param room canonical room, or null to leave it out, as the gateway documents show
     */
    static String success(JsonNode nonce, String message, String topic, String room) {
        ObjectNode root = header("response");
        putNonce(root, nonce);
        ObjectNode data = root.putObject("data").put("message", message).put("topic", topic);
        if (room != null) {
            data.put("room", room);
        }
        return write(root);
    }

    /**
     * An error answer.
     *
     * @param nonce echoed when not null; rate-limit errors always pass null, as Astro does
     */
    static String error(JsonNode nonce, String code, String message) {
        ObjectNode root = header("response");
        putNonce(root, nonce);
        root.put("error", code);
        root.putObject("data").put("message", message);
        return write(root);
    }

    /**
     * A notification. The payload is spliced in verbatim so tests control its exact bytes.
     *
     * @param room null to omit the field, as some topics' documented examples do
     */
    static String notification(String id, Instant ts, String topic, String room, String rawData) {
        StringBuilder out = new StringBuilder(rawData.length() + 160);
        out.append("{\"id\":").append(quote(id))
                .append(",\"ts\":").append(quote(timestamp(ts)))
                .append(",\"type\":\"message\",\"topic\":").append(quote(topic));
        if (room != null) {
            out.append(",\"room\":").append(quote(room));
        }
        return out.append(",\"data\":").append(rawData).append('}').toString();
    }

    /** A gateway broadcast on topic {@code astro}, field for field as in the newer document. */
    static String broadcast(String id, Instant ts, String message) {
        ObjectNode root = header(id, ts, "message").put("topic", "astro");
        root.putObject("data").put("message", message);
        return write(root);
    }

    /** The graceful-shutdown notice; Astro's sample has neither id nor ts, so neither do we. */
    static String reconnect(String reconnectToken) {
        ObjectNode root = MAPPER.createObjectNode().put("type", "reconnect");
        root.putObject("data")
                .put("message", "The server is shutting down.")
                .put("reconnect_token", reconnectToken);
        return write(root);
    }

    private static ObjectNode header(String type) {
        return header(Ulid.nextId(), Instant.now(), type);
    }

    private static ObjectNode header(String id, Instant ts, String type) {
        return MAPPER.createObjectNode()
                .put("id", id)
                .put("ts", timestamp(ts))
                .put("type", type);
    }

    private static void putNonce(ObjectNode root, JsonNode nonce) {
        if (nonce != null && !nonce.isNull() && !nonce.isMissingNode()) {
            root.set("nonce", nonce);
        }
    }

    private static String quote(String value) {
        return write(MAPPER.getNodeFactory().textNode(value));
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
