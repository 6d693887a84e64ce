package io.github.kafkaconnectastro.offsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.OffsetUtils;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PairOffsetTest {

    private static final String HIGH = "01HPPM2TQ6CCMFQGHEN8MM1NN1";
    private static final String LOW = "01HPPM2TQ6CCMFQGHEN8MM1NN0";
    private static final Instant TS = Instant.parse("2024-02-15T14:52:42Z");

    @Test
    void readsAsTheFlatMapOfStrings() {
        PairOffset offset = new PairOffset(HIGH, TS, new String[] {HIGH, LOW});
        Map<String, String> expected = Map.of("id", HIGH, "ts", "2024-02-15T14:52:42Z", "recent", HIGH + "," + LOW);
        assertEquals(expected, offset);
        assertEquals(offset, expected);
        assertEquals(expected.hashCode(), offset.hashCode());
        assertEquals(expected, new HashMap<>(offset), "as heartbeats copy it");
        assertEquals(HIGH + "," + LOW, offset.get(SourceOffsets.OFFSET_RECENT));
        assertEquals(Map.of("id", "evt-1"), new PairOffset("evt-1", null, null), "no ts, no recent");
    }

    @Test
    void isStoredByConnectAsTheWorkerWritesOffsets() throws Exception {
        PairOffset offset = new PairOffset(HIGH, TS, new String[] {HIGH, LOW});
        OffsetUtils.validateFormat(offset);
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), false);
        byte[] stored = converter.fromConnectData("connect-offsets", null, offset);
        assertEquals(Map.of("id", HIGH, "ts", "2024-02-15T14:52:42Z", "recent", HIGH + "," + LOW),
                new ObjectMapper().readValue(stored, Map.class));
    }
}
