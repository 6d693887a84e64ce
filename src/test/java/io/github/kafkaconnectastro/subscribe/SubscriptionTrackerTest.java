package io.github.kafkaconnectastro.subscribe;

import io.github.kafkaconnectastro.config.AstroSourceConnectorConfig;
import io.github.kafkaconnectastro.session.RecordingMetrics;
import io.github.kafkaconnectastro.session.SessionSettings;
import io.github.kafkaconnectastro.util.RateLimitedLog;
import io.github.kafkaconnectastro.util.PermanentFailure;

import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.DocumentExamples;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The subscribe state machine driven by scripted gateway answers, with no socket: the answers are the gateway's
 * examples kept in src/test/resources/astro-docs, read by the real codec, with only the nonce set to the command's.
 */
class SubscriptionTrackerTest {

    private static final String TOKEN = "secret-token-4f1c";
    private static final String CHANNEL = "6183c7d4ebc632abbf809890";
    private static final Subscription OWN = new Subscription("channel.activities", "");
    private static final Subscription TIPS = new Subscription("channel.tips", CHANNEL);
    private static final String SUCCESS = DocumentExamples.text("seed-response-success.json");
    private static final String UNAUTHORIZED = DocumentExamples.text("seed-response-error-unauthorized.json");
    private static final long T0 = TimeUnit.SECONDS.toNanos(1_000);
    private static final long SUBSCRIBE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final AstroCodec codec = new AstroCodec(64);
    private final RecordingMetrics metrics = new RecordingMetrics();
    /** Every subscribe sent, nonce to pair, in order. */
    private final Map<String, Subscription> sent = new LinkedHashMap<>();
    private final SubscriptionTracker.Sender sender = (nonce, s) -> sent.put(nonce, s) == null;
    private Routes routes;

    private SubscriptionTracker tracker(SubscriptionErrorPolicy policy, Subscription... pairs) {
        SessionSettings settings = new AstroSourceConnectorConfig(Map.of(
                "astro.url", "ws://127.0.0.1:1",
                "astro.token", TOKEN,
                "astro.subscriptions", "channel.tips",
                "astro.subscribe.timeout.ms", "10000",
                "reconnect.backoff.initial.ms", "1000",
                "reconnect.backoff.max.ms", "30000",
                "astro.command.interval.ms", "100",
                "astro.command.burst", "10"))
                .sessionSettingsBuilder()
                .subscriptionErrorPolicy(policy)
                .build();
        routes = new Routes(List.of(pairs), metrics);
        SubscriptionTracker tracker = new SubscriptionTracker(List.of(pairs), settings, routes, metrics,
                new RateLimitedLog(30_000));
        tracker.connectionOpened(T0, false);
        return tracker;
    }

    private AstroMessage.Response answer(String example, String nonce) {
        String frame = nonce == null ? DocumentExamples.without(example, "nonce")
                : DocumentExamples.with(example, "nonce", nonce);
        return (AstroMessage.Response) codec.decode(frame);
    }

    private String nonceFor(Subscription pair) {
        String last = null;
        for (Map.Entry<String, Subscription> e : sent.entrySet()) {
            if (e.getValue().equals(pair)) {
                last = e.getKey();
            }
        }
        assertNotNull(last, "no subscribe sent for " + pair);
        return last;
    }

    private long sentFor(Subscription pair) {
        return sent.values().stream().filter(pair::equals).count();
    }

    @Test
    void theDocumentsSuccessWithNoRoomConfirmsAnOwnChannelPairAndItsNotificationsFindIt() {
        SubscriptionTracker tracker = tracker(SubscriptionErrorPolicy.FAIL, OWN, TIPS);
        tracker.sendDue(T0, sender);
        assertEquals(2, sent.size());
        tracker.onResponse(answer(SUCCESS, nonceFor(OWN)), T0);
        tracker.onResponse(answer(SUCCESS, nonceFor(TIPS)), T0);
        assertEquals(SubscriptionState.ACTIVE, tracker.state(OWN));
        assertEquals(SubscriptionState.ACTIVE, tracker.state(TIPS));
        assertTrue(tracker.allSettled());

        AstroMessage.Notification n = (AstroMessage.Notification) codec.decode(
                DocumentExamples.text("protocol-notification-activity.json"));
        Routes.Route route = routes.resolve(n.topic(), n.room());
        assertNotNull(route, "the own channel's notification must find its pair");
        assertEquals(OWN, route.subscription());
        assertEquals(CHANNEL, route.room(), "keyed by the channel id");
        assertEquals(CHANNEL, metrics.confirmedRooms.get(OWN), "the channel id is learnt from the notification");
        assertNull(routes.resolve(n.topic(), "someone-else"), "once learnt, the own channel takes its room only");
    }

    @Test
    void the2023ShapeWithDataAsAStringConfirms() {
        SubscriptionTracker tracker = tracker(SubscriptionErrorPolicy.FAIL, OWN);
        tracker.sendDue(T0, sender);
        tracker.onResponse((AstroMessage.Response) codec.decode(
                DocumentExamples.as2023(DocumentExamples.with(SUCCESS, "nonce", nonceFor(OWN)))), T0);
        assertEquals(SubscriptionState.ACTIVE, tracker.state(OWN));
    }

    @Test
    void alreadySubscribedCountsAsSubscribedAndNeverFailsTheTask() {
        SubscriptionTracker tracker = tracker(SubscriptionErrorPolicy.FAIL, TIPS);
        tracker.sendDue(T0, sender);
        String alreadySubscribed = DocumentExamples.with(UNAUTHORIZED, "error", "err_bad_request")
                .replace("invalid token", "already subscribed to topic");
        tracker.onResponse(answer(alreadySubscribed, nonceFor(TIPS)), T0);
        assertEquals(SubscriptionState.ACTIVE, tracker.state(TIPS));
        assertTrue(metrics.subscribeErrors.isEmpty(), "not an error");
    }

    /** Sends the subscribe for TIPS and lets it time out; returns its nonce. */
    private String timedOut(SubscriptionTracker tracker, long later) {
        tracker.sendDue(T0, sender);
        String first = nonceFor(TIPS);
        tracker.expireUnanswered(later);
        assertEquals(SubscriptionState.PENDING, tracker.state(TIPS));
        return first;
    }

    @Test
    void aLateSuccessForATimedOutSubscribeIsAcceptedWithoutASecondSubscription() {
        SubscriptionTracker tracker = tracker(SubscriptionErrorPolicy.FAIL, TIPS);
        long later = T0 + SUBSCRIBE_TIMEOUT_NANOS + 1;
        String first = timedOut(tracker, later);

        tracker.onResponse(answer(SUCCESS, first), later + 1);
        assertEquals(SubscriptionState.ACTIVE, tracker.state(TIPS));
        tracker.sendDue(later + TimeUnit.MINUTES.toNanos(5), sender);
        assertEquals(1, sentFor(TIPS), "no second subscribe once the late answer came");
    }

    @Test
    void aLateSuccessOvertakingTheRetryMakesTheRetrysAnswerHarmless() {
        SubscriptionTracker tracker = tracker(SubscriptionErrorPolicy.FAIL, TIPS);
        long later = T0 + SUBSCRIBE_TIMEOUT_NANOS + 1;
        String first = timedOut(tracker, later);
        long retryAt = later + TimeUnit.SECONDS.toNanos(31);
        tracker.sendDue(retryAt, sender);
        String retry = nonceFor(TIPS);
        assertFalse(first.equals(retry));

        tracker.onResponse(answer(SUCCESS, first), retryAt);
        assertEquals(SubscriptionState.ACTIVE, tracker.state(TIPS));
        String alreadySubscribed = DocumentExamples.with(UNAUTHORIZED, "error", "err_bad_request")
                .replace("invalid token", "topic already subscribed");
        tracker.onResponse(answer(alreadySubscribed, retry), retryAt);
        assertEquals(SubscriptionState.ACTIVE, tracker.state(TIPS));
        tracker.expireUnanswered(retryAt + SUBSCRIBE_TIMEOUT_NANOS * 2);
        assertEquals(SubscriptionState.ACTIVE, tracker.state(TIPS), "the retry is not waited for any more");
    }

    @Test
    void aRateLimitWithNoNonceGuessesNothingAndSendsTheUnansweredAgainAfterThePause() {
        Subscription a = new Subscription("channel.tips", "a");
        Subscription b = new Subscription("channel.tips", "b");
        Subscription c = new Subscription("channel.tips", "c");
        SubscriptionTracker tracker = tracker(SubscriptionErrorPolicy.FAIL, a, b, c);
        tracker.sendDue(T0, sender);
        String nonceA = nonceFor(a);
        String nonceB = nonceFor(b);
        String rateLimited = DocumentExamples.with(UNAUTHORIZED, "error", "rate_limit_exceeded");
        tracker.onResponse(answer(rateLimited, null), T0);
        assertEquals(1, metrics.rateLimits.get());
        for (Subscription pair : List.of(a, b, c)) {
            assertEquals(SubscriptionState.PENDING, tracker.state(pair), "no telling which was refused");
        }

        tracker.sendDue(T0 + PAUSE_NANOS / 2, sender);
        assertEquals(3, sent.size(), "nothing is sent during the pause");
        tracker.onResponse(answer(SUCCESS, nonceA), T0 + PAUSE_NANOS / 2);
        assertEquals(SubscriptionState.ACTIVE, tracker.state(a), "an answer to a command sent before still counts");

        tracker.sendDue(T0 + PAUSE_NANOS * 3, sender);
        assertEquals(1, sentFor(a), "answered meanwhile: not sent again");
        assertEquals(2, sentFor(b));
        assertEquals(2, sentFor(c));
        tracker.onResponse(answer(SUCCESS, nonceB), T0 + PAUSE_NANOS * 3);
        assertEquals(SubscriptionState.ACTIVE, tracker.state(b), "the first command's late success");
    }

    @Test
    void theDocumentsUnauthorizedFailsTheTaskNamingThePairButNotTheToken() {
        SubscriptionTracker tracker = tracker(SubscriptionErrorPolicy.FAIL, TIPS);
        tracker.sendDue(T0, sender);
        String echoed = UNAUTHORIZED.replace("invalid token", "invalid token " + TOKEN + "\\r\\nFAKE LOG LINE");
        PermanentFailure failure = assertThrows(PermanentFailure.class,
                () -> tracker.onResponse(answer(echoed, nonceFor(TIPS)), T0));
        assertTrue(failure.getMessage().contains("channel.tips:" + CHANNEL), failure.getMessage());
        assertTrue(failure.getMessage().contains("err_unauthorized"), failure.getMessage());
        assertTrue(failure.getMessage().contains("astro.subscription.error.policy"), failure.getMessage());
        assertFalse(failure.getMessage().contains(TOKEN), "the token never reaches a status trace");
        assertFalse(failure.getMessage().contains("\n"), "server text cannot forge a line");
        assertEquals(SubscriptionState.FAILED, tracker.state(TIPS));
    }

    @Test
    void withSkipARefusedPairIsFailedAndTheOthersGoOn() {
        SubscriptionTracker tracker = tracker(SubscriptionErrorPolicy.SKIP, OWN, TIPS);
        tracker.sendDue(T0, sender);
        tracker.onResponse(answer(UNAUTHORIZED, nonceFor(TIPS)), T0);
        tracker.onResponse(answer(SUCCESS, nonceFor(OWN)), T0);
        assertEquals(SubscriptionState.FAILED, tracker.state(TIPS));
        assertEquals(SubscriptionState.ACTIVE, tracker.state(OWN));
        assertEquals(List.of(TIPS + "=err_unauthorized"), metrics.subscribeErrors);

        tracker.connectionLost(T0 + 1);
        tracker.connectionOpened(T0 + 2, false);
        sent.clear();
        tracker.sendDue(T0 + 2, sender);
        assertEquals(List.of(OWN), new ArrayList<>(sent.values()), "a refused pair is not subscribed again");
    }

    @Test
    void aTransientErrorIsRetriedWithBackoff() {
        SubscriptionTracker tracker = tracker(SubscriptionErrorPolicy.FAIL, TIPS);
        tracker.sendDue(T0, sender);
        String internal = DocumentExamples.with(UNAUTHORIZED, "error", "err_internal_error");
        tracker.onResponse(answer(internal, nonceFor(TIPS)), T0);
        assertEquals(SubscriptionState.PENDING, tracker.state(TIPS));
        tracker.sendDue(T0 + TimeUnit.SECONDS.toNanos(2), sender);
        assertEquals(2, sentFor(TIPS), "sent again within the first backoff ceiling (1 s)");
    }

    @Test
    void aResumedConnectionKeepsWhatTheGatewayRestoresAndAFreshOneSubscribesEverything() {
        SubscriptionTracker tracker = tracker(SubscriptionErrorPolicy.FAIL, OWN, TIPS);
        tracker.sendDue(T0, sender);
        tracker.onResponse(answer(SUCCESS, nonceFor(OWN)), T0);
        tracker.connectionOpened(T0 + 1, true);
        assertEquals(SubscriptionState.ACTIVE, tracker.state(OWN), "restored by the server");
        assertEquals(SubscriptionState.PENDING, tracker.state(TIPS), "never confirmed: subscribed again");
        tracker.connectionLost(T0 + 2);
        assertEquals(SubscriptionState.PENDING, tracker.state(OWN));
    }

    @Test
    void subscribesArePacedAndTheWaitSaysWhenTheNextIsDue() {
        List<Subscription> many = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            many.add(new Subscription("channel.tips", "room" + i));
        }
        SubscriptionTracker tracker = tracker(SubscriptionErrorPolicy.FAIL, many.toArray(new Subscription[0]));
        tracker.sendDue(T0, sender);
        assertEquals(10, sent.size(), "the burst");
        long wait = tracker.nanosUntilDue(T0, TimeUnit.SECONDS.toNanos(1));
        assertTrue(wait > 0 && wait <= TimeUnit.MILLISECONDS.toNanos(100), "next permit within an interval: " + wait);
        tracker.sendDue(T0 + TimeUnit.MILLISECONDS.toNanos(100), sender);
        assertEquals(11, sent.size());
    }
}
