package io.github.kafkaconnectastro.protocol;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One configured (Astro topic, room) pair. An empty room means "the token's own channel"; the gateway tells
 * which room that is when it confirms the subscription.
 */
public record Subscription(String topic, String room) {

    /** Astro topic names: lowercase dotted words. Kept free-form so new topics need no release. */
    public static final Pattern TOPIC_PATTERN = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    /** Channel ids are hex object ids today; any URL-safe token is accepted. */
    public static final Pattern ROOM_PATTERN = Pattern.compile("[A-Za-z0-9_.-]*");

    /** The most characters of a room learnt from the gateway; channel ids have 24. */
    public static final int MAX_LEARNT_ROOM_CHARS = 64;

    public Subscription {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(room, "room");
    }

    /** True for a subscription to the token's own channel. */
    public boolean ownChannel() {
        return room.isEmpty();
    }

    /** The {@code topic:room} form used in configuration and log lines ({@code topic} alone for the own channel). */
    @Override
    public String toString() {
        return ownChannel() ? topic : topic + ":" + room;
    }

    /**
     * True when a room the gateway named (in a notification or a subscribe answer) may be used as one: it becomes
     * the records' key, may be part of a topic name and is a segment of a REST path sent with the token, so a
     * gateway's odd text must not. A room of dots only would climb a path.
     */
    public static boolean learnableRoom(String room) {
        return room != null && !room.isEmpty() && room.length() <= MAX_LEARNT_ROOM_CHARS
                && ROOM_PATTERN.matcher(room).matches() && !room.chars().allMatch(c -> c == '.');
    }

    /**
     * Parses one {@code topic[:room]} entry.
     *
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    public static Subscription parse(String entry) {
        String trimmed = entry.trim();
        int colon = trimmed.indexOf(':');
        String topic = colon < 0 ? trimmed : trimmed.substring(0, colon).trim();
        String room = colon < 0 ? "" : trimmed.substring(colon + 1).trim();
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("'" + trimmed + "' has no topic; expected topic:room, e.g. "
                    + "channel.activities:5f2b0c1e9a1d");
        }
        if (!TOPIC_PATTERN.matcher(topic).matches()) {
            throw new IllegalArgumentException("'" + trimmed + "' has an invalid topic '" + topic
                    + "'; topics are lowercase dotted names such as channel.activities");
        }
        if (colon >= 0 && room.isEmpty()) {
            throw new IllegalArgumentException("'" + trimmed + "' has an empty room; give a channel id after the "
                    + "colon, or write the topic alone for the token's own channel");
        }
        if (!ROOM_PATTERN.matcher(room).matches()) {
            throw new IllegalArgumentException("'" + trimmed + "' has an invalid room '" + room
                    + "'; rooms are channel ids (letters, digits, '.', '_', '-')");
        }
        return new Subscription(topic, room);
    }

    /**
     * Parses a list of entries, rejecting duplicates.
     *
     * @throws IllegalArgumentException for the first bad or repeated entry
     */
    public static List<Subscription> parseAll(List<String> entries) {
        Set<Subscription> seen = new LinkedHashSet<>();
        for (String entry : entries) {
            if (entry.isBlank()) {
                continue;
            }
            Subscription subscription = parse(entry);
            if (!seen.add(subscription)) {
                throw new IllegalArgumentException("'" + subscription + "' is listed more than once");
            }
        }
        return new ArrayList<>(seen);
    }
}
