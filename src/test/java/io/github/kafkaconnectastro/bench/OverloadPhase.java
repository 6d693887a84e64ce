package io.github.kafkaconnectastro.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Heap under overload: a broker quota throttles the connector's producer while the emulator pushes as fast as
 * the socket takes for a while. Once the producer's and then the connector's buffers are full, the task must
 * stop reading the socket, so the heap stops growing; once the quota is lifted, every notification published
 * must reach Kafka.
 *
 * <p>Records the producer has accepted but not sent are held twice: serialized in its {@code buffer.memory},
 * and as the {@code SourceRecord} Connect keeps for the send's callback. With the default 32 MiB that alone
 * takes minutes to fill at a throttled rate, so the phase lowers it to {@link #PRODUCER_BUFFER_MEMORY} to reach
 * the connector's own bound within seconds. The record bound is raised so that the byte bound is the one reached.
 */
final class OverloadPhase {

    static final String ROOM = "bench-ovl";
    private static final long BUFFER_MAX_BYTES = 16L * 1024 * 1024;
    private static final long PRODUCER_BUFFER_MEMORY = 8L * 1024 * 1024;
    /**
     * How much the retained heap may still rise in the second half: one more buffer's worth. Samples move by a
     * few MiB with nothing growing (consumer fetches, broker, the batch Connect is sending); unbounded growth at
     * even a throttled rate adds far more over the half of a full run.
     */
    private static final long PLATEAU_TOLERANCE = BUFFER_MAX_BYTES;
    /** The buffer counts as full above this share of its bound: one more notification would not fit. */
    private static final double FULL = 0.95;
    private static final int SAMPLES = 6;
    private static final int WARM_UP = 1_000;

    private final BenchCluster cluster;
    private final Publisher publisher;
    private final BenchOptions options;

    OverloadPhase(BenchCluster cluster, Publisher publisher, BenchOptions options) {
        this.cluster = cluster;
        this.publisher = publisher;
        this.options = options;
    }

    /** Runs and reports; false when a notification went missing or came twice. */
    boolean run(BenchReport report) throws Exception {
        Map<String, String> config = cluster.connectorConfig("ovl", List.of(ROOM));
        config.put("buffer.max.records", "1000000");
        config.put("buffer.max.bytes", Long.toString(BUFFER_MAX_BYTES));
        config.put("producer.override.buffer.memory", Long.toString(PRODUCER_BUFFER_MEMORY));
        try (RunningConnector connector = cluster.startConnector("ovl", config, true)) {
            KafkaReader reader = connector.reader();
            long warmFrom = publisher.nextSeq();
            publisher.burst(ROOM, WARM_UP);
            reader.awaitSeen(warmFrom, publisher.nextSeq(), Duration.ofSeconds(60));

            Progress.say("overload: producer throttled to " + options.quotaBytesPerSec() / 1024 + " KiB/s, "
                    + "publishing as fast as the socket takes for " + options.overloadSeconds() + " s");
            cluster.throttle(connector.producerClientId(), options.quotaBytesPerSec());
            long retainedBefore = HeapWatch.retainedBytes();
            HeapWatch.resetPeaks();
            publisher.resetQueueHighWater();
            reader.startWindow();
            long from = publisher.nextSeq();
            long start = System.nanoTime();
            long[] retained = new long[SAMPLES];
            long bufferMax = 0;
            Duration slice = Duration.ofMillis(options.overloadSeconds() * 1_000L / SAMPLES);
            for (int i = 0; i < SAMPLES; i++) {
                publisher.forDuration(ROOM, slice);
                bufferMax = Math.max(bufferMax, connector.metrics().getBufferBytes());
                retained[i] = HeapWatch.retainedBytes() - retainedBefore;
            }
            long publishedNanos = System.nanoTime() - start;
            long to = publisher.nextSeq();
            long writtenWhileThrottled = reader.windowCount();
            long heapPeak = HeapWatch.peakBytes();

            Progress.say("overload: quota lifted, waiting for every notification to reach Kafka");
            cluster.unthrottle(connector.producerClientId());
            long drainStart = System.nanoTime();
            boolean complete = reader.awaitSeen(from, to, Duration.ofSeconds(120 + options.overloadSeconds()));
            long drainNanos = System.nanoTime() - drainStart;
            long missing = reader.missing(from, to);
            long duplicates = reader.duplicates();

            long growth = Arrays.stream(retained).max().orElse(0);
            long firstHalf = Arrays.stream(retained, 0, SAMPLES / 2).max().orElse(0);
            long secondHalfGrowth = growth - firstHalf;
            boolean filled = bufferMax >= FULL * BUFFER_MAX_BYTES;
            report.section("Heap under overload",
                    "The broker throttles the connector's producer (`" + connector.producerClientId() + "`) to "
                    + options.quotaBytesPerSec() / 1024 + " KiB/s with a client quota while the emulator pushes as "
                    + "fast as the socket takes, for " + options.overloadSeconds() + " s (flow-controlled "
                    + "publisher, most frames queued at the emulator: " + Units.count(publisher.queueHighWater())
                    + "). Connector: `buffer.max.bytes`=" + Units.mebibytes(BUFFER_MAX_BYTES) + ", "
                    + "`buffer.max.records`=1000000 (so the byte bound is the one reached), "
                    + "`producer.override.buffer.memory`=" + Units.mebibytes(PRODUCER_BUFFER_MEMORY) + " (so the "
                    + "producer fills within seconds; its records are held serialized and, by Connect, as "
                    + "SourceRecords). Retained heap: heap in use after a full GC, sampled " + SAMPLES + " times "
                    + "during the overload, minus the same before it; whole JVM, so an upper bound of the "
                    + "connector's share. Bounded means: the buffer reaches its bound and the retained heap stops "
                    + "growing (second half of the overload against the first).");
            report.figure("published during the overload", Units.count(to - from) + " ("
                    + Units.perSecond(to - from, publishedNanos) + ")");
            report.figure("written to Kafka while throttled", Units.count(writtenWhileThrottled) + " ("
                    + Units.perSecond(writtenWhileThrottled, publishedNanos) + ")");
            report.figure("connector buffer high-water (BufferBytes MBean)", Units.mebibytes(bufferMax)
                    + " of " + Units.mebibytes(BUFFER_MAX_BYTES), "reaches the bound, never more",
                    filled && bufferMax <= BUFFER_MAX_BYTES);
            report.figure("retained heap growth (samples)", Arrays.stream(retained)
                    .mapToObj(Units::mebibytes).reduce((a, b) -> a + ", " + b).orElse(""));
            report.figure("retained heap growth in the second half", Units.mebibytes(secondHalfGrowth),
                    "≤ " + Units.mebibytes(PLATEAU_TOLERANCE) + " once the buffer is full",
                    filled && secondHalfGrowth <= PLATEAU_TOLERANCE);
            report.figure("JVM heap high-water during the overload", Units.mebibytes(heapPeak));
            report.figure("lost / duplicated once the quota was lifted", missing + " / " + duplicates,
                    "0 / 0", complete && missing == 0 && duplicates == 0);
            report.figure("time to drain after lifting the quota", Units.seconds(drainNanos));
            if (!filled) {
                report.line("The buffer never filled: the overload was too short for this machine's publishing "
                        + "rate, so the bound was not tested. Give `--overload-seconds` more.");
            }
            return missing == 0 && duplicates == 0;
        }
    }
}
