package io.github.kafkaconnectastro.gaps;

import io.github.kafkaconnectastro.metrics.AstroTaskMetrics;
import io.github.kafkaconnectastro.metrics.BufferGauges;
import io.github.kafkaconnectastro.metrics.SubscriptionMetricsMXBean;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.subscribe.SubscriptionState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GapTrackerTest {

    private static final Subscription PAIR = Subscription.parse("channel.tips:aaaaaaaaaaaaaaaaaaaaaaaa");

    private final AtomicLong clock = new AtomicLong(System.currentTimeMillis());
    private final AstroTaskMetrics taskMetrics = new AstroTaskMetrics(
            new BufferGauges(() -> 10, () -> 10_000, () -> 0, () -> 0), List.of(PAIR));
    private final SubscriptionMetricsMXBean metrics = taskMetrics.subscription(PAIR);
    private final List<long[]> closed = new ArrayList<>();
    private final GapTracker tracker = new GapTracker(taskMetrics,
            (subscription, start, end) -> closed.add(new long[] {start, end}), clock::get);

    @Test
    void aRestartedPairsGapStartsNoLaterThanTheRestartWhateverTheLastStamp() {
        long restartAt = clock.get();
        tracker.restartedFrom(PAIR, java.time.Instant.parse("9000-01-01T00:00:00Z").toEpochMilli());
        clock.addAndGet(2_000);
        tracker.subscriptionState(PAIR, SubscriptionState.ACTIVE);

        assertEquals(1, closed.size());
        assertEquals(restartAt, closed.get(0)[0], "the repair's window covers the stop");
        assertEquals(2.0, metrics.getLastGapSeconds());
    }

    @Test
    void theFirstSubscribeOfAPairWithoutHistoryClosesNoGap() {
        tracker.subscriptionState(PAIR, SubscriptionState.SUBSCRIBING);
        tracker.subscriptionState(PAIR, SubscriptionState.ACTIVE);

        assertEquals(0, metrics.getGaps());
        assertEquals(-1, metrics.getLastGapSeconds());
        assertEquals(List.of(), closed);
    }

    @Test
    void aGapRunsFromLosingTheSubscriptionUntilItIsActiveAgain() {
        tracker.subscriptionState(PAIR, SubscriptionState.ACTIVE);
        tracker.subscriptionState(PAIR, SubscriptionState.PENDING);
        long lostAt = clock.get();
        clock.addAndGet(4_000);
        tracker.subscriptionState(PAIR, SubscriptionState.SUBSCRIBING);
        clock.addAndGet(2_500);
        tracker.subscriptionState(PAIR, SubscriptionState.ACTIVE);

        assertEquals(1, metrics.getGaps());
        assertEquals(6.5, metrics.getLastGapSeconds());
        assertEquals(6, metrics.getGapSecondsTotal());
        assertEquals(0, metrics.getCurrentGapSeconds());
        assertEquals(1, closed.size());
        assertEquals(lostAt, closed.get(0)[0]);
        assertEquals(lostAt + 6_500, closed.get(0)[1]);
    }

    @Test
    void gapsAddUpAndTheLastOneIsKept() {
        tracker.subscriptionState(PAIR, SubscriptionState.ACTIVE);
        for (long length : new long[] {3_000, 10_000}) {
            tracker.subscriptionState(PAIR, SubscriptionState.PENDING);
            clock.addAndGet(length);
            tracker.subscriptionState(PAIR, SubscriptionState.ACTIVE);
        }

        assertEquals(2, metrics.getGaps());
        assertEquals(13, metrics.getGapSecondsTotal());
        assertEquals(10.0, metrics.getLastGapSeconds());
    }

    /** The repair is told which gap a restart opened (it may be a quiet channel's silence) and which was lost live. */
    @Test
    void theRepairKnowsARestartsGapFromALostSubscription() {
        List<Boolean> afterRestart = new ArrayList<>();
        GapTracker told = new GapTracker(taskMetrics, new GapTracker.Repair() {
            @Override
            public void gapClosed(Subscription subscription, long start, long end) {
                throw new AssertionError("the four-argument form is called");
            }

            @Override
            public void gapClosed(Subscription subscription, long start, long end, boolean restart) {
                afterRestart.add(restart);
            }
        }, clock::get);
        told.restartedFrom(PAIR, clock.get() - 60_000);
        told.subscriptionState(PAIR, SubscriptionState.ACTIVE);
        told.subscriptionState(PAIR, SubscriptionState.PENDING);
        clock.addAndGet(1_000);
        told.subscriptionState(PAIR, SubscriptionState.ACTIVE);

        assertEquals(List.of(true, false), afterRestart);
    }

    @Test
    void afterARestartTheGapStartsAtTheCommittedOffsetsTime() {
        long committed = clock.get() - 60_000;
        tracker.restartedFrom(PAIR, committed);
        assertEquals(60, metrics.getCurrentGapSeconds(), 2, "an open gap shows how long it has lasted");
        tracker.subscriptionState(PAIR, SubscriptionState.SUBSCRIBING);
        tracker.subscriptionState(PAIR, SubscriptionState.ACTIVE);

        assertEquals(1, metrics.getGaps());
        assertEquals(committed, closed.get(0)[0]);
        assertEquals(clock.get(), closed.get(0)[1]);
    }

    @Test
    void aPairRefusedForGoodKeepsItsGapOpen() {
        tracker.subscriptionState(PAIR, SubscriptionState.ACTIVE);
        tracker.subscriptionState(PAIR, SubscriptionState.PENDING);
        tracker.subscriptionState(PAIR, SubscriptionState.FAILED);

        assertEquals(0, metrics.getGaps());
        assertEquals(List.of(), closed);
    }
}
