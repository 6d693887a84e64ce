package io.github.kafkaconnectastro.fuzz;

import java.util.List;
import java.util.Random;

/**
 * Random JSON texts shaped like gateway frames: the fields the codec reads, with values of every JSON type (right or
 * wrong for the field), unknown fields, duplicated fields, deep nesting and huge numbers. Written as text, so that
 * what no JSON writer would write (a field twice) can be written.
 */
public final class RandomJson {

    /** The fields the codec reads at the top of a frame. */
    public static final List<String> TOP_FIELDS = List.of("id", "ts", "type", "topic", "room", "nonce", "error", "data");
    /** The fields the codec reads in a frame's {@code data} object. */
    public static final List<String> DATA_FIELDS = List.of("type", "channel", "message", "topic", "room", "client_id",
            "reconnect_token");
    /**
     * Put into every text of a frame but its {@code id}: a malformed frame's reason must never show it. (The reason
     * names a notification by its id, escaped and cut short.)
     */
    public static final String CANARY = "C4N4RY";

    private static final String[] TYPES = {"message", "response", "welcome", "reconnect", "MESSAGE", "Response",
        "subscribe", "telemetry", ""};
    private static final String[] TOPICS = {"channel.activities", "channel.tips", "channel.stream.status", "astro",
        "channel.chat.message", ""};
    private static final String[] ROOMS = {"6183c7d4ebc632abbf809890", "other-room", ""};
    private static final String[] ERRORS = {"err_unauthorized", "err_bad_request", "rate_limit_exceeded",
        "err_internal_error", "invalid_message", ""};

    private RandomJson() {
    }

    /** A frame: an object of known and unknown fields in any order, some twice. */
    public static String frame(Random random) {
        return object(random, 12, TOP_FIELDS, 0);
    }

    /** A {@code data} object of known and unknown fields. */
    public static String data(Random random) {
        return object(random, 8, DATA_FIELDS, 1);
    }

    private static String object(Random random, int maxFields, List<String> known, int depth) {
        StringBuilder out = new StringBuilder("{");
        int fields = random.nextInt(maxFields);
        for (int i = 0; i < fields; i++) {
            String name = random.nextInt(5) == 0 ? CANARY + i : known.get(random.nextInt(known.size()));
            String value = depth == 0 && name.equals("data") && random.nextInt(3) > 0 ? data(random)
                    : value(random, name, depth);
            out.append(i > 0 ? "," : "").append(quote(name)).append(':').append(value);
        }
        return out.append('}').toString();
    }

    /** A value for the named field: mostly a plausible one, often one of another JSON type or an extreme. */
    public static String value(Random random, String field, int depth) {
        String canary = field.equals("id") ? "" : CANARY;
        int roll = random.nextInt(20);
        if (roll < 8) {
            return quote(plausible(random, field));
        }
        return switch (roll) {
            case 8 -> "null";
            case 9 -> random.nextBoolean() ? "true" : "false";
            case 10, 11 -> RandomText.number(random);
            case 12 -> quote(RandomText.of(random, 40) + canary);
            case 13 -> quote("x".repeat(random.nextInt(20_000)) + canary);
            case 14 -> depth > 3 ? "[]" : "[" + value(random, field, depth + 1) + "," + value(random, "x", depth + 1) + "]";
            case 15 -> depth > 3 ? "{}" : "{" + quote(field) + ":" + value(random, field, depth + 1) + "}";
            case 16 -> nested(random, 1 + random.nextInt(random.nextBoolean() ? 80 : 3_000));
            case 17 -> "\"" + RandomText.of(random, 30) + "\"";
            default -> quote(RandomText.timestamp(random));
        };
    }

    /** Arrays and objects nested {@code depth} deep. */
    public static String nested(Random random, int depth) {
        StringBuilder open = new StringBuilder(depth * 6);
        StringBuilder close = new StringBuilder(depth);
        for (int i = 0; i < depth; i++) {
            if (random.nextBoolean()) {
                open.append('[');
                close.append(']');
            } else {
                open.append("{\"a\":");
                close.append('}');
            }
        }
        return open.append(random.nextBoolean() ? "1" : "\"" + CANARY + "\"").append(close.reverse()).toString();
    }

    private static String plausible(Random random, String field) {
        return switch (field) {
            case "type" -> RandomText.pick(random, TYPES);
            case "topic" -> RandomText.pick(random, TOPICS);
            case "room", "channel" -> RandomText.pick(random, ROOMS);
            case "error" -> RandomText.pick(random, ERRORS);
            case "ts" -> RandomText.timestamp(random);
            case "id" -> random.nextInt(10) == 0 ? "" : "01HPPM2TQ6CCMFQGHEN8MM1N" + random.nextInt(100);
            default -> CANARY + random.nextInt(1_000);
        };
    }

    /** The text as a JSON string; lone surrogates are kept as they are, as a JSON text may hold them. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
