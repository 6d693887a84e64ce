package io.github.kafkaconnectastro.bench;

import java.util.Arrays;

/** Whether a series sampled once a minute grows: the median of a window, and the least-squares slope per hour. */
final class Trend {

    private Trend() {
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** The slope of the least-squares line through (minutes[i], values[i]), in units per hour; 0 for one point. */
    static double slopePerHour(double[] minutes, double[] values) {
        int n = minutes.length;
        double meanX = Arrays.stream(minutes).average().orElse(0);
        double meanY = Arrays.stream(values).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < n; i++) {
            covariance += (minutes[i] - meanX) * (values[i] - meanY);
            variance += (minutes[i] - meanX) * (minutes[i] - meanX);
        }
        return variance == 0 ? 0 : 60 * covariance / variance;
    }
}
