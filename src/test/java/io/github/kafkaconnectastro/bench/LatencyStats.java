package io.github.kafkaconnectastro.bench;

import java.util.Arrays;

/**
 * Percentiles of latency samples, nearest-rank.
 *
 * @param count how many samples
 * @param p50   the median, in nanoseconds
 * @param p99   the 99th percentile, in nanoseconds
 * @param max   the largest sample, in nanoseconds
 */
record LatencyStats(int count, long p50, long p99, long max) {

    static LatencyStats of(long[] samples, int count) {
        if (count == 0) {
            return new LatencyStats(0, -1, -1, -1);
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return new LatencyStats(count, rank(sorted, 0.50), rank(sorted, 0.99), sorted[count - 1]);
    }

    private static long rank(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
