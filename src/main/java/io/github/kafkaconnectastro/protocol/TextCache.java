package io.github.kafkaconnectastro.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The strings of short texts that come again and again (a notification's type, topic and room, a payload's
 * provider, currency or activity type): a text seen before is the string made then, compared character for
 * character, instead of a new one per frame. A slot holds the last text that hashed to it; a text that comes once
 * only takes a slot until another replaces it.
 * <p>
 * Shared by the reader threads of a session without a lock: a slot is one reference, and a string is immutable
 * (its final fields make it safe to read from any thread); a thread that misses a string another one just put
 * makes its own.
 */
public final class TextCache {

    private static final int SLOTS = 512;
    /** Longer texts are ids, messages, names: rarely the same twice. */
    private static final int MAX_CHARS = 40;

    private final String[] slots = new String[SLOTS];

    /** The parser's current token's text, as {@link JsonParser#getText()} gives it. */
    public String text(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        int length = parser.getTextLength();
        if (length > MAX_CHARS) {
            return parser.getText();
        }
        char[] chars = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        int hash = 0;
        for (int i = offset; i < offset + length; i++) {
            hash = 31 * hash + chars[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        String cached = slots[slot];
        if (cached != null && same(cached, chars, offset, length)) {
            return cached;
        }
        String text = new String(chars, offset, length);
        slots[slot] = text;
        return text;
    }

    private static boolean same(String text, char[] chars, int offset, int length) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
