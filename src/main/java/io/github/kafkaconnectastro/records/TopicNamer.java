package io.github.kafkaconnectastro.records;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Names the Kafka topic of a notification from {@code topic.name.pattern}: {@code ${topic}} is the Astro topic,
 * {@code ${room}} the room. Characters Kafka does not allow in topic names become {@code _}.
 */
public final class TopicNamer {

    public static final String TOPIC_PLACEHOLDER = "${topic}";
    public static final String ROOM_PLACEHOLDER = "${room}";
    private static final Pattern ILLEGAL = Pattern.compile("[^a-zA-Z0-9._-]");
    private static final int MAX_LENGTH = 249;
    private static final int CACHE_LIMIT = 10_000;

    private final String pattern;
    /** Astro topic, then room, to Kafka topic: two lookups, and no key to build per notification. */
    private final Map<String, Map<String, String>> cache = new HashMap<>();
    private int cached;

    public TopicNamer(String pattern) {
        this.pattern = pattern;
    }

    /** The Kafka topic for an Astro topic and room; cached, since a task sees few distinct pairs. */
    public String name(String astroTopic, String room) {
        Map<String, String> byRoom = cache.get(astroTopic);
        String name = byRoom == null ? null : byRoom.get(room);
        if (name == null) {
            name = format(pattern, astroTopic, room);
            if (cached < CACHE_LIMIT) {
                cache.computeIfAbsent(astroTopic, t -> new HashMap<>()).put(room, name);
                cached++;
            }
        }
        return name;
    }

    static String format(String pattern, String astroTopic, String room) {
        String raw = pattern.replace(TOPIC_PLACEHOLDER, astroTopic).replace(ROOM_PLACEHOLDER, room);
        return ILLEGAL.matcher(raw).replaceAll("_");
    }

    /**
     * Why the pattern gives an invalid topic name for this pair, or null when the name is valid.
     */
    public static String problem(String pattern, String astroTopic, String room) {
        String name = format(pattern, astroTopic, room);
        if (name.isEmpty()) {
            return "gives an empty topic name";
        }
        if (name.equals(".") || name.equals("..")) {
            return "gives the topic name '" + name + "', which Kafka does not allow";
        }
        if (name.length() > MAX_LENGTH) {
            return "gives a topic name of " + name.length() + " characters for " + astroTopic + ":" + room
                    + "; Kafka allows at most " + MAX_LENGTH;
        }
        return null;
    }
}
