package io.github.kafkaconnectastro.quickstart;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Counts of what arrived, by Kafka topic and by key (the Astro room), for the progress line and the summary. */
final class RecordTally {

    private final Map<String, Integer> byTopic = new TreeMap<>();
    private final Set<String> rooms = new HashSet<>();
    private long total;

    void add(String topic, String key) {
        byTopic.merge(topic, 1, Integer::sum);
        if (key != null) {
            rooms.add(key);
        }
        total++;
    }

    long total() {
        return total;
    }

    String describe(long elapsedMillis) {
        double seconds = Math.max(elapsedMillis, 1) / 1000.0;
        String topics = byTopic.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return String.format("%d records in %.0f s (%.1f/s) from %d rooms%s", total, seconds, total / seconds,
                rooms.size(), topics.isEmpty() ? "" : ": " + topics);
    }
}
