package io.github.kafkaconnectastro.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * Heap figures of the whole JVM. The broker, the worker, the emulator and the consumer share it with the
 * connector, so every figure taken here is an upper bound for the connector's share and is labelled as such.
 */
final class HeapWatch {

    private static final List<MemoryPoolMXBean> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .toList();

    private HeapWatch() {
    }

    /** Starts a new high-water period for {@link #peakBytes()}. */
    static void resetPeaks() {
        HEAP_POOLS.forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /**
     * The sum of the heap pools' peak usage since the last reset. The pools peak at different moments, so this is
     * an upper bound of the heap's own high-water mark; it includes garbage not yet collected.
     */
    static long peakBytes() {
        long total = 0;
        for (MemoryPoolMXBean pool : HEAP_POOLS) {
            MemoryUsage peak = pool.getPeakUsage();
            total += peak == null ? 0 : peak.getUsed();
        }
        return total;
    }

    /**
     * The heap still in use after a full collection: the live data, which is what a bounded buffer must keep
     * bounded (peak usage also counts garbage, and so mostly measures the collector's heuristics).
     */
    static long retainedBytes() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
