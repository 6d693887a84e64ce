package io.github.kafkaconnectastro.bench;

import org.apache.kafka.clients.admin.Admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The throughput and latency phases as users compare (issue 22, item 5): for typed and raw values in turn, the
 * connector against Connect's ceiling ({@link ThroughputPhase}) and its latency at 2,000/s ({@link LatencyPhase}); then
 * the same frames as opaque strings through Kafka's own {@code FileStreamSource} ({@link StringCeiling}). It reports
 * them side by side, with the targets, and with {@code --charts DIR} draws the main comparisons as SVG.
 */
final class UserComparison {

    static final String VALUE_FORMAT = "astro.value.format";
    /** The p99 at 2,000/s in docs/performance.md before issue 22 (2026-11-29, 300,000-record runs). */
    private static final Map<String, Long> P99_BEFORE = Map.of("typed", 6_700_000L, "raw", 6_400_000L);
    private static final String CEILING_TOPIC = "bench-" + Ceiling.NAME;
    private static final Duration TOPIC_GONE_TIMEOUT = Duration.ofSeconds(60);
    private static final String PUBLISHER_ROLE = CpuBreakdown.PUBLISHER;
    private static final List<String> HARNESS_ROLES = List.of(CpuBreakdown.PUBLISHER, CpuBreakdown.CONSUMER);

    private final BenchCluster cluster;
    private final Publisher publisher;
    private final BenchOptions options;

    private record Format(ThroughputPhase.Result throughput, long p99) {
    }

    UserComparison(BenchCluster cluster, Publisher publisher, BenchOptions options) {
        this.cluster = cluster;
        this.publisher = publisher;
        this.options = options;
    }

    /**
     * Runs every round and reports; false when a notification was lost or duplicated.
     *
     * @param settings connector settings on top of {@link BenchCluster#connectorConfig} (converter, {@code --set});
     *                 when they name a value format, only that one runs
     */
    boolean run(Map<String, String> settings, String room, MachineInfo machine, BenchReport report)
            throws Exception {
        List<String> formats = settings.containsKey(VALUE_FORMAT) ? List.of(settings.get(VALUE_FORMAT))
                : List.of("typed", "raw");
        Map<String, Format> results = new LinkedHashMap<>();
        boolean intact = true;
        for (String format : formats) {
            String name = "tput-" + format;
            Map<String, String> config = cluster.connectorConfig(name, List.of(room));
            config.putAll(settings);
            config.put(VALUE_FORMAT, format);
            dropCeilingTopic();
            try (RunningConnector connector = cluster.startConnector(name, config, true);
                 Ceiling ceiling = Ceiling.start(cluster, config, room)) {
                ThroughputPhase.Result throughput = new ThroughputPhase(cluster, publisher, options)
                        .run(connector, ceiling, room, format, report);
                LatencyPhase latency = new LatencyPhase(publisher, options);
                intact &= throughput.intact() & latency.run(connector, room, format, report);
                results.put(format, new Format(throughput, latency.p99()));
            }
        }
        List<ThroughputPhase.Round> strings = new ArrayList<>();
        long stringDuplicates;
        try (StringCeiling ceiling = StringCeiling.start(cluster, settings, publisher.encoded(room))) {
            Progress.say("string ceiling (FileStreamSource): warm-up round of " + options.warmupCount());
            ceiling.round(options.warmupCount());
            long duplicatesBefore = ceiling.duplicates();
            for (int i = 1; i <= options.rounds(); i++) {
                Progress.say("string ceiling (FileStreamSource): round " + i + " of " + options.rounds());
                strings.add(ceiling.round(options.count()));
            }
            stringDuplicates = ceiling.duplicates() - duplicatesBefore;
        }
        long stringLost = strings.stream().mapToLong(ThroughputPhase.Round::missing).sum();
        report(results, strings, stringLost, stringDuplicates, report);
        if (settings.containsKey("value.converter")) {
            report.line("**The string ceiling keeps the worker's `JsonConverter`**: the value converter set for the "
                    + "connector and Connect's ceiling (`" + settings.get("value.converter") + "`) is not its.");
        }
        if (options.charts() != null) {
            charts(results, strings, machine, options.charts());
            report.line("");
            report.line("Charts written to `" + options.charts() + "`.");
        }
        return intact;
    }

    /** Ceiling is started once per value format, and creates its topic each time: the previous one goes first. */
    private void dropCeilingTopic() throws Exception {
        Admin admin = cluster.admin();
        if (!admin.listTopics().names().get().contains(CEILING_TOPIC)) {
            return;
        }
        try {
            admin.deleteTopics(List.of(CEILING_TOPIC)).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not delete " + CEILING_TOPIC, e.getCause());
        }
        if (!BenchCluster.await(() -> gone(admin), TOPIC_GONE_TIMEOUT)) {
            throw new IllegalStateException(CEILING_TOPIC + " was not deleted in time");
        }
    }

    private static boolean gone(Admin admin) {
        try {
            return !admin.listTopics().names().get().contains(CEILING_TOPIC);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    private void report(Map<String, Format> results, List<ThroughputPhase.Round> strings, long stringLost,
                        long stringDuplicates, BenchReport report) {
        double stringRate = ThroughputPhase.median(strings);
        report.section("As users compare: typed, raw and the string ceiling",
                "The same frames, side by side: the connector and Connect's ceiling (its own prebuilt records through "
                + "the same worker) for each value format, and the **string ceiling**: Kafka's own `FileStreamSource` "
                + "(`connect-file`, same Kafka version) reading the frames' text, one per line, from a file written "
                + "before each round, through the same worker and its `JsonConverter` (`schemas.enable=false`), "
                + "with `FileStreamSource`'s defaults as a new user would run it (`batch.size` 2,000 lines), after "
                + "a warm-up round of " + Units.count(options.warmupCount()) + ". Its rounds run after both value "
                + "formats' rounds. Rates: first to last record at the consumer, median of the rounds. CPU and "
                + "allocation: every thread of the JVM during the rounds (`ThreadMXBean`), summed over the rounds "
                + "and divided by their records; GC and JIT is the process's CPU that no Java thread accounts for. "
                + "Allocation counts the threads alive at both ends of a round.");
        StringBuilder table = new StringBuilder("| per record | ");
        List<String> columns = new ArrayList<>();
        List<List<ThroughputPhase.Round>> rounds = new ArrayList<>();
        results.forEach((format, result) -> {
            columns.add(format + ": connector");
            rounds.add(result.throughput().connected());
            columns.add(format + ": Connect ceiling");
            rounds.add(result.throughput().ceilings());
        });
        columns.add("string ceiling");
        rounds.add(strings);
        table.append(String.join(" | ", columns)).append(" |\n|---").append("|---".repeat(columns.size()))
                .append("|\n");
        row(table, "rate (median)", rounds, r -> Units.perSecond(ThroughputPhase.median(r)));
        Map<String, Long> roles = ThroughputPhase.sumByRole(rounds.get(0), ThroughputPhase.Round::byRole);
        for (String role : roles.keySet()) {
            row(table, role + ", µs", rounds, r -> decimal(cpuPerRecord(r).getOrDefault(role, 0.0)));
        }
        row(table, "**CPU, whole JVM, µs**", rounds, r -> "**" + decimal(total(cpuPerRecord(r))) + "**");
        row(table, "allocated, whole JVM, KiB", rounds, r -> decimal(allocPerRecord(r, true) / 1024));
        row(table, "allocated, without the harness, KiB", rounds, r -> decimal(allocPerRecord(r, false) / 1024));
        report.line(table.toString());

        List<String> p99 = new ArrayList<>();
        results.forEach((format, result) -> p99.add(format + " " + Units.millis(result.p99())));
        report.line("p99 at 2,000/s: " + String.join(", ", p99) + ".");
        report.line("");
        report.figure("string ceiling rate (median)", Units.perSecond(stringRate) + " (rounds: "
                + String.join(", ", strings.stream().map(r -> Units.perSecond(r.count(), r.nanos())).toList()) + ")");
        report.figure("string ceiling: lost / duplicated", stringLost + " / " + stringDuplicates, "0 / 0",
                stringLost == 0 && stringDuplicates == 0);
        Format typed = results.get("typed");
        Format raw = results.get("raw");
        for (Map.Entry<String, Format> entry : results.entrySet()) {
            String format = entry.getKey();
            ThroughputPhase.Result result = entry.getValue().throughput();
            double publisherCpu = cpuPerRecord(result.connected()).getOrDefault(PUBLISHER_ROLE, 0.0);
            // Two decimals: the target sits right at a figure the report's one decimal would round onto it.
            report.figure(format + ": publisher and emulator CPU per record",
                    String.format(Locale.ROOT, "%.2f µs", publisherCpu),
                    "< 2 µs", publisherCpu < 2);
            double ratio = ratio(connectorRate(entry.getValue()), ThroughputPhase.median(result.ceilings()));
            if ("typed".equals(format)) {
                report.figure("typed: connector / Connect ceiling", Units.decimal(ratio), "≥ 0.8", ratio >= 0.8);
            } else {
                report.figure(format + ": connector / Connect ceiling", Units.decimal(ratio));
            }
            double gc = gcPerRecord(result.connected());
            double gcCeiling = gcPerRecord(result.ceilings());
            double gcRatio = ratio(gc, gcCeiling);
            report.figure(format + ": GC and JIT per record, connector / Connect ceiling",
                    decimal(gc) + " / " + decimal(gcCeiling) + " µs = " + Units.decimal(gcRatio) + "×", "≤ 1.5×",
                    gcRatio <= 1.5);
            Long before = P99_BEFORE.get(format);
            long p = entry.getValue().p99();
            if (before != null) {
                report.figure(format + ": p99 at 2,000/s", Units.millis(p), "≤ " + Units.millis(before)
                        + " (before issue 22)", p >= 0 && p <= before);
            }
            report.figure(format + ": lost / duplicated", result.lost() + " / " + result.duplicates(), "0 / 0",
                    result.intact());
        }
        if (typed != null && raw != null) {
            double typedRaw = ratio(connectorRate(typed), connectorRate(raw));
            report.figure("typed / raw (connector rates)", Units.decimal(typedRaw), "≥ 0.9", typedRaw >= 0.9);
        }
        if (raw != null) {
            double r = ratio(connectorRate(raw), stringRate);
            report.figure("raw / string ceiling", Units.decimal(r), "≥ 0.75", r >= 0.75);
        }
        if (typed != null) {
            double r = ratio(connectorRate(typed), stringRate);
            report.figure("typed / string ceiling", Units.decimal(r), "≥ 0.5", r >= 0.5);
        }
        report.line("");
    }

    private void charts(Map<String, Format> results, List<ThroughputPhase.Round> strings, MachineInfo machine,
                        Path dir) throws Exception {
        Files.createDirectories(dir);
        String caption = "Made by `" + options.command() + "` on "
                + ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                + "; " + machine.cpus() + " processors, " + machine.cpuModel() + ", " + machine.java() + ", heap "
                + machine.heap() + ", load average at start " + machine.loadAverage()
                + (options.quick() ? ". QUICK MODE: the figures mean nothing." : ".");
        List<String> formats = new ArrayList<>(results.keySet());
        double stringRate = ThroughputPhase.median(strings);
        double[][] rates = new double[formats.size()][];
        for (int i = 0; i < formats.size(); i++) {
            Format format = results.get(formats.get(i));
            rates[i] = new double[] {connectorRate(format), ThroughputPhase.median(format.throughput().ceilings()),
                stringRate};
        }
        Files.writeString(dir.resolve("throughput.svg"), SvgChart.grouped("Records per second, by value format",
                "records/s", formats, List.of("connector", "Connect's ceiling", "string ceiling (FileStreamSource)"),
                rates, caption));

        List<String> columns = new ArrayList<>();
        List<Map<String, Double>> cpu = new ArrayList<>();
        for (String format : formats) {
            columns.add(format + " connector");
            cpu.add(cpuPerRecord(results.get(format).throughput().connected()));
            columns.add(format + " ceiling");
            cpu.add(cpuPerRecord(results.get(format).throughput().ceilings()));
        }
        columns.add("string ceiling");
        cpu.add(cpuPerRecord(strings));
        List<String> roles = new ArrayList<>(cpu.get(0).keySet());
        double[][] stacks = new double[columns.size()][roles.size()];
        for (int c = 0; c < columns.size(); c++) {
            for (int r = 0; r < roles.size(); r++) {
                stacks[c][r] = cpu.get(c).getOrDefault(roles.get(r), 0.0);
            }
        }
        Files.writeString(dir.resolve("cpu-per-record.svg"), SvgChart.stacked(
                "The whole JVM's CPU per record, by role", "µs per record", columns,
                roles.stream().map(UserComparison::shortRole).toList(), stacks, caption));

        double[][] latency = new double[formats.size()][];
        for (int i = 0; i < formats.size(); i++) {
            latency[i] = new double[] {Math.max(0, results.get(formats.get(i)).p99()) / 1e6};
        }
        Files.writeString(dir.resolve("latency-p99.svg"), SvgChart.grouped("p99 latency at 2,000 records/s",
                "ms", formats, List.of("p99, emulator to consumer"), latency, caption));
    }

    /** The role's name without its parenthesis, for a chart's legend. */
    static String shortRole(String role) {
        if (role.equals(CpuBreakdown.OTHER)) {
            return "broker and other Kafka threads";
        }
        int paren = role.indexOf(" (");
        String name = paren < 0 ? role : role.substring(0, paren);
        int colon = name.indexOf(": GC");
        return colon < 0 ? name : "GC and JIT";
    }

    private static double connectorRate(Format format) {
        return ThroughputPhase.median(format.throughput().connected());
    }

    /** µs per record by role over the rounds. */
    static Map<String, Double> cpuPerRecord(List<ThroughputPhase.Round> rounds) {
        long records = Math.max(1, rounds.stream().mapToLong(ThroughputPhase.Round::count).sum());
        Map<String, Double> micros = new LinkedHashMap<>();
        ThroughputPhase.sumByRole(rounds, ThroughputPhase.Round::byRole)
                .forEach((role, nanos) -> micros.put(role, nanos / 1_000.0 / records));
        return micros;
    }

    /** Bytes per record over the rounds, with or without the harness's threads. */
    private static double allocPerRecord(List<ThroughputPhase.Round> rounds, boolean withHarness) {
        long records = Math.max(1, rounds.stream().mapToLong(ThroughputPhase.Round::count).sum());
        Map<String, Long> bytes = new HashMap<>(ThroughputPhase.sumByRole(rounds, ThroughputPhase.Round::allocByRole));
        if (!withHarness) {
            HARNESS_ROLES.forEach(bytes::remove);
        }
        return bytes.values().stream().mapToLong(Long::longValue).sum() / (double) records;
    }

    private static double gcPerRecord(List<ThroughputPhase.Round> rounds) {
        return cpuPerRecord(rounds).getOrDefault(CpuBreakdown.VM, 0.0);
    }

    private static double total(Map<String, Double> perRole) {
        return perRole.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static double ratio(double a, double b) {
        return b == 0 ? 0 : a / b;
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private interface Cell {
        String of(List<ThroughputPhase.Round> rounds);
    }

    private static void row(StringBuilder table, String name, List<List<ThroughputPhase.Round>> columns, Cell cell) {
        table.append("| ").append(name);
        columns.forEach(rounds -> table.append(" | ").append(cell.of(rounds)));
        table.append(" |\n");
    }
}
