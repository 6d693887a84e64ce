package io.github.kafkaconnectastro.records;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link PayloadSchema.Extra#read}, which writes unknown values as it reads them, without a tree: the same text as
 * Jackson's tree of them, nested objects' fields under their names.
 */
class ExtraReadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"s\":\"plain\",\"escaped\":\"q\\\"b\\\\s\\n\\t\\u0001 \\u001f é 😀 \\u2028 \\/\"}",
        "{\"int\":7,\"negative\":-12,\"long\":9007199254740993,\"big\":123456789012345678901234567890,\"zero\":-0}",
        "{\"fraction\":12.50,\"exponent\":1e3,\"negativeZero\":-0.0,\"small\":4.9E-324,\"huge\":1e400}",
        "{\"t\":true,\"f\":false,\"n\":null}",
        "{\"nested\":{\"a\":[1,\"two\",{\"three\":3.0},[],{}],\"b\":{\"c\":null}},\"empty\":{},\"list\":[]}",
        "{\"name with \\\"quotes\\\" and ü\":1}"
    })
    void writesWhatObjectNodeToStringWrites(String object) throws IOException {
        PayloadSchema.Extra extra = new PayloadSchema.Extra();
        try (JsonParser parser = JSON.createParser(object)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                extra.read(name, parser, parser.nextToken());
            }
        }
        assertEquals(JSON.readTree(object).toString(), extra.text());
    }

    @Test
    void aNestedObjectsFieldsGoUnderItsNameOnlyWhenItHasAny() throws IOException {
        PayloadSchema.Extra extra = new PayloadSchema.Extra();
        PayloadSchema.Extra quiet = extra.nested("quiet");
        quiet.close();
        assertNull(extra.text() == null ? null : "opened", "a nested object without unknown fields opens nothing");

        extra = new PayloadSchema.Extra();
        try (JsonParser parser = JSON.createParser("[1,\"x\",true]")) {
            parser.nextToken();
            extra.read("a", parser, parser.nextToken());
            PayloadSchema.Extra user = extra.nested("user");
            user.read("b", parser, parser.nextToken());
            PayloadSchema.Extra deeper = user.nested("deeper");
            deeper.close();
            user.close();
            extra.read("c", parser, parser.nextToken());
        }
        ObjectNode expected = JSON.createObjectNode().put("a", 1).put("c", true);
        expected.putObject("user").put("b", "x");
        ObjectNode ordered = JSON.createObjectNode().put("a", 1);
        ordered.set("user", expected.get("user"));
        ordered.put("c", true);
        assertEquals(ordered.toString(), extra.text());
    }
}
