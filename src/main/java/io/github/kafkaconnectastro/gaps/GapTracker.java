package io.github.kafkaconnectastro.gaps;

import io.github.kafkaconnectastro.metrics.SubscriptionMetrics;

import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.subscribe.SubscriptionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Measures each pair's gaps: the gateway keeps no backlog, so whatever it pushes while a pair is not subscribed is
 * not received. A gap opens when a subscribed pair stops being subscribed (its connection was lost or replaced),
 * or, when a task starts, at the time of the pair's committed offset (its last record before the restart); it
 * closes when the pair is subscribed again. Each closed gap is counted in the pair's metrics, logged once at WARN
 * with its length, and handed to the {@link Listener} (the gap repair).
 *
 * <p>Times are wall-clock milliseconds, since a gap is repaired by asking the REST API for what was created in it.
 * A gap starts when the session learns the connection is gone, which for a half-open connection is up to
 * {@code astro.liveness.timeout.ms} after the last frame; the repair's margin covers the difference. A pair that
 * never had a record and restarts has no committed time, so its first subscribe closes no gap.
 */
public final class GapTracker {

    /** Told of each closed gap, on the session's thread: must not block. */
    @FunctionalInterface
    public interface Listener {
        void gapClosed(Subscription subscription, long startEpochMs, long endEpochMs);
    }

    private static final Logger log = LoggerFactory.getLogger(GapTracker.class);

    private final Map<Subscription, SubscriptionMetrics> metrics;
    private final LongSupplier clock;
    private final Map<Subscription, Long> openSince = new HashMap<>();
    private final Map<Subscription, SubscriptionState> states = new HashMap<>();
    private volatile Listener listener = (subscription, start, end) -> { };

    public GapTracker(Map<Subscription, SubscriptionMetrics> metrics, LongSupplier clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Who is told of closed gaps; replaces the one before. */
    public void listener(Listener gapListener) {
        this.listener = gapListener;
    }

    /** Before the session starts: the pair's last record before this task started was stamped {@code lastMs}. */
    public synchronized void restartedFrom(Subscription subscription, long lastMs) {
        if (states.get(subscription) == SubscriptionState.ACTIVE) {
            return;
        }
        openSince.put(subscription, lastMs);
        SubscriptionMetrics pair = metrics.get(subscription);
        if (pair != null) {
            pair.gapOpened(lastMs);
        }
    }

    /** The pair's state on the current connection changed. */
    public synchronized void stateChanged(Subscription subscription, SubscriptionState state) {
        SubscriptionState before = states.put(subscription, state);
        long now = clock.getAsLong();
        if (before == SubscriptionState.ACTIVE && state != SubscriptionState.ACTIVE) {
            openSince.put(subscription, now);
            SubscriptionMetrics pair = metrics.get(subscription);
            if (pair != null) {
                pair.gapOpened(now);
            }
        } else if (state == SubscriptionState.ACTIVE && before != SubscriptionState.ACTIVE) {
            Long since = openSince.remove(subscription);
            if (since != null) {
                closed(subscription, since, now);
            }
        }
    }

    private void closed(Subscription subscription, long start, long end) {
        long length = Math.max(0, end - start);
        SubscriptionMetrics pair = metrics.get(subscription);
        if (pair != null) {
            pair.gapClosed(length);
        }
        log.warn("Gap of {} ms for {}: not subscribed from {} to {}; the gateway does not send again what it pushed "
                + "meanwhile (see the Gaps and Repair* metrics of the pair)", length, subscription,
                Instant.ofEpochMilli(start), Instant.ofEpochMilli(end));
        listener.gapClosed(subscription, start, end);
    }
}
