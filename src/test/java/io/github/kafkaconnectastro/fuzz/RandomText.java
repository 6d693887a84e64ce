package io.github.kafkaconnectastro.fuzz;

import java.util.List;
import java.util.Random;

/** Random text that is hard on a JSON reader: structure characters, escapes, control characters, lone surrogates. */
public final class RandomText {

    private static final String STRUCTURE = "{}[]\":,\\ \t\n\r0123456789-+.eEtrufalsn";
    private static final List<String> ODD = List.of("\u0000", "\u001f", "\u007f", "\u2028", "\ufeff", "\ufffd",
            "\ud800", "\udfff", "\ud83c\udf89", "é", "日", "\\u0000", "\\ud800", "\\udc00\\ud800", "\\", "\\\"",
            "\\x41", "\\u12", "null", "true", "1e999999", "-0", "NaN", "Infinity", "/*", "//", "'", "\"\"");

    private RandomText() {
    }

    /** A text of up to {@code maxLength} characters, each drawn from one of several kinds. */
    public static String of(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder out = new StringBuilder(length);
        int kind = random.nextInt(4);
        while (out.length() < length) {
            out.append(piece(random, random.nextInt(8) == 0 ? random.nextInt(4) : kind));
        }
        return out.toString();
    }

    /** One character or short sequence: structural, printable ASCII, any UTF-16 unit, or a known odd one. */
    public static String piece(Random random, int kind) {
        return switch (kind) {
            case 0 -> String.valueOf(STRUCTURE.charAt(random.nextInt(STRUCTURE.length())));
            case 1 -> String.valueOf((char) (0x20 + random.nextInt(0x5f)));
            case 2 -> String.valueOf((char) random.nextInt(0x10000));
            default -> ODD.get(random.nextInt(ODD.size()));
        };
    }

    /** A decimal number's text: small, negative, fractional, exponent beyond a double's range, or very long. */
    public static String number(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> Integer.toString(random.nextInt(100));
            case 1 -> Long.toString(random.nextLong());
            case 2 -> random.nextDouble() * 1e6 + "";
            case 3 -> "1e" + (random.nextBoolean() ? "" : "-") + (300 + random.nextInt(1_000_000));
            case 4 -> "-0.0";
            case 5 -> "9".repeat(1 + random.nextInt(1_200));
            case 6 -> "0." + "1".repeat(1 + random.nextInt(1_200));
            default -> "123456789012345678901234567890";
        };
    }

    /**
     * A text shaped like an RFC 3339 date-time: each part usually valid, sometimes at or past the edge of its range,
     * so that texts the hand-written reader takes and texts it leaves to the JDK both come often.
     */
    public static String timestamp(Random random) {
        return part(random, new String[] {"1970", "2024", "9999"}, "1969", "0000", "+10000", "-0001", "10000", "999")
                + "-" + part(random, new String[] {"01", "02", "12"}, "13", "00", "1")
                + "-" + part(random, new String[] {"01", "28", "29"}, "30", "31", "32", "00")
                + part(random, new String[] {"T"}, "t", " ")
                + part(random, new String[] {"00:00:00", "23:59:59"}, "23:59:60", "24:00:00", "12:60:00", "1:2:3", "12:00")
                + part(random, new String[] {"", ".5", ".123456789"}, ".", ".1234567890", "." + "9".repeat(30))
                + part(random, new String[] {"Z", "+00:00", "-00:00", "+05:30", "+17:59"}, "z", "+18:00", "-18:00",
                        "+18:01", "+0530", "+05", "+05:30:15", "", " ", "Z ");
    }

    private static String part(Random random, String[] usual, String... edges) {
        return random.nextInt(4) > 0 ? pick(random, usual) : pick(random, edges);
    }

    static String pick(Random random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }
}
