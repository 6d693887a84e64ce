package io.github.kafkaconnectastro.integration;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a record value in the Confluent wire format the way a consumer outside Connect does, with plain Apache
 * Avro: magic byte 0, the writer schema's 4-byte big-endian id, then the Avro binary encoding; the schema comes from
 * the registry's {@code /schemas/ids/{id}}, fetched once per id.
 */
final class ConfluentAvroReader {

    static final byte MAGIC_BYTE = 0;
    private static final int HEADER_BYTES = 5;

    private final ConfluentRegistryApi registry;
    private final Map<Integer, Schema> schemas = new HashMap<>();

    ConfluentAvroReader(ConfluentRegistryApi registry) {
        this.registry = registry;
    }

    /** The schema id in the value's header; fails unless the value starts with the magic byte. */
    static int schemaId(byte[] value) {
        if (value == null || value.length < HEADER_BYTES || value[0] != MAGIC_BYTE) {
            throw new AssertionError("not in the Confluent wire format (magic byte 0, 4-byte id): "
                    + (value == null ? "null" : value.length + " bytes starting " + (value.length > 0 ? value[0] : "")));
        }
        return ByteBuffer.wrap(value, 1, 4).getInt();
    }

    /** The writer schema the value's id names, as the registry serves it. */
    Schema writerSchema(byte[] value) {
        return schemas.computeIfAbsent(schemaId(value), id -> new Schema.Parser().parse(registry.schemaById(id)));
    }

    /** The value decoded with its writer schema. */
    GenericRecord read(byte[] value) {
        return read(value, writerSchema(value));
    }

    /** The value decoded with its writer schema and resolved to {@code readerSchema}, as Avro's evolution does. */
    GenericRecord read(byte[] value, Schema readerSchema) {
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(writerSchema(value), readerSchema);
        try {
            return reader.read(null, DecoderFactory.get()
                    .binaryDecoder(value, HEADER_BYTES, value.length - HEADER_BYTES, null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a value with schema id " + schemaId(value), e);
        }
    }
}
