package io.github.kafkaconnectastro.bench;

import io.github.kafkaconnectastro.config.AstroSubscriptionsConfig;
import io.github.kafkaconnectastro.metrics.AstroTaskMetricsMXBean;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Time to subscribe many pairs on one task while the emulator enforces the gateway's documented command rate
 * limit (a bucket of 100 commands refilled at 10 per second, per connection). The bucket starts full when the
 * connection opens, so no client can subscribe n pairs in less than (n - 100) / 10 seconds from then.
 */
final class SubscribePhase {

    private static final int BURST = 100;
    private static final double REFILL_PER_SECOND = 10;

    private final BenchCluster cluster;
    private final BenchOptions options;

    SubscribePhase(BenchCluster cluster, BenchOptions options) {
        this.cluster = cluster;
        this.options = options;
    }

    void run(BenchReport report) throws Exception {
        int pairs = options.subscribePairs();
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            rooms.add(String.format(Locale.ROOT, "subs-%04d", i));
        }
        double minimumSeconds = Math.max(0, (pairs - BURST) / REFILL_PER_SECOND);
        double pacedSeconds = Math.max(0, pairs - AstroSubscriptionsConfig.COMMAND_BURST.defaultValue())
                * AstroSubscriptionsConfig.COMMAND_INTERVAL.defaultValue().toMillis() / 1000.0;
        Progress.say("subscribe: " + pairs + " pairs on one task under the rate limit (at least "
                + Units.decimal(minimumSeconds) + " s)");
        cluster.emulator.setRateLimit(true);
        int rateLimitedBefore = cluster.emulator.rateLimitedCount();
        int commandsBefore = cluster.emulator.subscribeCommandCount();
        AtomicLong openedAt = new AtomicLong();
        Thread watcher = watchFirstConnection(openedAt);
        long created = System.nanoTime();
        try (RunningConnector connector = cluster.startConnector("subs", cluster.connectorConfig("subs", rooms), false)) {
            watcher.join(Duration.ofSeconds(60).toMillis());
            long opened = openedAt.get();
            if (opened == 0) {
                throw new IllegalStateException("the subscribing task did not connect");
            }
            AstroTaskMetricsMXBean metrics = connector.metrics();
            Duration limit = Duration.ofSeconds((long) (3 * minimumSeconds) + 60);
            boolean all = BenchCluster.await(() -> metrics.getActiveSubscriptions() == pairs, limit);
            long done = System.nanoTime();
            int rateLimited = cluster.emulator.rateLimitedCount() - rateLimitedBefore;
            int commands = cluster.emulator.subscribeCommandCount() - commandsBefore;
            double seconds = (done - opened) / 1e9;
            double overMinimum = minimumSeconds == 0 ? 0 : seconds / minimumSeconds - 1;

            report.section("Subscribing under the rate limit",
                    "One task subscribes " + pairs + " pairs while the emulator enforces the documented limit "
                    + "(bursts of " + BURST + ", then " + (int) REFILL_PER_SECOND + " commands per second); the "
                    + "minimum from the websocket's opening is (" + pairs + " − " + BURST + ") / "
                    + (int) REFILL_PER_SECOND + " = " + Units.decimal(minimumSeconds) + " s. Time runs to the task's "
                    + "ActiveSubscriptions metric reaching " + pairs + ". Connector settings: defaults: "
                    + "`astro.command.burst`=" + AstroSubscriptionsConfig.COMMAND_BURST.defaultValue() + " and "
                    + "`astro.command.interval.ms`="
                    + AstroSubscriptionsConfig.COMMAND_INTERVAL.defaultValue().toMillis() + ", so "
                    + "its own pacing takes (" + pairs + " − " + AstroSubscriptionsConfig.COMMAND_BURST.defaultValue()
                    + ") × " + AstroSubscriptionsConfig.COMMAND_INTERVAL.defaultValue().toMillis() + " ms = "
                    + Units.decimal(pacedSeconds) + " s.");
            report.figure("all pairs subscribed", all ? "yes" : "**no**, " + metrics.getActiveSubscriptions()
                    + " after " + limit.toSeconds() + " s");
            report.figure("time from websocket open", Units.decimal(seconds) + " s (" + (overMinimum >= 0 ? "+" : "")
                    + Units.percent(100 * overMinimum) + " vs the minimum)", "within 10 % of the minimum",
                    all && overMinimum <= 0.10);
            report.figure("time from connector creation", Units.decimal((done - created) / 1e9) + " s");
            report.figure("`rate_limit_exceeded` responses", Integer.toString(rateLimited), "0", rateLimited == 0);
            report.figure("subscribe commands sent", Integer.toString(commands));
        } finally {
            watcher.interrupt();
            cluster.emulator.setRateLimit(false);
        }
    }

    /**
     * Notes when the emulator first has a connection. The rate limit's bucket starts then, and starting the
     * connector returns only later (once Connect reports the task running), so it is watched from its own thread.
     */
    private Thread watchFirstConnection(AtomicLong openedAt) {
        Thread watcher = new Thread(() -> {
            while (cluster.emulator.connectionCount() == 0) {
                if (Thread.interrupted()) {
                    return;
                }
                LockSupport.parkNanos(200_000);
            }
            openedAt.set(System.nanoTime());
        }, "bench-connection-watcher");
        watcher.setDaemon(true);
        watcher.start();
        return watcher;
    }
}
