package io.github.kafkaconnectastro.examples.tiptotals;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A record value with what the topology needs from outside it: whether the connector repaired it from the REST API
 * (header {@code astro.source=rest}) and its timestamp, the event's own time, which picks its minute.
 */
record Sourced(JsonNode value, boolean repaired, Instant timestamp) {

    /** The header the connector sets on every record: {@code astro} (the gateway, live) or {@code rest} (repaired). */
    static final String SOURCE_HEADER = "astro.source";

    /** Reads the header and the timestamp into the value; the key and the record are unchanged. */
    static final class Reader implements FixedKeyProcessor<String, JsonNode, Sourced> {
        private FixedKeyProcessorContext<String, Sourced> context;

        @Override
        public void init(FixedKeyProcessorContext<String, Sourced> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, JsonNode> record) {
            Header source = record.headers().lastHeader(SOURCE_HEADER);
            boolean repaired = source != null && source.value() != null
                    && "rest".equals(new String(source.value(), StandardCharsets.UTF_8));
            context.forward(record.withValue(new Sourced(record.value(), repaired,
                    Instant.ofEpochMilli(record.timestamp()))));
        }
    }
}
