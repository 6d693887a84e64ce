package io.github.kafkaconnectastro.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrendTest {

    @Test
    void medianOfOddAndEvenWindows() {
        assertEquals(2, Trend.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Trend.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void slopeIsPerHourAndZeroWhenFlatOrASinglePoint() {
        assertEquals(60, Trend.slopePerHour(new double[] {1, 2, 3, 4}, new double[] {10, 11, 12, 13}), 1e-9);
        assertEquals(0, Trend.slopePerHour(new double[] {1, 2, 3}, new double[] {7, 7, 7}), 1e-9);
        assertEquals(0, Trend.slopePerHour(new double[] {5}, new double[] {7}), 1e-9);
    }
}
