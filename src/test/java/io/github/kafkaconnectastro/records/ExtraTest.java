package io.github.kafkaconnectastro.records;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link PayloadSchema.Extra} reads and writes by hand what Jackson's tree would: the same text, value for value. */
class ExtraTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"s\":\"plain\",\"escaped\":\"q\\\"b\\\\s\\n\\t\\u0001 é 😀 \\u2028\"}",
        "{\"int\":7,\"negative\":-12,\"long\":9007199254740993,\"big\":123456789012345678901234567890}",
        "{\"fraction\":12.50,\"exponent\":1e3,\"negativeZero\":-0.0,\"small\":4.9E-324}",
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
                extra.set(name, PayloadSchema.Extra.value(parser, parser.nextToken()));
            }
        }
        assertEquals(JSON.readTree(object).toString(), extra.text());
    }
}
