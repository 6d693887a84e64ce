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

    LatencyPhase(Publisher publisher, BenchOptions options) {
        this.publisher = publisher;
        this.options = options;
    }

    /** Runs and reports; false when a notification went missing. */
    boolean run(RunningConnector connector, String room, BenchReport report) throws Exception {
        int rate = options.latencyRate();
        Progress.say("latency: " + rate + "/s for " + options.latencySeconds() + " s");
        KafkaReader reader = connector.reader();
        reader.startLatencies(rate * options.latencySeconds());
        long from = publisher.nextSeq();
        long start = System.nanoTime();
        long sent = publisher.atRate(room, rate, Duration.ofSeconds(options.latencySeconds()));
        long took = System.nanoTime() - start;
        boolean complete = reader.awaitSeen(from, publisher.nextSeq(), DRAIN_TIMEOUT);
        LatencyStats stats = reader.stopLatencies();
        long missing = reader.missing(from, publisher.nextSeq());

        report.section("End-to-end latency",
                "From the publisher handing a notification to the emulator to the consumer's poll returning its "
                + "record, at a fixed rate, with the connector's and Connect's default settings (the producer's "
                + "`linger.ms` included).");
        report.figure("rate achieved", Units.perSecond(sent, took) + " (" + Units.count(sent) + " notifications)");
        report.figure("p50", Units.millis(stats.p50()));
        report.figure("p99", Units.millis(stats.p99()), "≤ 50 ms at 2,000/s", complete && stats.p99() <= 50_000_000L);
        report.figure("max", Units.millis(stats.max()));
        report.figure("samples / missing", Units.count(stats.count()) + " / " + missing, "missing 0", missing == 0);
        return missing == 0;
    }
}
