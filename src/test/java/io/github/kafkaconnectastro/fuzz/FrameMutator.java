package io.github.kafkaconnectastro.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Mutates a real frame: characters and UTF-8 bits flipped, pieces cut, repeated or truncated, known fields set to
 * values of every JSON type, removed or written twice, deep nesting, huge numbers and lone surrogates spliced in.
 */
public final class FrameMutator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SLOT = "\u0001SLOT\u0001";
    /** The slot as Jackson writes it. */
    private static final String SLOT_JSON = "\"\\u0001SLOT\\u0001\"";

    private FrameMutator() {
    }

    /** The frame after one to four mutations. */
    public static String mutate(Random random, String frame) {
        String out = frame;
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            out = mutateOnce(random, out);
        }
        return out;
    }

    private static String mutateOnce(Random random, String frame) {
        int at = frame.isEmpty() ? 0 : random.nextInt(frame.length());
        return switch (random.nextInt(12)) {
            case 0 -> frame.substring(0, at) + RandomText.piece(random, random.nextInt(4))
                    + frame.substring(Math.min(frame.length(), at + 1));
            case 1 -> flipUtf8Bit(random, frame);
            case 2 -> frame.substring(0, at);
            case 3 -> frame.substring(0, at) + frame.substring(Math.min(frame.length(), at + 1 + random.nextInt(20)));
            case 4 -> {
                String piece = frame.substring(at, Math.min(frame.length(), at + 1 + random.nextInt(200)));
                int to = random.nextInt(frame.length() + 1);
                yield frame.substring(0, to) + piece.repeat(1 + random.nextInt(3)) + frame.substring(to);
            }
            case 5 -> frame.substring(0, at) + RandomText.of(random, 8) + frame.substring(at);
            case 6 -> writeTwice(random, frame);
            case 7 -> remove(random, frame);
            default -> set(random, frame);
        };
    }

    private static String flipUtf8Bit(Random random, String frame) {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            return frame;
        }
        bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A known field written again, after the frame's or its data's first brace: JSON readers keep the last. */
    private static String writeTwice(Random random, String frame) {
        boolean inData = random.nextBoolean();
        String field = field(random, inData);
        int brace = inData ? frame.indexOf('{', Math.max(0, frame.indexOf("\"data\""))) : frame.indexOf('{');
        if (brace < 0) {
            return frame;
        }
        return frame.substring(0, brace + 1) + RandomJson.quote(field) + ":" + RandomJson.value(random, field, 0) + ","
                + frame.substring(brace + 1);
    }

    private static String remove(Random random, String frame) {
        return edit(random, frame, (object, field) -> object.remove(field));
    }

    /** A known field set to a value of any JSON type, spliced in as text, so it may be what no writer writes. */
    private static String set(Random random, String frame) {
        String[] chosen = new String[1];
        String edited = edit(random, frame, (object, field) -> {
            chosen[0] = field;
            object.put(field, SLOT);
        });
        if (chosen[0] == null) {
            return frame;
        }
        String value = chosen[0].equals("data") && random.nextBoolean()
                ? RandomJson.data(random) : RandomJson.value(random, chosen[0], 0);
        return edited.replace(SLOT_JSON, value);
    }

    private interface Edit {
        void apply(ObjectNode object, String field);
    }

    private static String edit(Random random, String frame, Edit edit) {
        JsonNode root;
        try {
            root = JSON.readTree(frame);
        } catch (IOException | RuntimeException e) {
            return frame;
        }
        if (!(root instanceof ObjectNode top)) {
            return frame;
        }
        boolean inData = random.nextBoolean() && top.get("data") instanceof ObjectNode;
        ObjectNode target = inData ? (ObjectNode) top.get("data") : top;
        edit.apply(target, field(random, inData));
        return top.toString();
    }

    private static String field(Random random, boolean inData) {
        return inData ? RandomJson.DATA_FIELDS.get(random.nextInt(RandomJson.DATA_FIELDS.size()))
                : RandomJson.TOP_FIELDS.get(random.nextInt(RandomJson.TOP_FIELDS.size()));
    }
}
