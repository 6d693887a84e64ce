package io.github.kafkaconnectastro.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sizes of one run. The full run is what {@code docs/performance.md} reports; {@code --quick} shrinks every
 * phase so that a run proves the harness works end to end in about a minute, its figures meaning nothing.
 *
 * @param quick            the sizes are the quick ones
 * @param count            notifications per throughput round, for the connector and the baseline alike
 * @param warmupCount      notifications of the unreported warm-up round of each (as many as a measured round: with
 *                         fewer, the first measured round still ran on a JIT that had not finished compiling)
 * @param rounds           measured throughput rounds; the report gives their median
 * @param latencyRate      notifications per second in the latency phase
 * @param latencySeconds   length of the latency phase
 * @param overloadSeconds  how long the emulator outruns a throttled Kafka
 * @param quotaBytesPerSec the producer byte-rate quota that throttles the connector in the overload phase
 * @param idlePairs        subscribed pairs of the idle task
 * @param idleSeconds      how long the idle task's CPU is measured
 * @param subscribePairs   pairs subscribed under the emulator's rate limit
 * @param report           where the Markdown report is written
 * @param command          the command line that started the run, for the report
 * @param overrides        connector settings ({@code --set key=value}) for the throughput and latency phases,
 *                         e.g. producer overrides, to measure tuning advice
 * @param throughputOnly   run only the throughput and latency phases ({@code --throughput-only})
 * @param soakMinutes      run only the soak, for this many minutes ({@code --soak [--soak-minutes N]}); 0: no soak
 * @param scale            run only the scale scenarios ({@code --scale}): 2,000 pairs over 4 tasks and 500
 *                         connectors of 2 pairs on one worker, 10,000 pairs over 21 tasks on three
 * @param connectorsOnly   with {@code --scale-connectors}: only the 500 connectors of 2 pairs on one worker
 * @param repair           run only the gap repair ({@code --repair}): 10,000 events after a ten-minute outage
 * @param avro             values through the Apicurio Avro converter and a real registry ({@code --avro}), for the
 *                         connector and Connect's ceiling alike, instead of {@code JsonConverter}
 * @param charts           where the throughput phases write their SVG charts ({@code --charts DIR}); null: none
 */
record BenchOptions(boolean quick, int count, int warmupCount, int rounds, int latencyRate, int latencySeconds,
                    int overloadSeconds, long quotaBytesPerSec, int idlePairs, int idleSeconds, int subscribePairs,
                    Path report, String command, Map<String, String> overrides, boolean throughputOnly,
                    int soakMinutes, boolean scale, boolean connectorsOnly, boolean repair, boolean avro,
                    Path charts) {

    static final String USAGE = """
            usage: bench/run.sh [--quick] [--count N] [--rounds N] [--overload-seconds N]
                                [--idle-seconds N] [--subscribe-pairs N] [--report FILE]
                                [--set connector.key=value ...] [--throughput-only] [--avro]
                                [--charts DIR]
                   bench/run.sh --soak [--soak-minutes N] [--report FILE]
                   bench/run.sh --scale [--quick] [--idle-seconds N] [--report FILE]
                   bench/run.sh --scale-connectors [--quick] [--idle-seconds N] [--report FILE]
                   bench/run.sh --repair [--quick] [--set connector.key=value ...] [--report FILE]
                   bench/run.sh --jmh [--quick] [JMH options]
            """;

    static BenchOptions parse(String[] args) {
        boolean quick = false;
        boolean throughputOnly = false;
        boolean soak = false;
        boolean scale = false;
        boolean connectorsOnly = false;
        boolean repair = false;
        boolean avro = false;
        for (String arg : args) {
            avro |= "--avro".equals(arg);
            scale |= "--scale".equals(arg);
            connectorsOnly |= "--scale-connectors".equals(arg);
            repair |= "--repair".equals(arg);
            quick |= "--quick".equals(arg);
            throughputOnly |= "--throughput-only".equals(arg);
            soak |= "--soak".equals(arg);
        }
        Map<String, String> overrides = new TreeMap<>();
        int count = quick ? 5_000 : 1_000_000;
        int rounds = quick ? 1 : 3;
        int overloadSeconds = quick ? 8 : 60;
        int idleSeconds = quick ? 3 : 30;
        int subscribePairs = quick ? 150 : 1_000;
        int soakMinutes = 30;
        Path report = Path.of("target", "benchmark-report.md");
        Path charts = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if ("--quick".equals(flag) || "--throughput-only".equals(flag) || "--soak".equals(flag)
                    || "--scale".equals(flag) || "--scale-connectors".equals(flag) || "--repair".equals(flag)
                    || "--avro".equals(flag)) {
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + flag + "\n" + USAGE);
            }
            String value = args[++i];
            switch (flag) {
                case "--count" -> count = positive(flag, value);
                case "--rounds" -> rounds = positive(flag, value);
                case "--overload-seconds" -> overloadSeconds = positive(flag, value);
                case "--idle-seconds" -> idleSeconds = positive(flag, value);
                case "--subscribe-pairs" -> subscribePairs = positive(flag, value);
                case "--soak-minutes" -> {
                    if (!soak) {
                        throw new IllegalArgumentException("--soak-minutes goes with --soak");
                    }
                    soakMinutes = positive(flag, value);
                }
                case "--report" -> report = Path.of(value);
                case "--charts" -> charts = Path.of(value);
                case "--set" -> {
                    int eq = value.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("--set takes key=value, not '" + value + "'");
                    }
                    overrides.put(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
            }
        }
        String command = System.getProperty("bench.command", "EndToEndBenchmark " + String.join(" ", args));
        return new BenchOptions(quick, count, Math.max(1_000, count), rounds, 2_000, quick ? 3 : 30,
                overloadSeconds, 256 * 1024, 100, idleSeconds, subscribePairs, report, command, overrides,
                throughputOnly, soak ? soakMinutes : 0, scale || connectorsOnly, connectorsOnly, repair, avro, charts);
    }

    private static int positive(String flag, String value) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a number, not '" + value + "'");
        }
        if (n < 1) {
            throw new IllegalArgumentException(flag + " must be at least 1");
        }
        return n;
    }
}
