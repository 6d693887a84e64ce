package io.github.kafkaconnectastro.bench;

import io.github.kafkaconnectastro.metrics.MetricsRegistration;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The soak: one task holds many pairs for a long time at a moderate rate, with a few connection drops and gateway
 * {@code reconnect} messages, and once a minute the heap after a full GC, the threads and the connector's MBeans
 * are sampled. Whatever grows with time there (a listener, a thread, an MBean or a map entry per reconnect or per
 * notification) shows as a slope.
 */
final class SoakPhase {

    static final int PAIRS = 1_000;
    static final int RATE = 200;
    /** The first and last minutes whose medians are compared; the first also counts as warm-up for the heap. */
    private static final int WINDOW_MINUTES = 5;
    /** Flat heap: the slope after warm-up stays under this share of the maximum heap per hour. */
    private static final double HEAP_SLOPE_LIMIT = 0.05;
    /** The broker's and the worker's pools start and end a thread or two of their own now and then. */
    private static final int JVM_THREAD_TOLERANCE = 2;
    /** A sample within this many minutes after a drop or a reconnect may catch the connector reconnecting. */
    private static final int TRANSIENT_MINUTES = 2;
    private static final Duration HALF_MINUTE = Duration.ofSeconds(30);
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    /** One minute's sample; {@code afterReconnect} when it may catch a reconnect under way. */
    record Sample(int minute, long heapBytes, int threads, int connectorThreads, int mbeans, long records,
                  boolean afterReconnect) {
    }

    private final BenchCluster cluster;
    private final Publisher publisher;

    SoakPhase(BenchCluster cluster, Publisher publisher) {
        this.cluster = cluster;
        this.publisher = publisher;
    }

    /** Runs and reports; false when the heap, the threads or the MBeans were not flat, or a record came twice. */
    boolean run(int minutes, BenchReport report) throws Exception {
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            rooms.add(String.format(Locale.ROOT, "soak-%04d", i));
        }
        Progress.say("soak: subscribing " + Units.count(PAIRS) + " pairs on one task");
        try (RunningConnector connector = cluster.startConnector("soak", cluster.connectorConfig("soak", rooms), false)) {
            if (!BenchCluster.await(() -> connector.metrics().getActiveSubscriptions() == PAIRS, SUBSCRIBE_TIMEOUT)) {
                throw new IllegalStateException("the soak task did not subscribe its " + PAIRS + " pairs");
            }
            Progress.say("soak: " + RATE + " notifications/s across the pairs for " + minutes + " min");
            KafkaReader reader = connector.reader();
            reader.startWindow();
            long from = publisher.nextSeq();
            long deliveredBefore = cluster.emulator.deliveredCount();
            long reconnectsBefore = connector.metrics().getReconnects();
            List<Integer> eventMinutes = eventMinutes(minutes);
            List<String> events = new ArrayList<>();
            List<Sample> samples = new ArrayList<>();
            int lastEvent = -TRANSIENT_MINUTES - 1;
            for (int minute = 1; minute <= minutes; minute++) {
                publisher.atRate(rooms, RATE, HALF_MINUTE);
                if (eventMinutes.contains(minute - 1)) {
                    events.add(disturb(events.size(), minute - 1));
                    lastEvent = minute - 1;
                }
                publisher.atRate(rooms, RATE, HALF_MINUTE);
                Sample sample = sample(minute, connector, reader, minute - lastEvent <= TRANSIENT_MINUTES);
                samples.add(sample);
                Progress.say("soak: minute " + minute + ": heap after GC " + Units.mebibytes(sample.heapBytes())
                        + ", threads " + sample.threads() + " (connector " + sample.connectorThreads() + "), MBeans "
                        + sample.mbeans() + ", records " + Units.count(sample.records()));
            }
            long to = publisher.nextSeq();
            long delivered = cluster.emulator.deliveredCount() - deliveredBefore;
            reader.awaitSeen(from, to, DRAIN_TIMEOUT);
            long inKafka = (to - from) - reader.missing(from, to);
            long duplicates = reader.duplicates();
            long reconnects = connector.metrics().getReconnects() - reconnectsBefore;

            report.section("Soak", "One task holds " + Units.count(PAIRS) + " pairs for " + minutes + " min while the emulator "
                    + "publishes " + RATE + " notifications/s across them in turn, with the connector's defaults "
                    + "(a reconnecting task subscribes its pairs again at `astro.command.burst`=50, then one per "
                    + "100 ms). Disturbances, each half a minute into its minute: " + String.join("; ", events)
                    + ". Every minute, after the publishing: heap in use after a full GC (whole JVM), live threads "
                    + "(whole JVM), the connector's threads (session, websocket reader and writer, task thread, "
                    + "producer I/O), the MBeans in the `" + MetricsRegistration.DOMAIN + "` domain and the records "
                    + "read back from Kafka. " + flatness());
            samples(report, samples);
            boolean flat = verdict(report, samples);
            report.figure("published / delivered by the emulator / in Kafka", Units.count(to - from) + " / "
                    + Units.count(delivered) + " / " + Units.count(inKafka) + " (the rest were published to pairs "
                    + "not subscribed again yet after a drop: Astro has no replay)");
            report.figure("delivered but not in Kafka / duplicated", Math.max(0, delivered - inKafka) + " / "
                    + duplicates, "0 / 0", delivered <= inKafka && duplicates == 0);
            report.figure("reconnects (task metric)", Long.toString(reconnects), Integer.toString(events.size()),
                    reconnects == events.size());
            return flat && duplicates == 0;
        }
    }

    /** About one disturbance per ten minutes, at least one, at most three, spread evenly. */
    private static List<Integer> eventMinutes(int minutes) {
        int count = Math.max(1, Math.min(3, minutes / 10));
        List<Integer> at = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            at.add((2 * k + 1) * minutes / (2 * count));
        }
        return at;
    }

    /** Drops the connection (as a network failure does) and sends the gateway's {@code reconnect}, in turn. */
    private String disturb(int index, int minute) {
        String at = "minute " + minute + ":30 ";
        if (index % 2 == 0) {
            Progress.say("soak: dropping the connection");
            cluster.emulator.dropAllConnections();
            return at + "connection dropped (no close frame)";
        }
        Progress.say("soak: sending the gateway's reconnect message");
        cluster.emulator.sendReconnectToAll();
        return at + "gateway `reconnect` (with a reconnect token)";
    }

    private static Sample sample(int minute, RunningConnector connector, KafkaReader reader, boolean afterReconnect)
            throws Exception {
        long heap = HeapWatch.retainedBytes();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        int connectorThreads = ThreadCpu.take(connector.threads()).names().size();
        int mbeans = ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName(MetricsRegistration.DOMAIN + ":*"), null).size();
        return new Sample(minute, heap, threads, connectorThreads, mbeans, reader.windowCount(), afterReconnect);
    }

    private static String flatness() {
        return "Flat means: after the first " + WINDOW_MINUTES + " minutes (warm-up), the heap's least-squares slope "
                + "is under " + Units.percent(100 * HEAP_SLOPE_LIMIT) + " of the maximum heap per hour; the connector's "
                + "threads and the MBeans are the same in every sample not taken within " + TRANSIENT_MINUTES
                + " minutes after a disturbance (marked *); the JVM's threads in the last " + WINDOW_MINUTES
                + " minutes (median) are at most " + JVM_THREAD_TOLERANCE + " more than in the first "
                + WINDOW_MINUTES + ".";
    }

    private static void samples(BenchReport report, List<Sample> samples) {
        report.line("| minute | heap after GC | threads | connector threads | MBeans | records in Kafka |");
        report.line("|---|---|---|---|---|---|");
        for (Sample s : samples) {
            report.line("| " + s.minute() + (s.afterReconnect() ? "*" : "") + " | " + Units.mebibytes(s.heapBytes())
                    + " | " + s.threads() + " | " + s.connectorThreads() + " | " + s.mbeans() + " | "
                    + Units.count(s.records()) + " |");
        }
        report.line("");
    }

    private static boolean verdict(BenchReport report, List<Sample> samples) {
        int window = Math.min(WINDOW_MINUTES, Math.max(1, samples.size() / 3));
        List<Sample> first = samples.subList(0, window);
        List<Sample> last = samples.subList(samples.size() - window, samples.size());
        List<Sample> warm = samples.size() > window + 1 ? samples.subList(window, samples.size()) : samples;
        List<Sample> steady = samples.stream().filter(s -> !s.afterReconnect()).toList();

        double heapSlope = slope(warm, s -> s.heapBytes());
        double heapLimit = HEAP_SLOPE_LIMIT * Runtime.getRuntime().maxMemory();
        boolean heapFlat = heapSlope < heapLimit;
        report.figure("heap after GC: median of the first / last " + window + " min", Units.mebibytes(
                (long) median(first, s -> s.heapBytes())) + " / " + Units.mebibytes((long) median(last, s -> s.heapBytes())));
        report.figure("heap after GC: slope after warm-up", Units.mebibytes((long) heapSlope) + " per hour",
                "< " + Units.mebibytes((long) heapLimit) + " per hour", heapFlat);

        double threadGrowth = median(last, s -> s.threads()) - median(first, s -> s.threads());
        boolean threadsFlat = threadGrowth <= JVM_THREAD_TOLERANCE;
        report.figure("JVM threads: median of the first / last " + window + " min; slope", median(first, s -> s.threads())
                + " / " + median(last, s -> s.threads()) + "; " + Units.decimal(slope(samples, s -> s.threads()))
                + " per hour", "at most " + JVM_THREAD_TOLERANCE + " more", threadsFlat);

        boolean connectorThreadsFlat = constant(steady, s -> s.connectorThreads());
        report.figure("connector threads: values outside disturbances; slope", values(steady, s -> s.connectorThreads())
                + "; " + Units.decimal(slope(samples, s -> s.connectorThreads())) + " per hour", "one value",
                connectorThreadsFlat);
        boolean mbeansFlat = constant(steady, s -> s.mbeans());
        report.figure("MBeans: values outside disturbances; slope", values(steady, s -> s.mbeans()) + "; "
                + Units.decimal(slope(samples, s -> s.mbeans())) + " per hour", "one value", mbeansFlat);

        boolean flat = heapFlat && threadsFlat && connectorThreadsFlat && mbeansFlat;
        report.figure("verdict", flat ? "**PASS**: flat" : "**FAIL**: not flat", "flat", flat);
        return flat;
    }

    private static double median(List<Sample> samples, ToDoubleFunction<Sample> value) {
        return Trend.median(samples.stream().mapToDouble(value).toArray());
    }

    private static double slope(List<Sample> samples, ToDoubleFunction<Sample> value) {
        return Trend.slopePerHour(samples.stream().mapToDouble(Sample::minute).toArray(),
                samples.stream().mapToDouble(value).toArray());
    }

    private static boolean constant(List<Sample> samples, ToDoubleFunction<Sample> value) {
        return samples.stream().mapToDouble(value).distinct().count() <= 1;
    }

    private static String values(List<Sample> samples, ToDoubleFunction<Sample> value) {
        return samples.stream().mapToDouble(value).distinct().mapToObj(v -> Long.toString((long) v))
                .reduce((a, b) -> a + ", " + b).orElse("none");
    }
}
