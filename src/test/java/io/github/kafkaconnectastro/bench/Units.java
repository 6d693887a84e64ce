package io.github.kafkaconnectastro.bench;

import java.util.Locale;

/** How the report writes quantities, so every figure of one kind reads the same. */
final class Units {

    private Units() {
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String perSecond(long count, long nanos) {
        return nanos <= 0 ? "n/a" : perSecond(count * 1e9 / nanos);
    }

    static String perSecond(double rate) {
        return String.format(Locale.ROOT, "%,.0f/s", rate);
    }

    static double rate(long count, long nanos) {
        return nanos <= 0 ? 0 : count * 1e9 / nanos;
    }

    static String millis(long nanos) {
        return nanos < 0 ? "n/a" : String.format(Locale.ROOT, "%,.1f ms", nanos / 1e6);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%,.1f s", nanos / 1e9);
    }

    static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%,.1f MiB", bytes / (1024.0 * 1024.0));
    }

    static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f %%", value);
    }

    static String decimal(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
