package io.github.kafkaconnectastro.gaps;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST list endpoints that hold an Astro topic's history, each with its query and paging as StreamElements'
 * documentation and captures of the live API show them (docs/gateway.md, "The REST API"). Only
 * {@code channel.activities} and {@code channel.tips} have one: every other topic's gaps can be measured but not
 * repaired.
 */
enum RestEndpoint {

    /**
     * {@code GET /activities/{channel}}: the documents of {@code channel.activities}. Every description of it
     * marks {@code types} required, and it accepts only these ten values, so other activity kinds (channel-point
     * redemptions, community gift purchases, ...) cannot be repaired. The answer is a JSON array (or
     * {@code {total, docs}}), in an order no source states; paged with {@code offset}.
     */
    ACTIVITIES("channel.activities", "/activities/") {
        @Override
        Map<String, Object> query(long fromMs, long toMs, int offset) {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("after", fromMs);
            query.put("before", toMs);
            query.put("limit", PAGE_SIZE);
            query.put("offset", offset);
            query.put("types", ACTIVITY_TYPES);
            return query;
        }

        @Override
        Page page(JsonNode body, int offset) {
            JsonNode docs = body.isArray() ? body : body.path("docs");
            List<JsonNode> list = list(docs);
            long total = body.path("total").asLong(-1);
            boolean last = list.size() < PAGE_SIZE || total >= 0 && offset + list.size() >= total;
            return new Page(list, last);
        }
    },

    /**
     * {@code GET /tips/{channel}}: the documents of {@code channel.tips}, oldest first ({@code sort=createdAt}), in
     * either paging body the API has been seen to send: {@code {docs, total, limit, offset}} or {@code {docs, totalDocs, ...,
     * hasNextPage}}.
     */
    TIPS("channel.tips", "/tips/") {
        @Override
        Map<String, Object> query(long fromMs, long toMs, int offset) {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("offset", offset);
            query.put("limit", PAGE_SIZE);
            query.put("sort", "createdAt");
            query.put("after", fromMs);
            query.put("before", toMs);
            return query;
        }

        @Override
        Page page(JsonNode body, int offset) {
            List<JsonNode> list = list(body.path("docs"));
            JsonNode totalNode = body.has("totalDocs") ? body.get("totalDocs") : body.get("total");
            long total = totalNode == null || !totalNode.canConvertToLong() ? -1 : totalNode.asLong();
            boolean last = list.isEmpty() || body.path("hasNextPage").isBoolean() && !body.get("hasNextPage").asBoolean()
                    || total >= 0 && offset + list.size() >= total;
            return new Page(list, last);
        }
    };

    /** StreamElements documents at most 100 per page; an unofficial description says 500: stay at 100. */
    static final int PAGE_SIZE = 100;
    /** The values the activities endpoint's validator accepts, as its 400 answer lists them. */
    static final List<String> ACTIVITY_TYPES = List.of("follow", "tip", "sponsor", "superchat", "host", "raid",
            "subscriber", "cheer", "redemption", "merch");

    private final String topic;
    private final String path;

    RestEndpoint(String topic, String path) {
        this.topic = topic;
        this.path = path;
    }

    /** One page of documents; {@code last} when no page follows. */
    record Page(List<JsonNode> docs, boolean last) {
    }

    /** The endpoint holding an Astro topic's history; null when none does. */
    static RestEndpoint of(String astroTopic) {
        for (RestEndpoint endpoint : values()) {
            if (endpoint.topic.equals(astroTopic)) {
                return endpoint;
            }
        }
        return null;
    }

    /** The endpoint's path for a channel, the channel encoded as one segment whatever it holds. */
    String path(String channel) {
        return path + pathSegment(channel);
    }

    /**
     * Percent-encodes all but RFC 3986's unreserved characters, so that no {@code /}, {@code ?}, {@code #} or space
     * in a room can leave its segment; a segment of dots only is encoded whole, as it would climb the path.
     */
    static String pathSegment(String text) {
        boolean dotsOnly = text.chars().allMatch(c -> c == '.');
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean unreserved = c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '~'
                    || c == '.' && !dotsOnly);
            if (unreserved) {
                out.append(c);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    String topic() {
        return topic;
    }

    /** The query for documents created from {@code fromMs} to {@code toMs}, skipping {@code offset}. */
    abstract Map<String, Object> query(long fromMs, long toMs, int offset);

    /** Reads one answer. */
    abstract Page page(JsonNode body, int offset);

    private static List<JsonNode> list(JsonNode docs) {
        List<JsonNode> list = new ArrayList<>();
        if (docs != null && docs.isArray()) {
            docs.forEach(list::add);
        }
        return list;
    }
}
