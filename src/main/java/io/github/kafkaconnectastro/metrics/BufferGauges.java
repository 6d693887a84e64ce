package io.github.kafkaconnectastro.metrics;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Where the buffer gauges are read from: the buffer between the session and {@code poll()} hands in its readers,
 * so that the metrics show its fill without depending on it.
 *
 * @param capacityRecords how many notifications the buffer holds at most
 * @param capacityBytes   how many bytes of notifications the buffer holds at most
 * @param records         how many notifications it holds now
 * @param bytes           how many bytes of notifications it holds now
 */
public record BufferGauges(IntSupplier capacityRecords, LongSupplier capacityBytes, IntSupplier records,
                           LongSupplier bytes) {
}
