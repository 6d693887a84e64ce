package io.github.kafkaconnectastro.examples.tiptotals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Record values as the connector writes them with JsonConverter ({@code schemas.enable=false}) in its typed shape,
 * as the typed records contract and docs/records.md show them, for the topology tests.
 */
final class AstroValues {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private AstroValues() {
    }

    /** A typed channel.tips value. */
    static ObjectNode tip(String channel, String currency, String amount) {
        ObjectNode value = envelope("channel.tips", channel, null);
        ObjectNode data = value.putObject("data");
        data.put("_id", objectId()).put("channel", channel).put("provider", "paypal").put("approved", "allowed")
                .putNull("approvedBy").put("status", "success").put("createdAt", 1768068298000L)
                .put("updatedAt", 1768068302000L).put("transactionId", "TXN-1").putNull("deleted");
        ObjectNode donation = data.putObject("donation").put("amount", new BigDecimal(amount)).put("currency", currency)
                .put("message", "hello").put("paymentMethod", "scheme");
        donation.putObject("user").put("username", "donor_one").putNull("email").putNull("geo").putNull("ip")
                .put("channel", channel);
        value.putNull("raw").putNull("extra");
        return value;
    }

    /** A typed channel.activities value of the given type (follow, tip, subscriber, ...). */
    static ObjectNode activity(String channel, String type) {
        ObjectNode value = envelope("channel.activities", channel, type);
        String id = objectId();
        ObjectNode data = value.putObject("data");
        data.put("_id", id).put("activityId", id).put("type", type).put("provider", "twitch").put("channel", channel)
                .put("createdAt", 1768068000500L).put("updatedAt", 1768068000500L).put("sessionEventsCount", 3)
                .putObject("data").put("username", "viewer_one").put("displayName", "Viewer_One");
        value.putNull("raw").putNull("extra");
        return value;
    }

    /** A value whose payload did not fit the topic's schema: {@code data} null, the payload JSON in {@code raw}. */
    static ObjectNode misfit(String topic, String channel, String type, String payloadJson) {
        ObjectNode value = envelope(topic, channel, type);
        value.putNull("data").put("raw", payloadJson).putNull("extra");
        return value;
    }

    /** A value in the raw shape ({@code astro.value.format=raw}): {@code data} is the payload's JSON text. */
    static ObjectNode rawShape(String topic, String channel, String type, String payloadJson) {
        return envelope(topic, channel, type).put("data", payloadJson);
    }

    static byte[] bytes(ObjectNode value) {
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode envelope(String topic, String channel, String type) {
        ObjectNode value = JSON.createObjectNode()
                .put("id", "01K0000000000000000000" + String.format("%04d", SEQUENCE.incrementAndGet() % 10_000))
                .put("ts", 1768068302000L).put("topic", topic).put("room", channel);
        return type == null ? value.putNull("type") : value.put("type", type);
    }

    private static String objectId() {
        return String.format("6a%022x", SEQUENCE.incrementAndGet());
    }
}
