package io.github.kafkaconnectastro.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CPU of a task that holds many subscriptions on which nothing happens: what an installation pays for channels
 * that are quiet most of the day.
 */
final class IdlePhase {

    private static final long SETTLE_MS = 2_000;

    private final BenchCluster cluster;
    private final BenchOptions options;

    IdlePhase(BenchCluster cluster, BenchOptions options) {
        this.cluster = cluster;
        this.options = options;
    }

    void run(BenchReport report) throws Exception {
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < options.idlePairs(); i++) {
            rooms.add(String.format(Locale.ROOT, "idle-%04d", i));
        }
        Progress.say("idle: " + rooms.size() + " silent pairs on one task for " + options.idleSeconds() + " s");
        try (RunningConnector connector = cluster.startConnector("idle", cluster.connectorConfig("idle", rooms), true)) {
            // Let the subscribe burst and its log lines pass: the figure is about the steady state.
            Thread.sleep(SETTLE_MS);
            ThreadCpu.Snapshot before = ThreadCpu.take(connector.threads());
            long start = System.nanoTime();
            Thread.sleep(options.idleSeconds() * 1_000L);
            ThreadCpu.Snapshot after = ThreadCpu.take(connector.threads());
            long wall = System.nanoTime() - start;
            double percent = 100.0 * after.since(before) / wall;

            report.section("Idle task",
                    "One task subscribed to " + rooms.size() + " pairs on which nothing is published, measured for "
                    + options.idleSeconds() + " s after all were subscribed. Percent of one core: CPU time of the "
                    + "connector's threads (" + after.describe() + ") over wall time. Connect's task thread wakes "
                    + "every `poll.timeout.ms` (1 s by default) and the session thread at least once a second.");
            report.figure("idle CPU", Units.percent(percent) + " of a core", "< 1 % of a core", percent < 1.0);
        }
    }
}
