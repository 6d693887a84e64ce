package io.github.kafkaconnectastro.connector;

import io.github.kafkaconnectastro.protocol.GatewayClock;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.records.NotificationRecords;
import io.github.kafkaconnectastro.util.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the records report of notifications that did not fit, logged so that a user can act on it, then handed to
 * the metrics. One warning per pair and kind a minute: a gateway change or a node's wrong clock would otherwise log
 * every notification.
 */
public final class RecordWarnings implements NotificationRecords.MisfitListener {

    private static final Logger log = LoggerFactory.getLogger(RecordWarnings.class);
    private static final long LOG_INTERVAL_MS = 60_000L;

    private final NotificationRecords.MisfitListener metrics;
    private final RateLimitedLog warnings = new RateLimitedLog(LOG_INTERVAL_MS);

    public RecordWarnings(NotificationRecords.MisfitListener metrics) {
        this.metrics = metrics;
    }

    @Override
    public void misfit(Subscription subscription, String reason) {
        metrics.misfit(subscription, reason);
        warnings.warn(log, "misfit " + subscription, "A notification for {} did not fit the schema of its topic "
                + "({}); it is written with its payload as JSON text in 'raw' and header {}. Counted in "
                + "PayloadMisfits; if the gateway changed the field's type, use astro.value.format=raw until the "
                + "connector knows the new shape.", subscription, reason, NotificationRecords.HEADER_MISFIT);
    }

    @Override
    public void aheadOfClock(Subscription subscription) {
        metrics.aheadOfClock(subscription);
        warnings.warn(log, "clock " + subscription, "A notification for {} is stamped more than {} s ahead of this "
                + "worker's clock: a gateway node's clock is wrong, or this worker's is. It is written with the time "
                + "it was handled as its record timestamp (header {}={}), and remembered in the offsets as stamped "
                + "now. Counted in NotificationsAheadOfClock.", subscription, GatewayClock.MAX_AHEAD_MS / 1000,
                NotificationRecords.HEADER_TIMESTAMP, NotificationRecords.TIMESTAMP_ARRIVAL);
    }
}
