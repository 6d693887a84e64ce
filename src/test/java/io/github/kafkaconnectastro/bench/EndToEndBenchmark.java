package io.github.kafkaconnectastro.bench;

import io.github.kafkaconnectastro.integration.ApicurioRegistry;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * The end-to-end benchmark of issue 6: the Astro emulator pushing notifications over a loopback websocket to the
 * connector in a real Connect worker, a real broker, and a consumer reading them back, against a plain websocket
 * client on the same stream; then latency, heap under overload, idle CPU and subscribing under the rate limit.
 * Run it with {@code bench/run.sh [--quick]}; see {@code docs/performance.md} for what each figure means. With
 * {@code --soak} it runs only the soak ({@link SoakPhase}).
 *
 * <p>Exit status: 0 when it ran to the end, 3 when a notification was lost or duplicated on the way (in the soak:
 * duplicated, or heap, threads or MBeans not flat), 1 on an error, 2 on bad options.
 */
public final class EndToEndBenchmark {

    /** The throughput and latency connector's room; as long as the baseline's so that frames match in size. */
    private static final String ROOM = "bench-conn";

    private EndToEndBenchmark() {
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int status;
        try {
            status = run(options);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        // The embedded broker and worker leave non-daemon threads behind.
        System.exit(status);
    }

    private static int run(BenchOptions options) throws Exception {
        MachineInfo machine = MachineInfo.read();
        BenchReport report = new BenchReport();
        header(report, options, machine);
        boolean intact;
        if (options.scale()) {
            intact = true;
            for (int workers : options.connectorsOnly() ? new int[] {1} : new int[] {1, 3}) {
                Progress.say("starting the Astro emulator, a KRaft broker and " + workers
                        + (workers == 1 ? " Connect worker" : " Connect workers") + " in this JVM");
                try (BenchCluster cluster = BenchCluster.start(workers)) {
                    intact &= new ScalePhase(cluster, options).run(report);
                }
            }
            return finish(report, options, intact);
        }
        Progress.say("starting the Astro emulator, a KRaft broker and a Connect worker in this JVM");
        try (BenchCluster cluster = BenchCluster.start()) {
            Publisher publisher = new Publisher(cluster.emulator);
            if (options.soakMinutes() > 0) {
                intact = new SoakPhase(cluster, publisher).run(options.soakMinutes(), report);
            } else if (options.repair()) {
                intact = new RepairPhase(cluster, publisher, options).run(report);
            } else {
                intact = runPhases(cluster, publisher, options, machine, report);
            }
            Progress.say("stopping");
        }
        return finish(report, options, intact);
    }

    private static int finish(BenchReport report, BenchOptions options, boolean intact) throws Exception {
        report.line("");
        report.line("Load average at the end: " + MachineInfo.currentLoadAverage() + ".");
        report.write(options.report());
        System.out.println();
        System.out.println(report.markdown());
        Progress.say("report written to " + options.report().toAbsolutePath());
        return intact ? 0 : 3;
    }

    private static boolean runPhases(BenchCluster cluster, Publisher publisher, BenchOptions options,
                                     MachineInfo machine, BenchReport report) throws Exception {
        boolean intact;
        Map<String, String> config = new HashMap<>();
        ApicurioRegistry registry = null;
        if (options.avro()) {
            Progress.say("starting Apicurio Registry (the Avro converter's schema registry) as a child process");
            registry = new ApicurioRegistry();
            registry.beforeAll(null);
            config.putAll(registry.avroValueConverter());
            report.line("");
            report.line("**Values through the Avro converter** (`--avro`) for the connector and the ceiling: "
                    + "Apicurio's `AvroConverter` in the Confluent wire format, against a real Apicurio Registry "
                    + "2.6.13 running as a child process on loopback (schemas registered once, then cached).");
        }
        config.putAll(options.overrides());
        try {
            intact = new UserComparison(cluster, publisher, options).run(config, ROOM, machine, report);
        } finally {
            if (registry != null) {
                registry.afterAll(null);
            }
        }
        if (!options.throughputOnly()) {
            intact &= new OverloadPhase(cluster, publisher, options).run(report);
            new IdlePhase(cluster, options).run(report);
            new SubscribePhase(cluster, options).run(report);
        }
        return intact;
    }

    private static void header(BenchReport report, BenchOptions options, MachineInfo machine) {
        report.title("kafka-connect-astro benchmark");
        report.line("Run " + ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                + " with `" + options.command() + "`.");
        if (options.quick()) {
            report.line("");
            report.line("**Quick mode**: tiny sizes that prove the harness works end to end. The figures below say "
                    + "nothing about the connector's performance.");
        }
        if (machine.load1() > 0.5 * machine.cpus()) {
            report.line("");
            report.line("**Busy machine**: the load average was " + machine.loadAverage() + " on " + machine.cpus()
                    + " processors when the run started; the figures are not representative.");
        }
        report.section("Machine and setup", "Everything runs in one JVM: the Astro emulator (Java-WebSocket server "
                + "on 127.0.0.1), one KRaft broker and one Connect worker (`EmbeddedConnectCluster`, as the "
                + "integration tests use), the benchmark's publisher, the baseline client and the consumer. CPU "
                + "and heap figures are labelled with what they cover.");
        report.figure("processors", Integer.toString(machine.cpus()));
        report.figure("CPU", machine.cpuModel());
        report.figure("Java", machine.java());
        report.figure("heap", machine.heap());
        report.figure("GC", machine.gc());
        report.figure("load average at start", machine.loadAverage());
        report.line("");
        report.line("Connector: one task, the connector's defaults (`buffer.max.records`=10000, `buffer.max.bytes`="
                + "16 MiB, `poll.batch.max.records`=2000) unless a section says otherwise. Worker: "
                + "`StringConverter` keys, `JsonConverter` values without schemas, Connect's producer settings "
                + "(`acks=all`, `max.in.flight.requests.per.connection=1`) and Kafka's defaults for the rest "
                + "(`linger.ms`, `batch.size`, no compression). Output topics: one partition, replication 1.");
        if (!options.overrides().isEmpty()) {
            report.line("");
            report.line("**Settings changed** for the throughput and latency phases (`--set`): "
                    + options.overrides().entrySet().stream().map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                    .collect(java.util.stream.Collectors.joining(", ")) + ".");
        }
    }
}
