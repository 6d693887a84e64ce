package io.github.kafkaconnectastro.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Throughput of the connector against the baseline, in alternating rounds on the same emulator and payload:
 * the baseline client counting frames, then the connector carrying as many notifications into Kafka. During
 * the connector's rounds it also takes the CPU time of the connector's threads and the JVM's heap high-water.
 */
final class ThroughputPhase {

    /** As long as the connector's room, so that both streams have frames of exactly the same size. */
    static final String BASELINE_ROOM = "bench-base";

    private final BenchCluster cluster;
    private final Publisher publisher;
    private final BenchOptions options;

    /**
     * One round.
     *
     * @param count    notifications carried
     * @param nanos    first to last at the receiving end
     * @param cpuNanos CPU time of the receiving side's threads
     * @param heapPeak heap high-water of the JVM (connector rounds only)
     * @param missing  notifications published but not received (connector rounds only)
     * @param byThread CPU time by thread (connector rounds only)
     * @param byRole   the whole JVM's CPU time by role ({@link CpuBreakdown}; connector and ceiling rounds)
     * @param allocByRole bytes allocated by the JVM's threads, by role (connector and ceiling rounds)
     */
    record Round(long count, long nanos, long cpuNanos, long heapPeak, long missing, Map<String, Long> byThread,
                 Map<String, Long> byRole, Map<String, Long> allocByRole) {
        double rate() {
            return Units.rate(count, nanos);
        }
    }

    /**
     * The measured rounds of one value format, for the side-by-side comparison ({@link UserComparison}).
     *
     * @param format     the value format's name as the report shows it
     * @param baseline   the baseline client's rounds
     * @param connected  the connector's rounds
     * @param ceilings   Connect's ceiling's rounds
     * @param lost       notifications lost by the connector
     * @param duplicates notifications the connector carried twice
     */
    record Result(String format, List<Round> baseline, List<Round> connected, List<Round> ceilings, long lost,
                  long duplicates) {
        boolean intact() {
            return lost == 0 && duplicates == 0;
        }
    }

    ThroughputPhase(BenchCluster cluster, Publisher publisher, BenchOptions options) {
        this.cluster = cluster;
        this.publisher = publisher;
        this.options = options;
    }

    /** Runs the rounds of one value format and reports them under {@code format}. */
    Result run(RunningConnector connector, Ceiling ceiling, String room, String format, BenchReport report)
            throws Exception {
        Progress.say("throughput, " + format + ": warm-up rounds of " + options.warmupCount());
        baselineRound(options.warmupCount());
        connectorRound(connector, room, options.warmupCount());
        ceilingRound(ceiling, options.warmupCount());
        int frameChars = 0;
        long duplicatesBefore = connector.reader().duplicates();
        List<Round> baseline = new ArrayList<>();
        List<Round> connected = new ArrayList<>();
        List<Round> ceilings = new ArrayList<>();
        for (int i = 1; i <= options.rounds(); i++) {
            Progress.say("throughput, " + format + ": round " + i + " of " + options.rounds() + ", " + options.count() + " notifications each");
            BaselineResult base = baselineRound(options.count());
            baseline.add(base.round());
            frameChars = base.frameChars();
            connected.add(connectorRound(connector, room, options.count()));
            ceilings.add(ceilingRound(ceiling, options.count()));
        }
        long lost = connected.stream().mapToLong(Round::missing).sum();
        long duplicates = connector.reader().duplicates() - duplicatesBefore;
        report(report, format, frameChars, baseline, connected, ceilings, lost, duplicates);
        return new Result(format, baseline, connected, ceilings, lost, duplicates);
    }

    private record BaselineResult(Round round, int frameChars) { }

    private BaselineResult baselineRound(long count) throws Exception {
        BaselineClient client = BaselineClient.subscribe(cluster.emulator.uri(), BenchCluster.TOKEN,
                BenchPayload.TOPIC, BASELINE_ROOM);
        try {
            client.expect(count);
            long cpuBefore = client.readerCpuNanos();
            publisher.burstPreEncoded(BASELINE_ROOM, count);
            if (!client.awaitAll(timeout(count).toMillis())) {
                throw new IllegalStateException("the baseline client did not receive " + count + " notifications");
            }
            Round round = new Round(count, client.nanos(), client.readerCpuNanos() - cpuBefore, 0, 0, Map.of(),
                    Map.of(), Map.of());
            return new BaselineResult(round, client.frameChars());
        } finally {
            client.closeAndJoin();
        }
    }

    private Round connectorRound(RunningConnector connector, String room, long count) throws Exception {
        KafkaReader reader = connector.reader();
        reader.startWindow();
        ThreadCpu.Snapshot before = ThreadCpu.take(connector.threads());
        CpuBreakdown jvmBefore = CpuBreakdown.take();
        HeapWatch.resetPeaks();
        long from = publisher.nextSeq();
        publisher.burstPreEncoded(room, count);
        if (!reader.awaitWindow(count, timeout(count))) {
            throw new IllegalStateException("only " + reader.windowCount() + " of " + count
                    + " notifications reached Kafka in time");
        }
        ThreadCpu.Snapshot after = ThreadCpu.take(connector.threads());
        CpuBreakdown jvmAfter = CpuBreakdown.take();
        return new Round(count, reader.windowNanos(), after.since(before), HeapWatch.peakBytes(),
                reader.missing(from, publisher.nextSeq()), after.byThread(before), jvmAfter.since(jvmBefore),
                jvmAfter.allocatedSince(jvmBefore));
    }

    private static Round ceilingRound(Ceiling ceiling, long count) throws InterruptedException {
        CpuBreakdown before = CpuBreakdown.take();
        long nanos = ceiling.round(count, timeout(count));
        CpuBreakdown after = CpuBreakdown.take();
        return new Round(count, nanos, 0, 0, 0, Map.of(), after.since(before), after.allocatedSince(before));
    }

    /** Generous: a rate of 1,000/s would be a failure in itself, not a figure. */
    static Duration timeout(long count) {
        return Duration.ofSeconds(60 + count / 1_000);
    }

    private void report(BenchReport report, String format, int frameChars, List<Round> baseline, List<Round> connected,
                        List<Round> ceilings, long lost, long duplicates) {
        double baseRate = median(baseline);
        double connectorRate = median(connected);
        double ceilingRate = median(ceilings);
        double ratio = baseRate == 0 ? 0 : connectorRate / baseRate;
        double ceilingRatio = ceilingRate == 0 ? 0 : connectorRate / ceilingRate;
        long count = connected.stream().mapToLong(Round::count).sum();
        long connectorCpu = connected.stream().mapToLong(Round::cpuNanos).sum();
        long baselineCpu = baseline.stream().mapToLong(Round::cpuNanos).sum();
        long heapPeak = connected.stream().mapToLong(Round::heapPeak).max().orElse(0);
        report.section("Throughput, " + format + " values",
                "Rounds of " + Units.count(options.count()) + " notifications of " + frameChars + " bytes each "
                + "(one `" + BenchPayload.TOPIC + "` tip frame, ASCII), after one unreported warm-up round of "
                + Units.count(options.warmupCount()) + ". Each round runs the baseline (a plain Java-WebSocket "
                + "client that only counts frames), then the connector (emulator → loopback websocket → task → "
                + "producer → broker → a consumer reading the topic), then Connect's ceiling (a source task in the "
                + "same worker whose poll() returns the connector's own records for the same frames, built before "
                + "the round, with the same converters and producer settings: what the worker, the producer and "
                + "the broker cost on this machine, with no socket, parsing or mapping). Rates are first to last record at the "
                + "receiving end; the figure is the median of the rounds. The publisher sends frames encoded before "
                + "the round (" + Units.count(Publisher.VARIANTS) + " variants per room, each frame's id, `ts`, "
                + "sequence number and send time patched in), " + Publisher.BATCH_FRAMES + " to a batch handed to the "
                + "emulator's socket as it is, at most " + Publisher.RING + " batches waiting to be written.");
        report.figure("baseline rate (median)", Units.perSecond(baseRate)
                + " (rounds: " + rates(baseline) + ")");
        report.figure("connector rate (median)", Units.perSecond(connectorRate)
                + " (rounds: " + rates(connected) + ")", "≥ 50,000/s per task", connectorRate >= 50_000);
        report.figure("ratio connector / baseline", Units.decimal(ratio), "≥ 0.8", ratio >= 0.8);
        report.figure("Connect ceiling rate (median)", Units.perSecond(ceilingRate)
                + " (rounds: " + rates(ceilings) + ")");
        report.figure("ratio connector / Connect ceiling", Units.decimal(ceilingRatio), "≥ 0.8", ceilingRatio >= 0.8);
        report.figure("connector CPU per million notifications",
                Units.seconds(connectorCpu * 1_000_000 / Math.max(1, count)) + " CPU");
        report.figure("baseline client CPU per million notifications",
                Units.seconds(baselineCpu * 1_000_000 / Math.max(1, count)) + " CPU");
        report.figure("JVM heap high-water during the connector rounds", Units.mebibytes(heapPeak));
        report.figure("notifications lost / duplicated", lost + " / " + duplicates, "0 / 0",
                lost == 0 && duplicates == 0);
        Map<String, Long> byThread = new TreeMap<>();
        connected.forEach(round -> round.byThread().forEach((thread, nanos) -> byThread.merge(thread, nanos, Long::sum)));
        String perThread = byThread.entrySet().stream()
                .map(entry -> "`" + entry.getKey() + "` " + Units.seconds(entry.getValue() * 1_000_000 / Math.max(1, count)))
                .collect(Collectors.joining(", "));
        report.line("Connector CPU is the sum of the CPU time of its threads, per million notifications: " + perThread
                + ". Heap high-water is the sum of the heap pools' peak usage, reset before each round, for the "
                + "**whole JVM** (broker, worker, emulator and consumer included; garbage included).");
        report.line(whereTheCpuGoes(connected, ceilings));
    }

    /**
     * The whole JVM's CPU per record by role, in the connector's rounds and in the ceiling's: the pipeline and the
     * harness share the machine's cores, so this says what a record costs where, and what the harness takes.
     */
    static String whereTheCpuGoes(List<Round> connected, List<Round> ceilings) {
        Map<String, Long> connector = sumByRole(connected, Round::byRole);
        Map<String, Long> ceiling = sumByRole(ceilings, Round::byRole);
        long connectorCount = Math.max(1, connected.stream().mapToLong(Round::count).sum());
        long ceilingCount = Math.max(1, ceilings.stream().mapToLong(Round::count).sum());
        StringBuilder table = new StringBuilder("The whole JVM's CPU per record, µs, by role (thread CPU time "
                + "during the rounds, summed over the rounds, divided by their records):\n\n"
                + "| role | connector rounds | ceiling rounds |\n|---|---|---|\n");
        long connectorTotal = 0;
        long ceilingTotal = 0;
        for (String role : connector.keySet()) {
            long a = connector.getOrDefault(role, 0L);
            long b = ceiling.getOrDefault(role, 0L);
            connectorTotal += a;
            ceilingTotal += b;
            table.append("| ").append(role).append(" | ").append(micros(a, connectorCount)).append(" | ")
                    .append(micros(b, ceilingCount)).append(" |\n");
        }
        return table.append("| **total** | **").append(micros(connectorTotal, connectorCount)).append("** | **")
                .append(micros(ceilingTotal, ceilingCount)).append("** |").toString();
    }

    static Map<String, Long> sumByRole(List<Round> rounds, Function<Round, Map<String, Long>> which) {
        Map<String, Long> sum = new LinkedHashMap<>();
        rounds.forEach(round -> which.apply(round).forEach((role, nanos) -> sum.merge(role, nanos, Long::sum)));
        return sum;
    }

    private static String micros(long nanos, long count) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1_000.0 / count);
    }

    static double median(List<Round> rounds) {
        double[] rates = rounds.stream().mapToDouble(Round::rate).sorted().toArray();
        if (rates.length == 0) {
            return 0;
        }
        int mid = rates.length / 2;
        return rates.length % 2 == 1 ? rates[mid] : (rates[mid - 1] + rates[mid]) / 2;
    }

    private static String rates(List<Round> rounds) {
        return rounds.stream()
                .map(round -> Units.perSecond(round.count(), round.nanos()))
                .collect(Collectors.joining(", "));
    }
}
