package io.github.kafkaconnectastro.bench;

import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Returns from {@code poll()} the batches {@link #emit} queued, and nothing else: no socket, no parsing, no
 * mapping. The benchmark and the worker share one JVM, so the batches are handed over in memory.
 */
public final class CeilingSourceTask extends SourceTask {

    private static final BlockingQueue<List<SourceRecord>> BATCHES = new LinkedBlockingQueue<>();
    private static final long POLL_WAIT_MS = 100;

    /**
     * Queues {@code count} records taken in turn from {@code pool}, in batches of {@code batch}. A record of the
     * pool may go out several times; the reader counts records, not distinct ones.
     */
    static void emit(List<SourceRecord> pool, long count, int batch) {
        long left = count;
        int at = 0;
        while (left > 0) {
            int size = (int) Math.min(Math.min(batch, left), pool.size() - at);
            BATCHES.add(pool.subList(at, at + size));
            left -= size;
            at = (at + size) % pool.size();
        }
    }

    @Override
    public String version() {
        return "bench";
    }

    @Override
    public void start(Map<String, String> props) {
        BATCHES.clear();
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        return BATCHES.poll(POLL_WAIT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        BATCHES.clear();
    }
}
