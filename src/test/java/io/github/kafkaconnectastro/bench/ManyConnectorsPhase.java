package io.github.kafkaconnectastro.bench;

import io.github.kafkaconnectastro.emulator.AstroEmulator.RateLimitScope;
import io.github.kafkaconnectastro.metrics.AstroTaskMetricsMXBean;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Many connectors of few pairs on one worker ({@code --scale}, issue 22's footprint): an aggregator's deployment,
 * one connector per creator's token. It creates them through the REST API in batches (each creation rebalances the
 * worker), waits until all pairs are subscribed under the gateway's command limit counted per address (the default
 * pacing is per gateway address, shared by every task of the worker), and reports threads and heap per connector,
 * idle CPU, the time to subscribe against the limit's minimum, refusals, and the threads left once all are deleted
 * and a GC has run.
 */
final class ManyConnectorsPhase {

    private static final int BURST = 100;
    private static final double REFILL_PER_SECOND = 10;
    private static final int PAIRS_PER_CONNECTOR = 2;
    private static final int BATCH = 50;
    private static final String PREFIX = "many";
    /** The connector's own threads per task: its session, Java-WebSocket's reader and writer, repair, OAuth2. */
    private static final Predicate<String> OWN_PER_TASK = name -> name.startsWith("astro-session-" + PREFIX + "-")
            || name.startsWith("astro-repair-" + PREFIX + "-") || name.startsWith("astro-oauth2-" + PREFIX + "-")
            || name.startsWith("WebSocketConnectReadThread-") || name.startsWith("WebSocketWriteThread-");
    /** Shared by all the worker's tasks: the timer, the HTTP pool, the shared HTTP clients' selectors. */
    private static final Predicate<String> SHARED = name -> name.equals("astro-timer")
            || name.startsWith("astro-http-");
    private static final Predicate<String> HTTP_SELECTOR = name -> name.startsWith("HttpClient-")
            && name.endsWith("-SelectorManager");
    /** Every thread that works for these connectors, Connect's included, for idle CPU. */
    private static final Predicate<String> WORKING_FOR_THEM = OWN_PER_TASK.or(SHARED)
            .or(name -> name.startsWith("task-thread-" + PREFIX + "-"))
            .or(name -> name.contains("connector-producer-" + PREFIX + "-"));

    private final BenchCluster cluster;
    private final BenchOptions options;

    ManyConnectorsPhase(BenchCluster cluster, BenchOptions options) {
        this.cluster = cluster;
        this.options = options;
    }

    static int connectors(boolean quick) {
        return quick ? 20 : 500;
    }

    /** The fastest any client can subscribe the pairs from one address: those beyond the burst at the refill rate. */
    static double minimumSeconds(int pairs) {
        return Math.max(0, (pairs - BURST) / REFILL_PER_SECOND);
    }

    boolean run(BenchReport report) throws Exception {
        int connectors = connectors(options.quick());
        int pairs = connectors * PAIRS_PER_CONNECTOR;
        double minimum = minimumSeconds(pairs);
        Progress.say("scale: " + connectors + " connectors of " + PAIRS_PER_CONNECTOR + " pairs on one worker "
                + "(at least " + Units.decimal(minimum) + " s)");
        List<String> names = new ArrayList<>();
        for (int c = 0; c < connectors; c++) {
            names.add(String.format(Locale.ROOT, "%s-%03d", PREFIX, c));
        }
        cluster.emulator.setRateLimitScope(RateLimitScope.ADDRESS);
        cluster.emulator.setRateLimit(true);
        Set<String> selectorsBefore = ThreadCpu.take(HTTP_SELECTOR).names().values().stream()
                .collect(Collectors.toSet());
        ScaleBaseline baseline = ScaleBaseline.take(cluster.emulator);
        List<String> created = new ArrayList<>();
        try {
            long createStart = System.nanoTime();
            long opened = 0;
            for (int from = 0; from < connectors; from += BATCH) {
                List<String> batch = names.subList(from, Math.min(connectors, from + BATCH));
                for (String name : batch) {
                    cluster.connect.configureConnector(name, config(name));
                    created.add(name);
                }
                if (opened == 0 && BenchCluster.await(() -> cluster.emulator.connectionCount() > 0,
                        Duration.ofSeconds(120))) {
                    opened = System.nanoTime();
                }
                for (String name : batch) {
                    cluster.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1,
                            name + " did not start");
                }
            }
            double createSeconds = (System.nanoTime() - createStart) / 1e9;
            Duration limit = Duration.ofSeconds((long) (3 * minimum) + 180);
            boolean all = BenchCluster.await(() -> active(names) == pairs, limit);
            double seconds = (System.nanoTime() - opened) / 1e9;
            int refused = baseline.refusedSince(cluster.emulator);
            int commands = baseline.commandsSince(cluster.emulator);

            // Idle: subscribed, no gap, no refresh; what only works on demand has ended by now.
            BenchCluster.await(() -> ownThreads() <= 3 * connectors, Duration.ofSeconds(30));
            long heapGrowth = baseline.heapGrowth();
            int threadGrowth = baseline.threadGrowth();
            int own = ownThreads();
            int shared = ThreadCpu.take(SHARED).names().size() + newSelectors(selectorsBefore);
            ThreadCpu.Snapshot before = ThreadCpu.take(WORKING_FOR_THEM);
            long start = System.nanoTime();
            Thread.sleep(options.idleSeconds() * 1_000L);
            double idlePercent = 100.0 * ThreadCpu.take(WORKING_FOR_THEM).since(before) / (System.nanoTime() - start);

            List<String> toDelete = new ArrayList<>(created);
            created.clear();
            long deleteStart = System.nanoTime();
            toDelete.forEach(cluster.connect::deleteConnector);
            BenchCluster.await(() -> cluster.emulator.connectionCount() == 0, Duration.ofSeconds(120));
            boolean noneLeft = BenchCluster.await(() -> {
                System.gc();
                return ownThreads() == 0 && ThreadCpu.take(SHARED).names().isEmpty()
                        && newSelectors(selectorsBefore) == 0;
            }, Duration.ofSeconds(60));
            double deleteSeconds = (System.nanoTime() - deleteStart) / 1e9;
            String left = String.join(", ", ThreadCpu.take(OWN_PER_TASK.or(SHARED)).names().values());

            double ratio = minimum == 0 ? 0 : seconds / minimum;
            boolean timeMet = all && (minimum == 0 || ratio <= 1.1);
            boolean threadsMet = own <= 3 * connectors;
            report.line("");
            report.line("**" + connectors + " connectors of " + PAIRS_PER_CONNECTOR + " pairs, one task each, on one "
                    + "worker**: limit per address, `astro.command.limit.scope=address` (the default); created in "
                    + "batches of " + BATCH + " through the REST API, each batch awaited RUNNING ("
                    + Units.decimal(createSeconds) + " s for all).");
            report.figure("all subscribed", all ? "yes" : "**no**: " + active(names) + " of " + pairs);
            report.figure("time from the first websocket", Units.decimal(seconds) + " s" + (minimum == 0
                    ? " (all within the burst: no minimum)" : ", " + Units.decimal(ratio) + " × the minimum of "
                    + Units.decimal(minimum) + " s"), "≤ 1.1 ×", timeMet);
            report.figure("`rate_limit_exceeded` answers", refused + " of " + commands + " subscribe commands", "0",
                    refused == 0);
            report.figure("threads of the connector's own per idle task", Units.decimal((double) own / connectors)
                    + " (" + own + "), plus " + shared + " shared by all", "≤ 3", threadsMet);
            report.figure("threads per connector, Connect's included",
                    Units.decimal((double) threadGrowth / connectors));
            report.figure("retained heap per connector", Units.mebibytes(heapGrowth / connectors));
            report.figure("idle CPU, all " + connectors + " connectors", Units.percent(idlePercent)
                    + " of a core over " + options.idleSeconds() + " s (tasks' and producers' threads included)");
            report.figure("threads of the connector's left after deleting all, and a GC",
                    noneLeft ? "none (" + Units.decimal(deleteSeconds) + " s after the first delete)"
                            : "**" + left + "**", "none", noneLeft);
            return timeMet && refused == 0 && threadsMet && noneLeft;
        } finally {
            created.forEach(cluster.connect::deleteConnector);
            cluster.emulator.setRateLimit(false);
            BenchCluster.await(() -> cluster.emulator.connectionCount() == 0, Duration.ofSeconds(60));
        }
    }

    private Map<String, String> config(String name) {
        List<String> rooms = new ArrayList<>();
        for (int p = 0; p < PAIRS_PER_CONNECTOR; p++) {
            rooms.add(name + "-" + p);
        }
        Map<String, String> config = cluster.connectorConfig(name, rooms);
        // One output topic for all (nothing is published): no topic per connector for the broker to create.
        config.put("topic.name.pattern", "bench-" + PREFIX + ".${topic}");
        return config;
    }

    private static int ownThreads() {
        return ThreadCpu.take(OWN_PER_TASK).names().size();
    }

    private static int newSelectors(Set<String> before) {
        return (int) ThreadCpu.take(HTTP_SELECTOR).names().values().stream().filter(n -> !before.contains(n)).count();
    }

    private static int active(List<String> connectors) {
        return connectors.stream().flatMap(name -> BenchCluster.allTaskMetrics(name, 1).stream())
                .mapToInt(AstroTaskMetricsMXBean::getActiveSubscriptions).sum();
    }
}
