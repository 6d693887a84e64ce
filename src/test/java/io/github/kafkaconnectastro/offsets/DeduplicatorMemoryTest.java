package io.github.kafkaconnectastro.offsets;

import io.github.kafkaconnectastro.config.AstroReliabilityConfig;
import io.github.kafkaconnectastro.emulator.Ulid;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deduplication's memory is bounded by the task's budget, whatever the number of pairs. */
class DeduplicatorMemoryTest {

    private static final int PAIRS = 1_000;
    private static final int IDS_PER_PAIR = 1_000;

    @Test
    void sharesTheTaskBudgetEvenlyWithAFloorPerPair() {
        assertEquals(1_000, Deduplicator.capacityPerPair(1_000, 100_000, 10), "few pairs keep dedup.cache.size");
        assertEquals(100, Deduplicator.capacityPerPair(1_000, 100_000, 1_000));
        assertEquals(64, Deduplicator.capacityPerPair(1_000, 100_000, 10_000), "never fewer than 64 per pair");
        assertEquals(10, Deduplicator.capacityPerPair(10, 100_000, 10_000), "nor more than dedup.cache.size");
        assertEquals(1_000, Deduplicator.capacityPerPair(1_000, 100_000, 0));
    }

    /**
     * Fills 1,000 busy pairs (each gets more ids than it may remember) with the default settings and weighs what the
     * deduplicator holds: the heap in use after a GC, with it and without it. The figure is in docs/operations.md.
     */
    @Test
    void aThousandBusyPairsStayWithinTheDefaultBudget() {
        int capacity = Deduplicator.capacityPerPair(AstroReliabilityConfig.DEDUP_CACHE_SIZE.defaultValue(),
                AstroReliabilityConfig.DEDUP_CACHE_TASK_SIZE.defaultValue(), PAIRS);
        long before = usedHeapAfterGc();
        Deduplicator dedup = new Deduplicator(capacity,
                AstroReliabilityConfig.DEDUP_CLOCK_SKEW.defaultValue().toMillis());
        long start = Instant.parse("2026-03-19T12:00:00Z").toEpochMilli();
        Ulid ulid = new Ulid(new AtomicLong(start)::getAndIncrement, new Random(1));
        for (int i = 0; i < PAIRS; i++) {
            Subscription pair = new Subscription("channel.chat.message", String.format("%024x", i));
            for (int n = 0; n < IDS_PER_PAIR; n++) {
                String id = ulid.next();
                dedup.accept(pair, id, Instant.ofEpochMilli(Ulid.timestamp(id)));
            }
        }
        long held = usedHeapAfterGc() - before;
        long ids = (long) PAIRS * capacity;
        System.out.printf("dedup memory: %d busy pairs, %d ids each: %.1f MB, %d bytes per id%n",
                PAIRS, capacity, held / 1e6, held / ids);
        // Used after the weighing, so that it is still reachable then.
        assertTrue(dedup.accept(new Subscription("channel.tips", "x"), ulid.next(), Instant.now()) != null);
        assertTrue(held < 2 * AstroReliabilityConfig.DEDUP_CACHE_TASK_SIZE.defaultValue() * 100L,
                held + " bytes for " + ids + " ids");
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
