package io.github.kafkaconnectastro.metrics;

import io.github.kafkaconnectastro.gaps.GapListener;
import io.github.kafkaconnectastro.gaps.RunawayCause;
import io.github.kafkaconnectastro.protocol.ErrorCode;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.records.NotificationRecords;
import io.github.kafkaconnectastro.session.ReconnectCause;
import io.github.kafkaconnectastro.session.SessionListener;
import io.github.kafkaconnectastro.subscribe.SubscriptionState;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The live figures of one task. They only watch: the session reports to them as its {@link SessionListener}, gap
 * tracking and repair as their {@link GapListener}, the records as their
 * {@link NotificationRecords.MisfitListener}, the task and its credentials through the methods here; nothing
 * reads them back but JMX. Counters are {@link LongAdder}s because the socket reader and {@code poll()} update them
 * concurrently on the hot path.
 */
public final class AstroTaskMetrics
        implements AstroTaskMetricsMXBean, SessionListener, GapListener, NotificationRecords.MisfitListener {

    private final BufferGauges buffer;
    private final Map<Subscription, SubscriptionMetrics> subscriptions;
    private volatile boolean connected;
    private volatile long lastMessageNanos = -1;
    private volatile long lastBehindSourceMs = -1;
    private volatile Supplier<Instant> tokenExpiry = () -> null;
    private final LongAdder tokenRenewals = new LongAdder();
    private final LongAdder tokenRefreshFailures = new LongAdder();
    private final LongAdder notificationsReceived = new LongAdder();
    private final LongAdder recordsEmitted = new LongAdder();
    private final LongAdder duplicatesDropped = new LongAdder();
    private final LongAdder payloadMisfits = new LongAdder();
    private final LongAdder aheadOfClock = new LongAdder();
    private final LongAdder rateLimitResponses = new LongAdder();
    private final LongAdder broadcasts = new LongAdder();
    private final LongAdder restRequests = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> restErrorsByStatus = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> malformedByKind = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> reconnectsByCause = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> subscribeErrorsByCode = new ConcurrentHashMap<>();

    public AstroTaskMetrics(BufferGauges buffer, Collection<Subscription> subscriptions) {
        this.buffer = buffer;
        Map<Subscription, SubscriptionMetrics> perSubscription = new LinkedHashMap<>();
        for (Subscription subscription : subscriptions) {
            perSubscription.put(subscription, new SubscriptionMetrics());
        }
        this.subscriptions = Collections.unmodifiableMap(perSubscription);
    }

    Map<Subscription, SubscriptionMetrics> subscriptions() {
        return subscriptions;
    }

    /** One pair's figures, as JMX shows them. */
    public SubscriptionMetricsMXBean subscription(Subscription subscription) {
        return subscriptions.get(subscription);
    }

    /** Where the expiry of the token in use is read from; it returns null while unknown. */
    public void tokenExpiry(Supplier<Instant> expiry) {
        tokenExpiry = expiry;
    }

    /** A new access token came into use. */
    public void tokenRenewed() {
        tokenRenewals.increment();
    }

    @Override
    public long getTokenSecondsLeft() {
        Instant expiry = tokenExpiry.get();
        return expiry == null ? -1 : Math.max(0, Duration.between(Instant.now(), expiry).getSeconds());
    }

    @Override
    public long getTokenRenewals() {
        return tokenRenewals.sum();
    }

    /** An attempt to obtain an access token failed; it is tried again. */
    public void tokenRefreshFailed() {
        tokenRefreshFailures.increment();
    }

    @Override
    public long getTokenRefreshFailures() {
        return tokenRefreshFailures.sum();
    }

    @Override
    public void connected(boolean value) {
        connected = value;
    }

    @Override
    public void notificationReceived(Subscription subscription, long sourceEpochMs) {
        notificationsReceived.increment();
        long nowMs = System.currentTimeMillis();
        lastMessageNanos = System.nanoTime();
        lastBehindSourceMs = Math.max(0, nowMs - sourceEpochMs);
        subscriptions.get(subscription).messageReceived(nowMs);
    }

    public void recordsEmitted(int count) {
        recordsEmitted.add(count);
    }

    public void duplicateDropped() {
        duplicatesDropped.increment();
    }

    @Override
    public void misfit(Subscription subscription, String reason) {
        payloadMisfits.increment();
    }

    @Override
    public void aheadOfClock(Subscription subscription) {
        aheadOfClock.increment();
    }

    @Override
    public void malformedFrame(String kind) {
        malformedByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    @Override
    public void reconnect(ReconnectCause cause) {
        reconnectsByCause.computeIfAbsent(cause.key(), k -> new LongAdder()).increment();
    }

    /**
     * Counts an error answer to a subscribe by its code, and keeps it as the pair's last error. Codes this
     * connector does not know ({@link ErrorCode}) count as {@code other}, so that a server cannot grow this map with
     * strings of its choosing. {@code rate_limit_exceeded} is left to {@link #rateLimitResponse()}: the gateway
     * sends it without a nonce, so most of them cannot be told apart from answers to other commands, and counting
     * the few that can would make the two figures overlap.
     */
    @Override
    public void subscribeError(Subscription subscription, String code) {
        ErrorCode known = ErrorCode.of(code);
        if (known == ErrorCode.RATE_LIMIT_EXCEEDED) {
            return;
        }
        subscribeErrorsByCode.computeIfAbsent(known.wire(), k -> new LongAdder()).increment();
        pair(subscription, pair -> pair.lastErrorCode(known.wire()));
    }

    @Override
    public void subscriptionState(Subscription subscription, SubscriptionState state) {
        subscriptions.get(subscription).state(state);
    }

    @Override
    public void confirmedRoom(Subscription subscription, String room) {
        subscriptions.get(subscription).confirmedRoom(room);
    }

    @Override
    public void broadcast() {
        broadcasts.increment();
    }

    @Override
    public void gapOpened(Subscription subscription, long sinceEpochMs) {
        pair(subscription, pair -> pair.gapOpened(sinceEpochMs));
    }

    @Override
    public void gapClosed(Subscription subscription, long lengthMs) {
        pair(subscription, pair -> pair.gapClosed(lengthMs));
    }

    @Override
    public void recordsRepaired(Subscription subscription, int count) {
        pair(subscription, pair -> pair.recordsRepaired(count));
    }

    @Override
    public void gapRepaired(Subscription subscription) {
        pair(subscription, SubscriptionMetrics::gapRepaired);
    }

    @Override
    public void gapUnrepaired(Subscription subscription) {
        pair(subscription, SubscriptionMetrics::gapUnrepaired);
    }

    @Override
    public void repairSkippedRecords(Subscription subscription, long count) {
        pair(subscription, pair -> pair.repairSkippedRecords(count));
    }

    @Override
    public void repairRunaway(Subscription subscription, RunawayCause cause) {
        pair(subscription, SubscriptionMetrics::repairRunaway);
    }

    @Override
    public void repairSkippedMillis(Subscription subscription, long millis) {
        pair(subscription, pair -> pair.repairSkippedMillis(millis));
    }

    /** Updates the figures of a pair of this task's; those of any other pair have nowhere to go. */
    private void pair(Subscription subscription, Consumer<SubscriptionMetrics> update) {
        SubscriptionMetrics pair = subscriptions.get(subscription);
        if (pair != null) {
            update.accept(pair);
        }
    }

    @Override
    public void restRequest() {
        restRequests.increment();
    }

    @Override
    public void restError(String status) {
        restErrorsByStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
    }

    @Override
    public long getRestRequests() {
        return restRequests.sum();
    }

    @Override
    public long getRestErrors() {
        return sum(restErrorsByStatus);
    }

    @Override
    public Map<String, Long> getRestErrorsByStatus() {
        return snapshot(restErrorsByStatus);
    }

    @Override
    public long getBroadcasts() {
        return broadcasts.sum();
    }

    @Override
    public void rateLimitResponse() {
        rateLimitResponses.increment();
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public long getSecondsSinceLastMessage() {
        long last = lastMessageNanos;
        return last < 0 ? -1 : (System.nanoTime() - last) / 1_000_000_000L;
    }

    @Override
    public long getMilliSecondsBehindSource() {
        return lastBehindSourceMs;
    }

    @Override
    public long getNotificationsReceived() {
        return notificationsReceived.sum();
    }

    @Override
    public long getRecordsEmitted() {
        return recordsEmitted.sum();
    }

    @Override
    public long getDuplicatesDropped() {
        return duplicatesDropped.sum();
    }

    @Override
    public long getPayloadMisfits() {
        return payloadMisfits.sum();
    }

    @Override
    public long getNotificationsAheadOfClock() {
        return aheadOfClock.sum();
    }

    @Override
    public long getMalformedFrames() {
        return sum(malformedByKind);
    }

    @Override
    public Map<String, Long> getMalformedFramesByKind() {
        return snapshot(malformedByKind);
    }

    @Override
    public long getReconnects() {
        return sum(reconnectsByCause);
    }

    @Override
    public Map<String, Long> getReconnectsByCause() {
        return snapshot(reconnectsByCause);
    }

    @Override
    public long getSubscribeErrors() {
        return sum(subscribeErrorsByCode);
    }

    @Override
    public Map<String, Long> getSubscribeErrorsByCode() {
        return snapshot(subscribeErrorsByCode);
    }

    @Override
    public long getRateLimitResponses() {
        return rateLimitResponses.sum();
    }

    @Override
    public int getBufferCapacityRecords() {
        return buffer.capacityRecords().getAsInt();
    }

    @Override
    public long getBufferCapacityBytes() {
        return buffer.capacityBytes().getAsLong();
    }

    @Override
    public int getBufferRecords() {
        return buffer.records().getAsInt();
    }

    @Override
    public long getBufferBytes() {
        return buffer.bytes().getAsLong();
    }

    @Override
    public int getSubscriptions() {
        return subscriptions.size();
    }

    @Override
    public int getActiveSubscriptions() {
        return count(SubscriptionState.ACTIVE);
    }

    @Override
    public int getFailedSubscriptions() {
        return count(SubscriptionState.FAILED);
    }

    private int count(SubscriptionState state) {
        int n = 0;
        for (SubscriptionMetrics metrics : subscriptions.values()) {
            if (metrics.state() == state) {
                n++;
            }
        }
        return n;
    }

    private static long sum(Map<String, LongAdder> counters) {
        long total = 0;
        for (LongAdder adder : counters.values()) {
            total += adder.sum();
        }
        return total;
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
        Map<String, Long> copy = new TreeMap<>();
        counters.forEach((key, adder) -> copy.put(key, adder.sum()));
        return copy;
    }
}
