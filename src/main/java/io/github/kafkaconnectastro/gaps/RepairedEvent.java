package io.github.kafkaconnectastro.gaps;

import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.offsets.UnrepairedWindows;
import io.github.kafkaconnectastro.records.Delivery;
import io.github.kafkaconnectastro.protocol.Rfc3339;
import io.github.kafkaconnectastro.protocol.Subscription;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * An event read from the REST API to repair a gap, on its way to {@code poll()}: the REST document dressed as the
 * notification the gateway would have pushed, so that it becomes a record exactly as a live one does. There is no
 * delivery, so no envelope ULID: its {@code id} is the event's own id ({@code _id}), its {@code ts} the event's
 * {@code createdAt}.
 *
 * @param delivery    the document as a delivery for the pair
 * @param createdAtMs the event's creation time, which orders the repair
 * @param completes   on the last event of a repair, its window: once this event is written (or dropped as written
 *                    already), the pair's unrepaired windows within it are done; null on the others
 */
public record RepairedEvent(Delivery delivery, long createdAtMs, UnrepairedWindows.Window completes) {

    public RepairedEvent(Delivery delivery, long createdAtMs) {
        this(delivery, createdAtMs, null);
    }

    /** This event, as the last of the repair of {@code window}. */
    RepairedEvent completing(UnrepairedWindows.Window window) {
        return new RepairedEvent(delivery, createdAtMs, window);
    }

    /** The event's own id. */
    public String eventId() {
        return delivery.notification().eventId();
    }

    public Subscription subscription() {
        return delivery.subscription();
    }

    /**
     * @param doc a REST document with a string {@code _id} and a readable {@code createdAt}
     * @return null when the document lacks either, since it could then be neither deduplicated nor ordered
     */
    static RepairedEvent of(Subscription subscription, String channel, JsonNode doc) {
        String id = doc.path("_id").isTextual() ? doc.get("_id").asText() : null;
        String createdAt = doc.path("createdAt").isTextual() ? doc.get("createdAt").asText() : null;
        long createdAtMs = Rfc3339.epochMsOrUnknown(createdAt);
        if (id == null || id.isEmpty() || createdAtMs == Rfc3339.UNKNOWN) {
            return null;
        }
        String type = doc.path("type").isTextual() ? doc.get("type").asText() : null;
        String json = doc.toString();
        AstroMessage.Notification notification = new AstroMessage.Notification(id, Instant.ofEpochMilli(createdAtMs),
                subscription.topic(), channel, type, id, json, json.length(), createdAt);
        return new RepairedEvent(new Delivery(subscription, channel, notification), createdAtMs);
    }
}
