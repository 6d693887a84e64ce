package io.github.kafkaconnectastro.gaps;

import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.subscribe.SubscriptionListener;
import io.github.kafkaconnectastro.subscribe.SubscriptionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Measures each pair's gaps: the gateway keeps no backlog, so whatever it pushes while a pair is not subscribed is
 * not received. A gap opens when a subscribed pair stops being subscribed (its connection was lost or replaced),
 * or, when a task starts, at the time of the pair's committed offset (its last record before the restart); it
 * closes when the pair is subscribed again. It learns the pairs' states from the session's events, as a
 * {@link SubscriptionListener}. Each gap is reported to the {@link GapListener} as it opens and closes, and each
 * closed gap is logged once at WARN with its length and handed to the {@link Repair} (the gap repair).
 *
 * <p>Times are wall-clock milliseconds, since a gap is repaired by asking the REST API for what was created in it.
 * A gap starts when the session learns the connection is gone, which for a half-open connection is up to
 * {@code astro.liveness.timeout.ms} after the last frame; the repair's margin covers the difference. A pair that
 * never had a record and restarts has no committed time, so its first subscribe closes no gap.
 */
public final class GapTracker implements SubscriptionListener {

    /** Told of each closed gap, on the session's thread: must not block. */
    @FunctionalInterface
    public interface Repair {
        void gapClosed(Subscription subscription, long startEpochMs, long endEpochMs);

        /**
         * As {@link #gapClosed(Subscription, long, long)}; {@code afterRestart} for the gap a restart opened at the
         * pair's last committed record, which may be a quiet channel's silence rather than events missed.
         */
        default void gapClosed(Subscription subscription, long startEpochMs, long endEpochMs, boolean afterRestart) {
            gapClosed(subscription, startEpochMs, endEpochMs);
        }

        /**
         * A gap opened, at {@code startEpochMs}; its end is not known yet.
         *
         * @param floorEpochMs a restart's gap: the committed offset's floor, below which the events created in the
         *                     gap's window were written before the restart; {@link Long#MIN_VALUE} for none
         */
        default void gapOpened(Subscription subscription, long startEpochMs, long floorEpochMs) {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(GapTracker.class);

    private final GapListener listener;
    private final LongSupplier clock;
    private final Map<Subscription, Long> openSince = new HashMap<>();
    private final Map<Subscription, SubscriptionState> states = new HashMap<>();
    /** The pairs whose open gap is the one a restart opened (from their last committed record). */
    private final Set<Subscription> restarted = new HashSet<>();
    private final Repair repair;

    public GapTracker(GapListener listener, Repair repair, LongSupplier clock) {
        this.listener = listener;
        this.repair = repair;
        this.clock = clock;
    }

    /**
     * Before the session starts: the pair's last record before this task started was stamped {@code lastMs}. Nothing
     * was written after this task started, so a later stamp (a gateway node's clock ahead) counts as now: the gap,
     * and its repair's window, start no later than the restart.
     */
    public synchronized void restartedFrom(Subscription subscription, long lastMs) {
        restartedFrom(subscription, lastMs, Long.MIN_VALUE);
    }

    /** As {@link #restartedFrom(Subscription, long)}, with the committed floor of the pair's written events. */
    public synchronized void restartedFrom(Subscription subscription, long lastMs, long floorMs) {
        if (states.get(subscription) == SubscriptionState.ACTIVE) {
            return;
        }
        long since = Math.min(lastMs, clock.getAsLong());
        openSince.put(subscription, since);
        restarted.add(subscription);
        listener.gapOpened(subscription, since);
        repair.gapOpened(subscription, since, Math.min(floorMs, since));
    }

    /** The pair's state on the current connection changed. */
    @Override
    public synchronized void subscriptionState(Subscription subscription, SubscriptionState state) {
        SubscriptionState before = states.put(subscription, state);
        long now = clock.getAsLong();
        if (before == SubscriptionState.ACTIVE && state != SubscriptionState.ACTIVE) {
            openSince.put(subscription, now);
            restarted.remove(subscription);
            listener.gapOpened(subscription, now);
            repair.gapOpened(subscription, now, Long.MIN_VALUE);
        } else if (state == SubscriptionState.ACTIVE && before != SubscriptionState.ACTIVE) {
            Long since = openSince.remove(subscription);
            boolean afterRestart = restarted.remove(subscription);
            if (since != null) {
                closed(subscription, since, now, afterRestart);
            }
        }
    }

    private void closed(Subscription subscription, long start, long end, boolean afterRestart) {
        long length = Math.max(0, end - start);
        listener.gapClosed(subscription, length);
        log.warn("Gap of {} ms for {}: not subscribed from {} to {}; the gateway does not send again what it pushed "
                + "meanwhile (see the Gaps and Repair* metrics of the pair)", length, subscription,
                Instant.ofEpochMilli(start), Instant.ofEpochMilli(end));
        repair.gapClosed(subscription, start, end, afterRestart);
    }
}
