package io.github.kafkaconnectastro;

import io.github.kafkaconnectastro.config.AstroSourceTaskConfig;
import io.github.kafkaconnectastro.connector.RecordWarnings;
import io.github.kafkaconnectastro.connector.SessionFanOut;
import io.github.kafkaconnectastro.connector.TaskCredentials;
import io.github.kafkaconnectastro.connector.Version;

import io.github.kafkaconnectastro.gaps.GapRepairer;
import io.github.kafkaconnectastro.gaps.RepairedEvent;
import io.github.kafkaconnectastro.metrics.AstroTaskMetrics;
import io.github.kafkaconnectastro.metrics.BufferGauges;
import io.github.kafkaconnectastro.gaps.GapTracker;
import io.github.kafkaconnectastro.metrics.MetricsRegistration;
import io.github.kafkaconnectastro.metrics.PluginMetricsBridge;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.offsets.Deduplicator;
import io.github.kafkaconnectastro.records.HeartbeatRecords;
import io.github.kafkaconnectastro.records.NotificationRecords;
import io.github.kafkaconnectastro.offsets.SourceOffsets;
import io.github.kafkaconnectastro.offsets.UnrepairedWindows;
import io.github.kafkaconnectastro.records.TopicNamer;
import io.github.kafkaconnectastro.session.AstroSession;
import io.github.kafkaconnectastro.records.Delivery;
import io.github.kafkaconnectastro.util.SafeText;
import io.github.kafkaconnectastro.util.SharedByKey;
import io.github.kafkaconnectastro.subscribe.CommandPacer;
import io.github.kafkaconnectastro.subscribe.CommandPacers;
import io.github.kafkaconnectastro.session.NotificationBuffer;
import io.github.kafkaconnectastro.session.SessionSettings;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One websocket session's worth of subscriptions. The session's threads put notifications into a bounded
 * {@link NotificationBuffer}; {@link #poll()} takes a batch, drops duplicates and maps the rest to records,
 * adding heartbeat records when they are due. Each pair's gaps are measured ({@link GapTracker}); those of
 * channel.activities and channel.tips are repaired from the REST API by a {@link GapRepairer}, whose events
 * {@code poll()} takes after the live ones.
 */
public class AstroSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(AstroSourceTask.class);
    /** When live records fill a batch, repaired ones still get this fraction of it, so that a repair ends. */
    private static final int REPAIR_SHARE = 10;

    private NotificationBuffer buffer;
    private AstroSession session;
    private GapRepairer repairer;
    /** The repaired pairs' windows not repaired yet, which their offsets carry across a restart. */
    private final UnrepairedWindows unrepaired = new UnrepairedWindows();
    private SharedByKey.Lease<CommandPacer> pacerLease;
    private Deduplicator deduplicator;
    private NotificationRecords records;
    private HeartbeatRecords heartbeats;
    private AstroTaskMetrics metrics;
    private MetricsRegistration registration;
    private int batchSize;
    private long pollTimeoutMs;
    private TaskCredentials credentials;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        AstroSourceTaskConfig config = new AstroSourceTaskConfig(props);
        config.requireCredentials();
        List<Subscription> subscriptions = config.subscriptions();
        String connectorName = props.getOrDefault("name", "astro");
        String threadSuffix = connectorName + "-" + config.taskId();
        buffer = new NotificationBuffer(config.bufferMaxRecords(), config.bufferMaxBytes());
        metrics = new AstroTaskMetrics(
                new BufferGauges(buffer::maxRecords, buffer::maxBytes, buffer::size, buffer::bytes), subscriptions);
        registration = MetricsRegistration.register(connectorName, config.taskId(), metrics);
        PluginMetricsBridge.register(context, metrics);
        try {
            credentials = TaskCredentials.start(config, connectorName, context.offsetStorageReader(),
                    metrics::tokenRenewed, metrics::tokenRefreshFailed, buffer);
            metrics.tokenExpiry(credentials::expiry);
            GapTracker gaps = gapTracking(config);
            deduplicator = deduplicator(config, subscriptions.size(), repairer, unrepaired);
            heartbeats = new HeartbeatRecords(config.heartbeatTopic(), connectorName,
                    config.heartbeatInterval().toMillis(), System.currentTimeMillis());
            loadCommittedOffsets(subscriptions, gaps);
            records = new NotificationRecords(new TopicNamer(config.topicNamePattern()), config.valueFormat(),
                    config.includePersonalData(), new RecordWarnings(metrics));
            batchSize = config.pollBatchMaxRecords();
            pollTimeoutMs = config.pollTimeout().toMillis();
            startSession(config, subscriptions, gaps, threadSuffix);
        } catch (RuntimeException | Error e) {
            // Connect does not call stop() after a failed start(): without this, the MBeans would outlive the task.
            release();
            throw e;
        }
        log.info("Started Astro task {} with {} subscriptions", config.taskId(), subscriptions.size());
    }

    /** The gap repair, and the tracker that measures each pair's gaps and hands them to it. */
    private GapTracker gapTracking(AstroSourceTaskConfig config) {
        repairer = new GapRepairer(config.backfillSettings().withToken(() -> credentials.credentials().token()),
                metrics, System::currentTimeMillis, unrepaired);
        return new GapTracker(metrics, repairer, System::currentTimeMillis);
    }

    /**
     * Starts the repair's thread and the session. The session's events reach the metrics and the gap side alike:
     * the tracker needs the pairs' states, the repair the rooms the gateway confirmed.
     */
    private void startSession(AstroSourceTaskConfig config, List<Subscription> subscriptions, GapTracker gaps,
                              String threadSuffix) {
        repairer.start("astro-repair-" + threadSuffix);
        session = new AstroSession(sessionSettings(config), subscriptions, buffer,
                new SessionFanOut(metrics, gaps, repairer));
        session.start("astro-session-" + threadSuffix);
    }

    /** Drops what was written already, by id; the pairs whose gaps are repaired also by event id. */
    private static Deduplicator deduplicator(AstroSourceTaskConfig config, int pairs, GapRepairer repairer,
                                             UnrepairedWindows unrepaired) {
        return new Deduplicator(Deduplicator.capacityPerPair(config.dedupCacheSize(), config.dedupCacheTaskSize(),
                pairs), config.dedupClockSkew().toMillis(), repairer::repairs,
                Deduplicator.eventCapacityPerPair(config.dedupCacheTaskSize(), pairs), System::currentTimeMillis,
                unrepaired);
    }

    /** The session's settings, with this task's credentials and, when asked for, the pacer shared per gateway. */
    private SessionSettings sessionSettings(AstroSourceTaskConfig config) {
        SessionSettings.Builder settings = config.sessionSettingsBuilder().credentials(credentials.credentials());
        if (config.commandLimitPerAddress()) {
            SessionSettings defaults = settings.build();
            pacerLease = CommandPacers.lease(gatewayHost(config.url()), defaults.commandBurst(),
                    defaults.commandInterval().toMillis());
            settings.sharedPacer(pacerLease.value());
        }
        return settings.build();
    }

    /** One read of the offset store for all of this task's pairs. */
    private void loadCommittedOffsets(List<Subscription> subscriptions, GapTracker gaps) {
        List<Map<String, String>> partitions = new ArrayList<>(subscriptions.size());
        Map<Map<String, String>, Subscription> bySubscription = new HashMap<>();
        for (Subscription subscription : subscriptions) {
            Map<String, String> partition = SourceOffsets.partition(subscription);
            partitions.add(partition);
            bySubscription.put(partition, subscription);
        }
        Map<Map<String, String>, Map<String, Object>> offsets = context.offsetStorageReader().offsets(partitions);
        if (offsets == null) {
            return;
        }
        int loaded = 0;
        long nowMs = System.currentTimeMillis();
        for (Map.Entry<Map<String, String>, Map<String, Object>> entry : offsets.entrySet()) {
            Subscription subscription = bySubscription.get(entry.getKey());
            if (subscription != null && (SourceOffsets.idOf(entry.getValue()) != null
                    || !SourceOffsets.eventsOf(entry.getValue()).isEmpty())) {
                deduplicator.committed(subscription, entry.getValue(), nowMs);
                heartbeats.offset(subscription, entry.getValue());
                // The windows the last task had not repaired when it stopped: repaired now.
                for (UnrepairedWindows.Window window : deduplicator.restoredWindows(subscription)) {
                    repairer.restore(subscription, window);
                }
                Instant last = deduplicator.lastWritten(subscription);
                if (last != null) {
                    // The pair was written up to then; whatever came after, until it is subscribed again, is a gap.
                    gaps.restartedFrom(subscription, last.toEpochMilli(), deduplicator.committedFloor(subscription));
                }
                loaded++;
            }
        }
        log.info("Loaded committed offsets for {} of {} subscriptions", loaded, subscriptions.size());
    }

    /**
     * @return the next batch, or null when nothing arrived within {@code poll.timeout.ms} and no heartbeat is due
     * @throws org.apache.kafka.connect.errors.ConnectException when the session failed permanently, once every
     *         notification received before the failure has been returned
     */
    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<Delivery> batch = buffer.poll(batchSize,
                repairer.hasEvents() || credentials.refreshDue() ? 0 : pollTimeoutMs);
        List<SourceRecord> out = new ArrayList<>(batch.size());
        for (Delivery delivery : batch) {
            AstroMessage.Notification notification = delivery.notification();
            Map<String, ?> offset = repairer.repairs(delivery.subscription())
                    ? deduplicator.accept(delivery.subscription(), notification.id(), notification.ts(),
                            notification.eventId(), delivery.createdAtMs())
                    : deduplicator.accept(delivery.subscription(), notification.id(), notification.ts());
            if (offset != null) {
                out.add(records.toRecord(delivery, offset));
                heartbeats.offset(delivery.subscription(), offset);
            } else {
                metrics.duplicateDropped();
                log.debug("Dropped duplicate notification {} for {}", SafeText.value(notification.id()),
                        delivery.subscription());
            }
        }
        addRepaired(out, Math.max(batchSize - batch.size(), batchSize / REPAIR_SHARE));
        metrics.recordsEmitted(out.size());
        long nowMs = System.currentTimeMillis();
        out.addAll(heartbeats.due(nowMs));
        SourceRecord kept = credentials.due(nowMs);
        if (kept != null) {
            out.add(kept);
        }
        return out.isEmpty() ? null : out;
    }

    /** Repaired events after the live ones, so that a repair never holds live records back for long. */
    private void addRepaired(List<SourceRecord> out, int max) {
        for (RepairedEvent event : repairer.take(max)) {
            Subscription subscription = event.subscription();
            Map<String, ?> offset = deduplicator.acceptRepaired(subscription, event.eventId(), event.createdAtMs());
            if (offset == null) {
                metrics.duplicateDropped();
            } else {
                out.add(records.toRepairedRecord(event.delivery(), offset));
                heartbeats.offset(subscription, offset);
                metrics.recordsRepaired(subscription, 1);
            }
            UnrepairedWindows.Window done = event.completes();
            if (done != null && unrepaired.repaired(subscription, done.fromMs(), done.toMs())) {
                // The window's records are all in this batch or before it: the pair's next offset drops it.
                heartbeats.offset(subscription, deduplicator.current(subscription));
            }
        }
    }

    /** Tells the credentials that a record of this task's was written, the one that keeps a refresh among them. */
    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        if (credentials != null) {
            credentials.acknowledged(record);
        }
    }

    /**
     * Returns promptly, even mid-reconnect or with a full buffer. Connect calls this after the last {@code poll()}
     * and its final offset commit, and gives no earlier sign, so the gateway's flow is stopped first: the buffer is
     * closed (releasing a reader waiting on it) and the close frame sent from this thread, before the session's,
     * the repair's and the credentials' threads are stopped. What is still buffered is dropped; on repaired pairs
     * the next start repairs it (its gap runs from the last record committed, and the offset carries the windows
     * not repaired yet).
     */
    @Override
    public void stop() {
        log.info("Stopping Astro task");
        if (buffer != null && session != null) {
            // What arrives from now on cannot be written (no poll() after this): stop the flow before anything else.
            buffer.close();
            session.stopReading();
        }
        release();
        int dropped = buffer == null ? 0 : buffer.size();
        if (dropped > 0) {
            // Connect polls no more after stop(), and the gateway does not replay: say what this stop costs.
            log.warn("Stopping with {} notifications received but not yet handed to Kafka; they are dropped "
                    + "(the gateway does not send them again)", dropped);
        }
    }

    /** Closes what a start holds: the buffer first, which releases a session thread waiting on a full buffer. */
    private void release() {
        if (buffer != null) {
            buffer.close();
        }
        if (session != null) {
            session.close();
        }
        if (repairer != null) {
            repairer.close();
        }
        if (credentials != null) {
            credentials.close();
        }
        if (registration != null) {
            registration.close();
        }
        if (pacerLease != null) {
            pacerLease.close();
        }
    }

    /** Host and port, the port filled in, so that the two spellings of one gateway share one pacer. */
    private static String gatewayHost(URI url) {
        int port = url.getPort() >= 0 ? url.getPort() : "wss".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return url.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
