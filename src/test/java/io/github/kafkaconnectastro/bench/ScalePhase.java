package io.github.kafkaconnectastro.bench;

import io.github.kafkaconnectastro.config.AstroSubscriptionsConfig;
import io.github.kafkaconnectastro.emulator.AstroEmulator.RateLimitScope;
import io.github.kafkaconnectastro.metrics.AstroTaskMetricsMXBean;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Many channels on a cluster ({@code --scale}): how fast pairs come up under the gateway's command rate limit
 * counted per client address, per connection or per token, and what held pairs cost in heap, threads and idle CPU.
 * The emulator's limit is the documented one (bursts of 100, then 10 commands per second) in each reading.
 */
final class ScalePhase {

    private static final int BURST = 100;
    /**
     * Pacers are shared per JVM and gateway host, and this benchmark's workers share one JVM: naming the emulator
     * three ways gives three pacers, as three workers' JVMs would have.
     */
    private static final List<String> HOST_SPELLINGS = List.of("127.0.0.1", "localhost", "[::ffff:127.0.0.1]");
    private static final double REFILL_PER_SECOND = 10;

    /**
     * One scenario.
     *
     * @param connectors     connectors the pairs and tasks are split over, each naming the gateway host its own way
     * @param limitScope     what the emulator counts its limit per
     * @param connectorScope {@code astro.command.limit.scope}
     * @param within         the target, as a multiple of the minimum time
     * @param refusalShare   the most refusals allowed, as a share of subscribe commands
     */
    record Scenario(String title, int workers, int connectors, int pairs, int tasks, RateLimitScope limitScope,
                    String connectorScope, double within, double refusalShare) {

        /** The fastest any client can subscribe: each bucket's pairs beyond its burst at its refill rate. */
        double minimumSeconds() {
            int buckets = limitScope == RateLimitScope.CONNECTION ? tasks : 1;
            int perBucket = (int) Math.ceil((double) pairs / buckets);
            return Math.max(0, (perBucket - BURST) / REFILL_PER_SECOND);
        }
    }

    private final BenchCluster cluster;
    private final BenchOptions options;

    ScalePhase(BenchCluster cluster, BenchOptions options) {
        this.cluster = cluster;
        this.options = options;
    }

    static List<Scenario> scenarios(boolean quick) {
        int small = quick ? 400 : 2_000;
        int large = quick ? 1_000 : 10_000;
        return List.of(
                new Scenario("limit per address, one worker", 1, 1, small, 4, RateLimitScope.ADDRESS,
                        AstroSubscriptionsConfig.COMMAND_LIMIT_SCOPE_ADDRESS, 1.1, 0),
                new Scenario("limit per connection, one worker", 1, 1, small, 4, RateLimitScope.CONNECTION,
                        AstroSubscriptionsConfig.COMMAND_LIMIT_SCOPE_CONNECTION, 1.1, 0),
                new Scenario("limit per token, three workers' pacers", 3, 3, large, 21, RateLimitScope.TOKEN,
                        AstroSubscriptionsConfig.COMMAND_LIMIT_SCOPE_ADDRESS, 1.3, 0.01));
    }

    /** Runs the scenarios for this cluster's number of workers; false when one missed its target. */
    boolean run(BenchReport report) throws Exception {
        int workers = cluster.connect.workers().size();
        report.section("Scale, " + workers + (workers == 1 ? " worker" : " workers"),
                "Pairs of `" + BenchPayload.TOPIC + "` over many tasks while the emulator enforces the documented "
                + "command limit (bursts of " + BURST + ", then " + (int) REFILL_PER_SECOND + " commands per second), "
                + "counted as each scenario says; " + cluster.connect.workers().size() + " Connect workers in this "
                + "JVM. Time runs from the first websocket opening to the tasks' ActiveSubscriptions summing to the "
                + "pairs; the minimum is each bucket's pairs beyond its burst at its refill rate. Heap is retained "
                + "heap after a full GC, before the connector and once all pairs are subscribed; idle CPU is the CPU "
                + "time of the connector's threads over " + options.idleSeconds() + " s with nothing published.");
        boolean met = true;
        for (Scenario scenario : scenarios(options.quick())) {
            if (scenario.workers() == workers && !options.connectorsOnly()) {
                met &= run(scenario, report);
            }
        }
        if (workers == 1) {
            met &= new ManyConnectorsPhase(cluster, options).run(report);
        }
        return met;
    }

    private boolean run(Scenario scenario, BenchReport report) throws Exception {
        String prefix = "scale-" + scenario.tasks() + "-" + scenario.limitScope().name().toLowerCase(Locale.ROOT);
        Progress.say("scale: " + scenario.title() + ": " + scenario.pairs() + " pairs over " + scenario.tasks()
                + " tasks (at least " + Units.decimal(scenario.minimumSeconds()) + " s)");
        List<String> names = new ArrayList<>();
        List<Map<String, String>> configs = new ArrayList<>();
        for (int c = 0; c < scenario.connectors(); c++) {
            String name = prefix + "-" + c;
            List<String> rooms = new ArrayList<>();
            for (int i = c; i < scenario.pairs(); i += scenario.connectors()) {
                rooms.add(String.format(Locale.ROOT, "%s-%05d", prefix, i));
            }
            Map<String, String> config = cluster.connectorConfig(name, rooms);
            config.put("astro.url", "ws://" + HOST_SPELLINGS.get(c) + ":" + cluster.emulator.port());
            // ::ffff:127.0.0.1 is loopback, but the connector knows loopback by its usual literal names only.
            config.put("astro.allow.plaintext", "true");
            config.put("tasks.max", Integer.toString(scenario.tasks() / scenario.connectors()));
            config.put(AstroSubscriptionsConfig.COMMAND_LIMIT_SCOPE.name(), scenario.connectorScope());
            names.add(name);
            configs.add(config);
        }
        cluster.emulator.setRateLimitScope(scenario.limitScope());
        cluster.emulator.setRateLimit(true);
        ScaleBaseline baseline = ScaleBaseline.take(cluster.emulator);
        List<String> created = new ArrayList<>();
        try {
            for (int c = 0; c < names.size(); c++) {
                cluster.connect.configureConnector(names.get(c), configs.get(c));
                created.add(names.get(c));
            }
            BenchCluster.await(() -> cluster.emulator.connectionCount() > 0, Duration.ofSeconds(120));
            long opened = System.nanoTime();
            Duration limit = Duration.ofSeconds((long) (3 * scenario.minimumSeconds()) + 120);
            boolean all = BenchCluster.await(() -> active(names, scenario.tasks()) == scenario.pairs(), limit);
            double seconds = (System.nanoTime() - opened) / 1e9;
            int refused = baseline.refusedSince(cluster.emulator);
            int commands = baseline.commandsSince(cluster.emulator);
            long heapGrowth = baseline.heapGrowth();
            int threadGrowth = baseline.threadGrowth();
            Predicate<String> threads = thread -> thread.startsWith("task-thread-" + prefix + "-")
                    || thread.startsWith("astro-session-" + prefix + "-")
                    || thread.startsWith("WebSocketConnectReadThread-")
                    || thread.toLowerCase(Locale.ROOT).startsWith("websocketwritethread-");
            ThreadCpu.Snapshot before = ThreadCpu.take(threads);
            long start = System.nanoTime();
            Thread.sleep(options.idleSeconds() * 1_000L);
            double idlePercent = 100.0 * ThreadCpu.take(threads).since(before) / (System.nanoTime() - start);

            double minimum = scenario.minimumSeconds();
            double ratio = minimum == 0 ? 0 : seconds / minimum;
            double share = commands == 0 ? 0 : (double) refused / commands;
            double thousands = scenario.pairs() / 1000.0;
            boolean timeMet = all && ratio <= scenario.within();
            boolean refusalsMet = scenario.refusalShare() == 0 ? refused == 0 : share < scenario.refusalShare();
            report.line("");
            report.line("**" + scenario.title() + "**: " + Units.count(scenario.pairs()) + " pairs over "
                    + scenario.tasks() + " tasks" + (scenario.connectors() > 1 ? " of " + scenario.connectors()
                    + " connectors naming the emulator " + String.join(", ", HOST_SPELLINGS.subList(0,
                    scenario.connectors())) + " (three pacers, as three workers' JVMs would hold)" : "")
                    + ", `astro.command.limit.scope=" + scenario.connectorScope() + "`.");
            report.figure("all subscribed", all ? "yes" : "**no**: " + active(names, scenario.tasks()));
            report.figure("time from the first websocket", Units.decimal(seconds) + " s, " + Units.decimal(ratio)
                    + " × the minimum of " + Units.decimal(minimum) + " s", "≤ " + scenario.within() + " ×", timeMet);
            report.figure("`rate_limit_exceeded` answers", refused + " of " + commands + " subscribe commands ("
                    + Units.percent(100 * share) + ")", scenario.refusalShare() == 0 ? "0"
                    : "< " + Units.percent(100 * scenario.refusalShare()), refusalsMet);
            report.figure("retained heap per 1,000 pairs",
                    Units.mebibytes((long) (heapGrowth / thousands)));
            report.figure("threads per 1,000 pairs", Units.decimal(threadGrowth / thousands)
                    + " (" + threadGrowth + " for " + scenario.tasks() + " tasks)");
            report.figure("idle CPU per 1,000 silent pairs", Units.percent(idlePercent / thousands) + " of a core",
                    "< 1 % of a core", idlePercent / thousands < 1.0);
            return timeMet && refusalsMet;
        } finally {
            created.forEach(cluster.connect::deleteConnector);
            cluster.emulator.setRateLimit(false);
            BenchCluster.await(() -> cluster.emulator.connectionCount() == 0, Duration.ofSeconds(60));
        }
    }

    private static int active(List<String> connectors, int tasks) {
        return connectors.stream().flatMap(name -> BenchCluster.allTaskMetrics(name, tasks).stream())
                .mapToInt(AstroTaskMetricsMXBean::getActiveSubscriptions).sum();
    }
}
