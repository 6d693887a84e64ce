package io.github.kafkaconnectastro.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What {@code quickstart.sh --streams} prints of the Kafka Streams example beside the connector's records: its tip
 * totals and follow counts per minute, each checked against the tips and follows the same console printed.
 */
final class StreamsExampleLines {

    /** The example's output topics. */
    static final String TOTALS_TOPIC = "astro.tip-totals.per-minute";
    static final String FOLLOWS_TOPIC = "astro.follows.per-minute";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> totals = new ArrayList<>();
    private final List<JsonNode> follows = new ArrayList<>();
    private final Map<Minute, BigDecimal> tipSums = new HashMap<>();
    private final Map<Minute, Long> tipCounts = new HashMap<>();
    private final Map<Minute, Long> followCounts = new HashMap<>();

    /** Reads the record lines ({@code record} matches the console's line: topic, key, value). */
    StreamsExampleLines(List<String> lines, Pattern record) {
        for (String line : lines) {
            Matcher m = record.matcher(line);
            if (m.matches()) {
                add(m.group(1), m.group(2), json(m.group(3)));
            }
        }
    }

    /** Whether the line shows a record the example wrote rather than one of the connector's. */
    static boolean isExampleTopic(String topic) {
        return topic.equals(TOTALS_TOPIC) || topic.equals(FOLLOWS_TOPIC);
    }

    private void add(String topic, String key, JsonNode value) {
        switch (topic) {
            case TOTALS_TOPIC -> totals.add(value);
            case FOLLOWS_TOPIC -> follows.add(value);
            case "astro.channel.tips" -> {
                JsonNode donation = value.path("data").path("donation");
                Minute minute = Minute.of(key, donation.path("currency").asText(), value.path("ts").asLong());
                tipSums.merge(minute, donation.path("amount").decimalValue(), BigDecimal::add);
                tipCounts.merge(minute, 1L, Long::sum);
            }
            case "astro.channel.activities" -> {
                if ("follow".equals(value.path("type").asText())) {
                    followCounts.merge(Minute.of(key, null, value.path("ts").asLong()), 1L, Long::sum);
                }
            }
            default -> {
            }
        }
    }

    /** Each total and count printed is what the printed tips and follows of that channel and minute add up to. */
    void assertTotalsMatchTheRecords() {
        assertFalse(totals.isEmpty(), "no tip total printed: no minute closed during the run?");
        assertFalse(follows.isEmpty(), "no follow count printed: no minute closed during the run?");
        for (JsonNode total : totals) {
            Minute minute = new Minute(total.get("channel").asText(), total.get("currency").asText(),
                    Instant.parse(total.get("windowStart").asText()));
            assertEquals(0, tipSums.getOrDefault(minute, BigDecimal.ZERO).compareTo(total.get("total").decimalValue()),
                    () -> "printed tips add up to " + tipSums.get(minute) + ", the example wrote " + total);
            assertEquals(tipCounts.get(minute), total.get("tips").asLong(), () -> "tips counted in " + total);
        }
        for (JsonNode count : follows) {
            Minute minute = new Minute(count.get("channel").asText(), null,
                    Instant.parse(count.get("windowStart").asText()));
            assertEquals(followCounts.get(minute), count.get("follows").asLong(), () -> "follows counted in " + count);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A channel's minute, and the currency for tips ({@code null} for follows). */
    record Minute(String channel, String currency, Instant start) {
        static Minute of(String channel, String currency, long epochMillis) {
            return new Minute(Objects.requireNonNull(channel), currency,
                    Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.MINUTES));
        }
    }
}
