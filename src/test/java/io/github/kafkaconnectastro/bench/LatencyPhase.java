package io.github.kafkaconnectastro.bench;

import java.time.Duration;

/**
 * End-to-end latency at a fixed, moderate rate: each notification carries the moment the publisher handed it to
 * the emulator, and the consumer subtracts it from the moment its poll returned the record. Both readings come
 * from the same JVM's clock. Run after the throughput rounds, so the code paths are compiled.
 */
final class LatencyPhase {

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    private final Publisher publisher;
    private final BenchOptions options;
    private long p99 = -1;

    LatencyPhase(Publisher publisher, BenchOptions options) {
        this.publisher = publisher;
        this.options = options;
    }

    /** The p99 of the last run, nanoseconds; -1 when it did not complete. */
    long p99() {
        return p99;
    }

    /** Runs and reports under {@code format} (the value format); false when a notification went missing. */
    boolean run(RunningConnector connector, String room, String format, BenchReport report) throws Exception {
        int rate = options.latencyRate();
        Progress.say("latency, " + format + ": " + rate + "/s for " + options.latencySeconds() + " s");
        KafkaReader reader = connector.reader();
        reader.startLatencies(rate * options.latencySeconds());
        long from = publisher.nextSeq();
        long start = System.nanoTime();
        long sent = publisher.atRate(room, rate, Duration.ofSeconds(options.latencySeconds()));
        long took = System.nanoTime() - start;
        boolean complete = reader.awaitSeen(from, publisher.nextSeq(), DRAIN_TIMEOUT);
        LatencyStats stats = reader.stopLatencies();
        long missing = reader.missing(from, publisher.nextSeq());

        p99 = complete ? stats.p99() : -1;
        report.section("End-to-end latency, " + format + " values",
                "From the publisher handing a notification to the emulator to the consumer's poll returning its "
                + "record, at a fixed rate, with the connector's and Connect's default settings (the producer's "
                + "`linger.ms` included). The publisher builds and sends each notification when it is due, stamping "
                + "its send time, one frame at a time.");
        report.figure("rate achieved", Units.perSecond(sent, took) + " (" + Units.count(sent) + " notifications)");
        report.figure("p50", Units.millis(stats.p50()));
        report.figure("p99", Units.millis(stats.p99()), "≤ 50 ms at 2,000/s", complete && stats.p99() <= 50_000_000L);
        report.figure("max", Units.millis(stats.max()));
        report.figure("samples / missing", Units.count(stats.count()) + " / " + missing, "missing 0", missing == 0);
        return missing == 0;
    }
}
