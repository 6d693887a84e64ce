package io.github.kafkaconnectastro.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The consumer reading a connector's output back, from the topic's start, on a thread of its own. It remembers
 * which sequence numbers it saw (to count lost and duplicated notifications), times a window of records for
 * throughput, and on request records each record's latency: the moment its poll returned minus the send time
 * carried in the record.
 */
final class KafkaReader implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final long WAIT_SLICE_MS = 100;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final Object lock = new Object();
    private final BitSet seen = new BitSet();
    private volatile boolean running = true;
    private volatile RuntimeException failure;
    private long duplicates;
    private long unreadable;
    private long windowCount;
    private long windowFirst;
    private long windowLast;
    private long[] latencies;
    private int latencyCount;

    KafkaReader(String bootstrapServers, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-reader-" + topic);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        // One partition, assigned directly: no group, so no rebalance delays the first read.
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "bench-reader-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    accept(records, BenchPayload.nanos());
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void accept(ConsumerRecords<byte[], byte[]> records, long visibleNanos) {
        synchronized (lock) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                long seq = BenchPayload.seqOf(record.value());
                if (seq < 0) {
                    unreadable++;
                    continue;
                }
                if (seen.get((int) seq)) {
                    duplicates++;
                }
                seen.set((int) seq);
                if (latencies != null) {
                    if (latencyCount == latencies.length) {
                        latencies = Arrays.copyOf(latencies, latencies.length * 2);
                    }
                    latencies[latencyCount++] = visibleNanos - BenchPayload.sentNanosOf(record.value());
                }
            }
            if (windowCount == 0) {
                windowFirst = visibleNanos;
            }
            windowCount += records.count();
            windowLast = visibleNanos;
            lock.notifyAll();
        }
    }

    /** Starts counting records afresh for {@link #windowCount()} and {@link #windowNanos()}. */
    void startWindow() {
        synchronized (lock) {
            windowCount = 0;
            windowFirst = 0;
            windowLast = 0;
        }
    }

    long windowCount() {
        synchronized (lock) {
            return windowCount;
        }
    }

    /** From the first poll that returned records of the window to the last one. */
    long windowNanos() {
        synchronized (lock) {
            return windowLast - windowFirst;
        }
    }

    /** Starts recording each record's latency. */
    void startLatencies(int expected) {
        synchronized (lock) {
            latencies = new long[Math.max(1_024, expected)];
            latencyCount = 0;
        }
    }

    /** Stops recording latencies and summarizes what was recorded. */
    LatencyStats stopLatencies() {
        synchronized (lock) {
            LatencyStats stats = LatencyStats.of(latencies, latencyCount);
            latencies = null;
            return stats;
        }
    }

    /** How many of the sequence numbers [from, to) were not seen. */
    long missing(long from, long to) {
        synchronized (lock) {
            return (to - from) - seen.get((int) from, (int) to).cardinality();
        }
    }

    /** Records whose sequence number had been seen before, since the start. */
    long duplicates() {
        synchronized (lock) {
            return duplicates;
        }
    }

    /** Records without a benchmark sequence number (none are expected). */
    long unreadable() {
        synchronized (lock) {
            return unreadable;
        }
    }

    boolean awaitWindow(long count, Duration timeout) throws InterruptedException {
        return await(() -> windowCount >= count, timeout);
    }

    boolean awaitSeen(long from, long to, Duration timeout) throws InterruptedException {
        return await(() -> seen.get((int) from, (int) to).cardinality() == to - from, timeout);
    }

    private boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!condition.getAsBoolean()) {
                if (failure != null) {
                    throw new IllegalStateException("the benchmark consumer failed", failure);
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                lock.wait(WAIT_SLICE_MS);
            }
            return true;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
