package io.github.kafkaconnectastro.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The codec's allocation-free helpers: {@link AstroCodec#tokenStart} and {@link TextCache}. */
class TokenStartTest {

    private static final JsonFactory JSON = new JsonFactory();

    @Test
    void aValuesStartIsWhereJacksonsOwnLocationPutsIt() throws IOException {
        String text = "{\"a\":{\"b\":[1, \"é😀\", {\"c\":null}]},\n \"d\" : \"x\", \"e\":12.5, \"f\":true}";
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken token;
            int values = 0;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.FIELD_NAME) {
                    assertEquals((int) parser.currentTokenLocation().getCharOffset(), AstroCodec.tokenStart(parser),
                            token.toString());
                    values++;
                }
            }
            assertEquals(14, values);
        }
    }

    @Test
    void aTextSeenBeforeIsTheStringMadeThen() throws IOException {
        TextCache texts = new TextCache();
        String first;
        String again;
        String other;
        String number;
        try (JsonParser parser = JSON.createParser("[\"channel.tips\", \"channel.tips\", \"channel.tipz\", 12]")) {
            parser.nextToken();
            parser.nextToken();
            first = texts.text(parser);
            parser.nextToken();
            again = texts.text(parser);
            parser.nextToken();
            other = texts.text(parser);
            parser.nextToken();
            number = texts.text(parser);
        }
        assertEquals("channel.tips", first);
        assertSame(first, again);
        assertEquals("channel.tipz", other);
        assertNotSame(first, other);
        assertEquals("12", number);
        String longText = "x".repeat(41);
        try (JsonParser parser = JSON.createParser("[\"" + longText + "\",\"" + longText + "\"]")) {
            parser.nextToken();
            parser.nextToken();
            String a = texts.text(parser);
            parser.nextToken();
            assertEquals(longText, a);
            assertNotSame(a, texts.text(parser), "long texts are not kept");
        }
    }
}
