package io.github.kafkaconnectastro.bench;

import io.github.kafkaconnectastro.emulator.RestApiServer;
import io.github.kafkaconnectastro.emulator.Ulid;
import io.github.kafkaconnectastro.metrics.MetricsRegistration;
import io.github.kafkaconnectastro.metrics.SubscriptionMetricsMXBean;
import io.github.kafkaconnectastro.protocol.Subscription;

import javax.management.JMX;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gap repair from the REST API ({@code --repair}): a connector stopped through a ten-minute outage, during which the
 * emulator records 10,000 activities, is resumed while live notifications flow at 2,000/s. Reported: how long the
 * repair takes, and the live latency while it runs against the same without a repair.
 *
 * <p>The outage is not waited out: the last notification before the stop is stamped ten minutes ago, so that the
 * restarted task's gap (from its committed offset's time) spans ten minutes, and the outage's activities are
 * created across them.
 */
final class RepairPhase {

    private static final String NAME = "repair";
    private static final String ROOM = "repairroom00000000000000";
    private static final Duration OUTAGE = Duration.ofMinutes(10);
    private static final int LIVE_RATE = 2_000;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final Duration WARM_UP = Duration.ofSeconds(10);

    private final BenchCluster cluster;
    private final Publisher publisher;
    private final BenchOptions options;

    RepairPhase(BenchCluster cluster, Publisher publisher, BenchOptions options) {
        this.cluster = cluster;
        this.publisher = publisher;
        this.options = options;
    }

    /** Runs and reports; false when the repair did not write every event of the outage. */
    boolean run(BenchReport report) throws Exception {
        int events = options.quick() ? 1_000 : 10_000;
        try (RestApiServer rest = RestApiServer.start(cluster.emulator)) {
            Map<String, String> config = cluster.connectorConfig(NAME, List.of(ROOM));
            config.put("astro.rest.url", rest.baseUri().toString());
            // The window also holds the last event written before the outage: the default of 10,000 would skip one.
            config.put("astro.backfill.max.records", Integer.toString(2 * events));
            config.putAll(options.overrides());
            try (RunningConnector connector = cluster.startConnector(NAME, config, true)) {
                Progress.say("repair: live latency without a repair, " + LIVE_RATE + "/s for " + options.latencySeconds() + " s");
                KafkaReader reader = connector.reader();
                // Warm-up: the first seconds at this rate measure the JIT, not the connector.
                publisher.atRate(ROOM, LIVE_RATE, WARM_UP);
                reader.awaitSeen(0, publisher.nextSeq(), TIMEOUT);
                long from = publisher.nextSeq();
                reader.startLatencies(LIVE_RATE * options.latencySeconds());
                publisher.atRate(ROOM, LIVE_RATE, Duration.ofSeconds(options.latencySeconds()));
                reader.awaitSeen(from, publisher.nextSeq(), TIMEOUT);
                LatencyStats without = reader.stopLatencies();

                Instant outageStart = Instant.now().minus(OUTAGE);
                reader.startWindow();
                cluster.emulator.publishWithId(Ulid.nextId(), outageStart, BenchPayload.TOPIC, ROOM,
                        activity(outageStart, 0));
                if (!reader.awaitWindow(1, TIMEOUT)) {
                    throw new IllegalStateException("the last notification before the outage did not reach Kafka");
                }
                Progress.say("repair: connector stopped; " + events + " activities created across "
                        + OUTAGE.toMinutes() + " minutes");
                cluster.connect.stopConnector(NAME);
                BenchCluster.await(() -> cluster.emulator.connectionCount() == 0, TIMEOUT);
                long spacingMs = OUTAGE.toMillis() / (events + 1);
                for (int i = 1; i <= events; i++) {
                    cluster.emulator.publish(BenchPayload.TOPIC, ROOM, activity(outageStart.plusMillis(i * spacingMs), i));
                }

                Progress.say("repair: resumed, live at " + LIVE_RATE + "/s until the repair is written");
                AtomicBoolean live = new AtomicBoolean(true);
                Thread liveThread = new Thread(() -> {
                    while (live.get()) {
                        publisher.atRate(ROOM, LIVE_RATE, Duration.ofSeconds(1));
                    }
                }, "bench-repair-live");
                long resumed = System.nanoTime();
                cluster.connect.resumeConnector(NAME);
                liveThread.start();
                SubscriptionMetricsMXBean repaired = subscriptionMetrics();
                long requestsBefore = connector.metrics().getRestRequests();
                // The repair starts with its first REST request, once the gap's widened window has ended.
                boolean started = BenchCluster.await(() -> connector.metrics().getRestRequests() > requestsBefore,
                        TIMEOUT);
                long repairStart = System.nanoTime();
                reader.startLatencies(LIVE_RATE * 600);
                boolean complete = started && BenchCluster.await(() -> repaired.getRepairedRecords() >= events, TIMEOUT);
                long done = System.nanoTime();
                LatencyStats during = reader.stopLatencies();
                live.set(false);
                liveThread.join(5_000);
                long requests = connector.metrics().getRestRequests() - requestsBefore;

                double ratio = without.p99() == 0 ? 0 : (double) during.p99() / without.p99();
                report.section("Gap repair",
                        "A connector on one `" + BenchPayload.TOPIC + "` pair with the defaults (`astro.backfill.margin.ms`"
                        + "=30000, `astro.backfill.request.interval.ms`=1000, pages of 100) but "
                        + "`astro.backfill.max.records`=" + 2 * events + ", stopped through an outage "
                        + "of " + OUTAGE.toMinutes() + " minutes in which " + Units.count(events) + " activities were "
                        + "created, then resumed while live notifications flow at " + LIVE_RATE + "/s. The repair "
                        + "starts once the gap's window, widened by the margin, has ended. Live latency as in the "
                        + "latency phase, over " + options.latencySeconds() + " s before the outage and over the "
                        + "repair (from its first REST request to its last record written).");
                report.figure("events repaired", Units.count(repaired.getRepairedRecords()) + " of "
                        + Units.count(events), "all", complete);
                report.figure("time to repair, from its first REST request to its last record written",
                        Units.decimal((done - repairStart) / 1e9) + " s (the first request "
                        + Units.decimal((repairStart - resumed) / 1e9) + " s after the resume)");
                report.figure("REST requests", Long.toString(requests));
                report.figure("live p99 without a repair", Units.millis(without.p99()));
                report.figure("live p99 during the repair", Units.millis(during.p99()) + " (" + Units.count(during.count())
                        + " samples, " + Units.decimal(ratio) + " ×)", "≤ 2 × without", ratio <= 2.0);
                return complete;
            }
        }
    }

    private SubscriptionMetricsMXBean subscriptionMetrics() throws InterruptedException {
        var server = ManagementFactory.getPlatformMBeanServer();
        var name = MetricsRegistration.subscriptionMetricsName(NAME, 0, new Subscription(BenchPayload.TOPIC, ROOM));
        if (!BenchCluster.await(() -> server.isRegistered(name), TIMEOUT)) {
            throw new IllegalStateException("no subscription metrics " + name);
        }
        return JMX.newMXBeanProxy(server, name, SubscriptionMetricsMXBean.class);
    }

    /** A follow created at {@code createdAt}, with an ObjectId-like {@code _id} that starts with its second. */
    private static String activity(Instant createdAt, int n) {
        String id = String.format(Locale.ROOT, "%08x%016x", createdAt.getEpochSecond(), 0x5eed0000L + n);
        return "{\"_id\":\"" + id + "\",\"activityId\":\"" + id + "\",\"type\":\"follow\",\"provider\":\"twitch\","
                + "\"channel\":\"" + ROOM + "\",\"createdAt\":\"" + createdAt + "\","
                + "\"data\":{\"username\":\"viewer" + n + "\",\"displayName\":\"Viewer" + n + "\"}}";
    }
}
