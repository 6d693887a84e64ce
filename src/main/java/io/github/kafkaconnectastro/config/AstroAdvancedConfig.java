package io.github.kafkaconnectastro.config;

import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.time.Duration;

/** The "Advanced" group: the bounds of a task's buffer, of poll() and of a frame. */
public final class AstroAdvancedConfig {

    public static final Key<Integer> BUFFER_MAX_RECORDS = Key.intValue("buffer.max.records")
            .withDefault(10_000).withValidator(Range.between(1, 10_000_000))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Buffer size (records)")
            .withDoc("The most notifications a task holds between the socket and Kafka. When full, the task stops "
                    + "reading the socket until Kafka catches up (backpressure) and keeps the connection alive with "
                    + "unsolicited pongs meanwhile. What the buffer holds when the task stops is dropped, so a large "
                    + "buffer costs more on every restart or rebalance.");

    public static final Key<Long> BUFFER_MAX_BYTES = Key.longValue("buffer.max.bytes")
            .withDefault(16L * 1024 * 1024).withValidator(Range.between(1024L, 4L * 1024 * 1024 * 1024))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Buffer size (bytes)")
            .withDoc("The most heap, in bytes (estimated from frame sizes), the notifications held between the "
                    + "socket and Kafka may take. Same behaviour at the limit as buffer.max.records.");

    public static final Key<Integer> POLL_BATCH_MAX_RECORDS = Key.intValue("poll.batch.max.records")
            .withDefault(2_000).withValidator(Range.between(1, 100_000))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Batch size")
            .withDoc("The most records one poll() hands to Connect.");

    public static final Key<Duration> POLL_TIMEOUT = Key.millis("poll.timeout.ms")
            .withDefault(1_000L).withValidator(Range.between(1L, 60_000L))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Poll timeout (ms)")
            .withDoc("How long poll() waits for a first notification, in milliseconds, before returning nothing so "
                    + "that Connect can commit offsets and check for stop.");

    public static final Key<Integer> FRAME_MAX_BYTES = Key.intValue("astro.frame.max.bytes")
            .withDefault(1024 * 1024).withValidator(Range.between(1024, 256 * 1024 * 1024))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Max frame size (bytes)")
            .withDoc("Frames larger than this, in UTF-8 bytes, are counted and skipped; the session goes on. Frames "
                    + "over four times this close the connection before they are read whole, which bounds the heap a "
                    + "single frame can take; the task reconnects and subscribes again.");

    public static final Key<Integer> JSON_MAX_NESTING_DEPTH = Key.intValue("astro.json.max.nesting.depth")
            .withDefault(64).withValidator(Range.between(4, 1000))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Max JSON depth")
            .withDoc("Frames whose JSON nests deeper than this are counted and skipped.");

    static final KeyGroup GROUP = new KeyGroup("Advanced", BUFFER_MAX_RECORDS, BUFFER_MAX_BYTES,
            POLL_BATCH_MAX_RECORDS, POLL_TIMEOUT, FRAME_MAX_BYTES, JSON_MAX_NESTING_DEPTH);

    private AstroAdvancedConfig() {
    }
}
