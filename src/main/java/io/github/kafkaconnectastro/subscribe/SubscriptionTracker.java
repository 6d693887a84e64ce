package io.github.kafkaconnectastro.subscribe;

import io.github.kafkaconnectastro.auth.Credentials;
import io.github.kafkaconnectastro.util.Backoff;
import io.github.kafkaconnectastro.util.RateLimitedLog;
import io.github.kafkaconnectastro.util.PermanentFailure;

import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.ErrorCode;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The subscribe state machine of one session: which pairs to subscribe on the current connection, when (paced
 * under the gateway's command limit), what each answer means, and when to try again. It owns no socket and no
 * thread: the session's thread calls it with the time and hands it the gateway's answers, so it can be driven by
 * scripted responses in a test.
 *
 * <p>How it reads the gateway's answers ({@link SubscribeAnswer}), where they leave room:
 * <ul>
 *   <li>A success may name no room: the pair is confirmed by its nonce alone.</li>
 *   <li>{@code err_bad_request} saying the pair is already subscribed is a success.</li>
 *   <li>An answer that comes after its subscribe timed out still counts: the pair is confirmed and not
 *       subscribed a second time (a retry already sent is answered "already subscribed", which also counts).</li>
 *   <li>{@code rate_limit_exceeded} carries no nonce, so it does not say which command it refused. Nothing is
 *       guessed: subscribes pause, every command still unanswered goes back to pending, and is sent again after
 *       the pause unless its answer arrives meanwhile.</li>
 * </ul>
 */
public final class SubscriptionTracker {

    /** Sends one subscribe; false when the connection is gone. */
    public interface Sender {
        boolean subscribe(String nonce, Subscription subscription);
    }

    private static final Logger log = LoggerFactory.getLogger(SubscriptionTracker.class);
    /** Answers to superseded commands still accepted, per pair; older ones are forgotten. */
    private static final int SUPERSEDED_PER_PAIR = 4;

    private final SubscribeSettings settings;
    private final SubscriptionListener metrics;
    private final Routes routes;
    private final RateLimitedLog warnings;
    private final Map<Subscription, Pair> pairs = new LinkedHashMap<>();
    /** Commands sent on this connection and not answered, in send order. */
    private final LinkedHashMap<String, Pair> outstanding = new LinkedHashMap<>();
    /** Commands given up on (timed out, or unanswered at a rate-limit refusal) whose answer is still welcome. */
    private final LinkedHashMap<String, Pair> superseded;
    private final CommandIssuer commands;

    public SubscriptionTracker(List<Subscription> subscriptions, SubscribeSettings settings, Routes routes,
                               SubscriptionListener metrics, RateLimitedLog warnings) {
        this.settings = settings;
        this.metrics = metrics;
        this.routes = routes;
        this.warnings = warnings;
        for (Subscription subscription : subscriptions) {
            pairs.put(subscription, new Pair(subscription));
        }
        int supersededCapacity = Math.max(16, subscriptions.size() * SUPERSEDED_PER_PAIR);
        this.superseded = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Pair> eldest) {
                return size() > supersededCapacity;
            }
        };
        this.commands = new CommandIssuer(settings, "", System.nanoTime());
    }

    /**
     * A connection opened: every pair not refused for good is to be subscribed on it, except, on a connection
     * resumed with a reconnect token, those the gateway restores itself.
     */
    public void connectionOpened(long now, boolean resumed) {
        commands.restartPacing(now);
        outstanding.clear();
        superseded.clear();
        for (Pair p : pairs.values()) {
            if (p.state != SubscriptionState.FAILED && !(resumed && p.state == SubscriptionState.ACTIVE)) {
                p.pending(now);
            }
        }
    }

    /** The connection ended: its subscriptions went with it. */
    public void connectionLost(long now) {
        outstanding.clear();
        superseded.clear();
        for (Pair p : pairs.values()) {
            if (p.state != SubscriptionState.FAILED) {
                p.pending(now);
            }
        }
    }

    /** Sends the subscribes that are due, as far as the pacer allows. */
    public void sendDue(long now, Sender sender) {
        for (Pair p : pairs.values()) {
            if (p.state != SubscriptionState.PENDING || p.retryAt - now > 0) {
                continue;
            }
            if (!commands.tryAcquire(now)) {
                return;
            }
            String nonce = commands.nextNonce();
            if (!sender.subscribe(nonce, p.subscription)) {
                return;
            }
            p.subscribing(nonce, now, settings.token());
            outstanding.put(nonce, p);
            log.debug("Subscribing to {} (nonce {})", p.subscription, nonce);
        }
    }

    /** Gives up waiting for answers older than astro.subscribe.timeout.ms; their pairs are retried with backoff. */
    public void expireUnanswered(long now) {
        long timeout = settings.subscribeTimeout().toNanos();
        Iterator<Map.Entry<String, Pair>> it = outstanding.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Pair> entry = it.next();
            Pair p = entry.getValue();
            if (now - p.sentAt < timeout) {
                return;
            }
            it.remove();
            superseded.put(entry.getKey(), p);
            long delay = p.retries.nextDelayMs();
            p.pending(now + TimeUnit.MILLISECONDS.toNanos(delay));
            warnings.warn(log, "subscribe-timeout", "No answer from Astro to the subscribe for {} within {} ms "
                    + "(astro.subscribe.timeout.ms); retrying in {} ms", p.subscription,
                    settings.subscribeTimeout().toMillis(), delay);
        }
    }

    /**
     * Takes the gateway's answer to a command.
     *
     * @throws PermanentFailure when a pair is refused for good and astro.subscription.error.policy is fail
     */
    public void onResponse(AstroMessage.Response response, long now) {
        String nonce = response.nonce();
        Pair p = nonce == null ? null : outstanding.remove(nonce);
        boolean late = false;
        if (p == null && nonce != null) {
            p = superseded.remove(nonce);
            late = p != null;
        }
        if (p == null) {
            unmatched(response, now);
            return;
        }
        commands.answered(response);
        SubscribeAnswer answer = SubscribeAnswer.of(response);
        if (answer == SubscribeAnswer.ACCEPTED) {
            confirmed(p, response);
            return;
        }
        metrics.subscribeError(p.subscription, response.error());
        if (late) {
            // Its pair is pending or already re-sent; the answer to that command decides.
            log.debug("Ignoring {} for a superseded subscribe of {}", response.errorCode().wire(), p.subscription);
            return;
        }
        ErrorCode code = response.errorCode();
        switch (answer) {
            case REFUSED -> {
                if (code == ErrorCode.UNAUTHORIZED && renewed(p)) {
                    p.pending(now);
                } else {
                    refusedPermanently(p, response);
                }
            }
            case RATE_LIMITED -> {
                metrics.rateLimitResponse();
                rateLimited(now, "to the subscribe for " + p.subscription);
                p.pending(now + commands.nanosUntilPermit(now));
            }
            default -> {
                long delay = p.retries.nextDelayMs();
                p.pending(now + TimeUnit.MILLISECONDS.toNanos(delay));
                warnings.warn(log, "retry-" + code.wire(), "Astro answered {} ({}) to the subscribe for {}; retrying "
                        + "in {} ms", code.wire(), commands.serverText(response.message()), p.subscription, delay);
            }
        }
    }

    private void unmatched(AstroMessage.Response response, long now) {
        if (SubscribeAnswer.isRateLimit(response)) {
            metrics.rateLimitResponse();
            // No nonce: any of the unanswered commands may be the one refused. All of them go again after the pause,
            // unless answered meanwhile; one that had been accepted is then answered "already subscribed".
            for (Map.Entry<String, Pair> entry : outstanding.entrySet()) {
                superseded.put(entry.getKey(), entry.getValue());
                entry.getValue().pending(now);
            }
            outstanding.clear();
            rateLimited(now, "");
        } else if (response.isError()) {
            warnings.warn(log, "unmatched-error", "Astro answered {} ({}) to a command this task cannot match; "
                    + "ignoring it", response.errorCode().wire(), commands.serverText(response.message()));
        } else {
            log.debug("Ignoring an Astro response that matches no subscribe of this connection");
        }
    }

    private void confirmed(Pair p, AstroMessage.Response response) {
        if (p.state == SubscriptionState.SUBSCRIBING && p.nonce != null) {
            // A late answer overtook a retry: that retry's own answer is welcome but changes nothing.
            Pair retry = outstanding.remove(p.nonce);
            if (retry != null) {
                superseded.put(p.nonce, retry);
            }
        }
        if (p.state == SubscriptionState.ACTIVE || p.state == SubscriptionState.FAILED) {
            return;
        }
        routes.confirmed(p.subscription, response.room());
        p.active();
        log.debug("Subscribed to {}{}", p.subscription, response.alreadySubscribed() ? " (already subscribed)" : "");
    }

    private void rateLimited(long now, String which) {
        long pauseMs = commands.pauseAfterRateLimit(now);
        warnings.warn(log, "rate-limit", "Astro answered rate_limit_exceeded{}; pausing subscribes for {} ms, then "
                + "sending again what is still unanswered", which.isEmpty() ? "" : " " + which, pauseMs);
    }

    /** Whether the credentials could replace the token the pair was refused with (once per token). */
    private boolean renewed(Pair p) {
        if (p.sentWith == null || !settings.credentials().renewAfterRefusal(p.sentWith)) {
            return false;
        }
        log.warn("Astro refused the subscription {} with err_unauthorized; subscribing again with a renewed token",
                p.subscription);
        return true;
    }

    private void refusedPermanently(Pair p, AstroMessage.Response response) {
        p.failed();
        String reason = "Astro refused the subscription " + p.subscription + " with " + response.errorCode().wire()
                + " (" + commands.serverText(response.message()) + "). "
                + hint(response.errorCode(), settings.credentials());
        if (settings.subscriptionErrorPolicy() == SubscriptionErrorPolicy.FAIL) {
            throw new PermanentFailure(reason + " The task fails because astro.subscription.error.policy=fail.");
        }
        log.error("{} Skipping it because astro.subscription.error.policy=skip; the other subscriptions go on.",
                reason);
    }

    private static String hint(ErrorCode code, Credentials credentials) {
        if (code == ErrorCode.UNAUTHORIZED) {
            return credentials.refusalHint();
        }
        return "Check the topic and room in astro.subscriptions, and that the gateway's subscription limit is not "
                + "exceeded.";
    }

    /** How long the session thread may wait before something here is due; at most {@code max}. */
    public long nanosUntilDue(long now, long max) {
        long wait = max;
        boolean duePending = false;
        for (Pair p : pairs.values()) {
            if (p.state == SubscriptionState.PENDING) {
                if (p.retryAt - now <= 0) {
                    duePending = true;
                } else {
                    wait = Math.min(wait, p.retryAt - now);
                }
            }
        }
        if (duePending) {
            wait = Math.min(wait, commands.nanosUntilPermit(now));
        }
        for (Pair oldest : outstanding.values()) {
            wait = Math.min(wait, oldest.sentAt + settings.subscribeTimeout().toNanos() - now);
            break;
        }
        return Math.max(0, wait);
    }

    /** True when no pair waits to be subscribed or for an answer. */
    public boolean allSettled() {
        return count(SubscriptionState.PENDING) == 0 && count(SubscriptionState.SUBSCRIBING) == 0;
    }

    public int count(SubscriptionState state) {
        int n = 0;
        for (Pair p : pairs.values()) {
            if (p.state == state) {
                n++;
            }
        }
        return n;
    }

    public int size() {
        return pairs.size();
    }

    public SubscriptionState state(Subscription subscription) {
        return pairs.get(subscription).state;
    }

    /** One pair's state on the current connection. */
    private final class Pair {
        final Subscription subscription;
        final Backoff retries = new Backoff(settings.backoffInitial().toMillis(), settings.backoffMax().toMillis(),
                settings.backoffMultiplier(), () -> ThreadLocalRandom.current().nextDouble());
        SubscriptionState state = SubscriptionState.PENDING;
        long retryAt;
        long sentAt;
        /** The nonce of the command in flight, while SUBSCRIBING. */
        String nonce;
        /** The token that command carried, so that a refusal renews that one and not a newer one. */
        Password sentWith;

        Pair(Subscription subscription) {
            this.subscription = subscription;
        }

        void pending(long retryAtNanos) {
            state = SubscriptionState.PENDING;
            retryAt = retryAtNanos;
            nonce = null;
            metrics.subscriptionState(subscription, state);
        }

        void subscribing(String commandNonce, long now, Password token) {
            state = SubscriptionState.SUBSCRIBING;
            sentAt = now;
            nonce = commandNonce;
            sentWith = token;
            metrics.subscriptionState(subscription, state);
        }

        void active() {
            state = SubscriptionState.ACTIVE;
            nonce = null;
            retries.reset();
            metrics.subscriptionState(subscription, state);
        }

        void failed() {
            state = SubscriptionState.FAILED;
            nonce = null;
            metrics.subscriptionState(subscription, state);
        }
    }
}
