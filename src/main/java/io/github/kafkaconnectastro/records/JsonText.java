package io.github.kafkaconnectastro.records;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * Writes a Jackson tree as JSON text into a {@link StringBuilder}, character for character as Jackson's own
 * generator does ({@code ObjectNode.toString}): its escapes (quote, backslash and control characters only) and its
 * number forms. No generator, writer or buffer is made per call, which matters once per typed record.
 */
final class JsonText {

    private JsonText() {
    }

    static void write(StringBuilder out, JsonNode value) {
        switch (value.getNodeType()) {
            case OBJECT -> {
                out.append('{');
                for (Map.Entry<String, JsonNode> field : value.properties()) {
                    quote(out, field.getKey());
                    write(out.append(':'), field.getValue());
                    out.append(',');
                }
                close(out, '}');
            }
            case ARRAY -> {
                out.append('[');
                for (JsonNode item : value) {
                    write(out, item);
                    out.append(',');
                }
                close(out, ']');
            }
            case STRING -> quote(out, value.textValue());
            case BOOLEAN -> out.append(value.booleanValue());
            case NULL -> out.append("null");
            case NUMBER -> {
                switch (value.numberType()) {
                    case INT -> out.append(value.intValue());
                    case LONG -> out.append(value.longValue());
                    case BIG_INTEGER -> out.append(value.bigIntegerValue());
                    case FLOAT -> nonFinite(out, value.floatValue(), Float.toString(value.floatValue()));
                    case DOUBLE -> nonFinite(out, value.doubleValue(), Double.toString(value.doubleValue()));
                    default -> out.append(value.decimalValue().toString());
                }
            }
            // Binary and POJO nodes are never read from JSON text.
            default -> out.append(value.toString());
        }
    }

    /** Closes an object or array whose every value was followed by a comma: the last one is replaced. */
    private static void close(StringBuilder out, char end) {
        if (out.charAt(out.length() - 1) == ',') {
            out.setCharAt(out.length() - 1, end);
        } else {
            out.append(end);
        }
    }

    /** A number as Jackson writes it: quoted when it is not finite (a fraction too large for a double). */
    private static void nonFinite(StringBuilder out, double value, String text) {
        if (Double.isFinite(value)) {
            out.append(text);
        } else {
            out.append('"').append(text).append('"');
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** A JSON string as Jackson escapes it: quote, backslash, and control characters only. */
    static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            escaped(out, text.charAt(i));
        }
        out.append('"');
    }

    /** {@link #quote(StringBuilder, String)} of the characters {@code text[offset, offset + length)}. */
    static void quote(StringBuilder out, char[] text, int offset, int length) {
        out.append('"');
        for (int i = offset; i < offset + length; i++) {
            escaped(out, text[i]);
        }
        out.append('"');
    }

    private static void escaped(StringBuilder out, char c) {
        if (c >= 0x20 && c != '"' && c != '\\') {
            out.append(c);
            return;
        }
        out.append('\\');
        switch (c) {
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case '\b' -> out.append('b');
            case '\t' -> out.append('t');
            case '\f' -> out.append('f');
            case '\n' -> out.append('n');
            case '\r' -> out.append('r');
            default -> out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
        }
    }
}
