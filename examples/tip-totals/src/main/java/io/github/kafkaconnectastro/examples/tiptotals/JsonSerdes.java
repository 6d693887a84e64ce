package io.github.kafkaconnectastro.examples.tiptotals;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.io.IOException;

/**
 * JSON serdes (Jackson) for the records the app reads, the aggregates in its state stores and the records it writes.
 * Decimal numbers are read as {@link java.math.BigDecimal}, so that an amount is summed exactly as it was written
 * ({@code 0.1 + 0.2} is {@code 0.3}) and written back without an exponent.
 */
final class JsonSerdes {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private JsonSerdes() {
    }

    /**
     * A serde of {@code type} as JSON; {@code null} stays {@code null}. Bytes that are not JSON of that type throw
     * the {@link SerializationException} that Kafka Streams' deserialization exception handler acts on.
     */
    static <T> Serde<T> of(Class<T> type) {
        return Serdes.serdeFrom(
                (topic, value) -> {
                    try {
                        return value == null ? null : MAPPER.writeValueAsBytes(value);
                    } catch (IOException e) {
                        throw new SerializationException("cannot write " + type.getSimpleName() + " as JSON", e);
                    }
                },
                (topic, bytes) -> {
                    try {
                        return bytes == null ? null : MAPPER.readValue(bytes, type);
                    } catch (IOException e) {
                        throw new SerializationException(
                                "a record of " + topic + " is not JSON of " + type.getSimpleName(), e);
                    }
                });
    }
}
