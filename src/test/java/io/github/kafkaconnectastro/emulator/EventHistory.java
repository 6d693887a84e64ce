package io.github.kafkaconnectastro.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the emulated StreamElements keeps of the events it published on {@code channel.activities} and
 * {@code channel.tips}, whether or not anyone was subscribed: the REST API's history, which
 * {@link RestApiServer} serves. Each event is kept as REST.md's document for it: an activity without the
 * Astro-only fields {@code activityId}, {@code sessionEventsCount} and {@code expiresAt}; a tip with the REST-only
 * {@code deleted}. A payload without a string {@code _id} or a readable {@code createdAt} has no REST counterpart
 * and is not kept. Off until a {@link RestApiServer} serves it; bounded per (topic, channel), oldest forgotten
 * first, as the real API expires activities.
 */
public final class EventHistory {

    static final String ACTIVITIES = "channel.activities";
    static final String TIPS = "channel.tips";
    private static final int MAX_PER_CHANNEL = 50_000;

    /** One kept document and its creation time. */
    record Document(ObjectNode json, long createdAtMs) {
    }

    private final Map<String, Deque<Document>> byTopicAndChannel = new HashMap<>();
    private volatile boolean enabled;

    void enable() {
        enabled = true;
    }

    /** Keeps a published payload, when its topic has a REST history. */
    void record(String topic, String room, String dataJson) {
        if (!enabled || !(ACTIVITIES.equals(topic) || TIPS.equals(topic)) || dataJson == null) {
            return;
        }
        JsonNode data;
        try {
            data = ServerMessages.MAPPER.readTree(dataJson);
        } catch (JsonProcessingException e) {
            return;
        }
        if (!(data instanceof ObjectNode doc) || !doc.path("_id").isTextual()) {
            return;
        }
        long createdAt = epochMs(doc.path("createdAt").asText(null));
        if (createdAt == Long.MIN_VALUE) {
            return;
        }
        if (ACTIVITIES.equals(topic)) {
            doc.remove(List.of("activityId", "sessionEventsCount", "expiresAt"));
        } else if (!doc.has("deleted")) {
            doc.put("deleted", false);
        }
        if (!doc.has("updatedAt")) {
            doc.put("updatedAt", doc.get("createdAt").asText());
        }
        String channel = doc.path("channel").isTextual() ? doc.get("channel").asText() : room;
        synchronized (byTopicAndChannel) {
            Deque<Document> docs = byTopicAndChannel.computeIfAbsent(topic + "/" + channel, k -> new ArrayDeque<>());
            docs.addLast(new Document(doc, createdAt));
            if (docs.size() > MAX_PER_CHANNEL) {
                docs.removeFirst();
            }
        }
    }

    /** The documents of a channel created from {@code fromMs} to {@code toMs}, both included, newest first. */
    List<Document> between(String topic, String channel, long fromMs, long toMs) {
        List<Document> found = new ArrayList<>();
        synchronized (byTopicAndChannel) {
            for (Document doc : byTopicAndChannel.getOrDefault(topic + "/" + channel, new ArrayDeque<>())) {
                if (doc.createdAtMs() >= fromMs && doc.createdAtMs() <= toMs) {
                    found.add(doc);
                }
            }
        }
        found.sort((a, b) -> Long.compare(b.createdAtMs(), a.createdAtMs()));
        return found;
    }

    /** Forgets everything kept. */
    public void clear() {
        synchronized (byTopicAndChannel) {
            byTopicAndChannel.clear();
        }
    }

    static long epochMs(String iso) {
        if (iso == null) {
            return Long.MIN_VALUE;
        }
        Instant instant;
        try {
            instant = Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
        // A time that parses but that milliseconds cannot hold (+999999999-12-31T23:59:59Z) is kept at the end of
        // time: no window with a before reaches it.
        return instant.isAfter(Instant.ofEpochMilli(Long.MAX_VALUE)) ? Long.MAX_VALUE
                : instant.isBefore(Instant.ofEpochMilli(Long.MIN_VALUE + 1)) ? Long.MIN_VALUE + 1
                : instant.toEpochMilli();
    }
}
