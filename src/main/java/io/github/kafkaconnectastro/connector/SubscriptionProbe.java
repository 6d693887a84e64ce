package io.github.kafkaconnectastro.connector;

import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.session.SessionSettings;
import io.github.kafkaconnectastro.subscribe.CommandIssuer;
import io.github.kafkaconnectastro.subscribe.SubscribeAnswer;
import io.github.kafkaconnectastro.transport.AstroSocket;
import io.github.kafkaconnectastro.util.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A one-off check of a configuration against the gateway, for {@code validate()}: connects, subscribes each pair
 * once, unsubscribes what was accepted and disconnects. It issues its commands and reads the answers as a task
 * does ({@link CommandIssuer}, {@link SubscribeAnswer}), so a verdict here is what a task would meet. Runs on the
 * caller's thread and ends within {@link #MAX_DURATION_MS}, under Connect's 90 s REST timeout.
 */
public final class SubscriptionProbe {

    static final long MAX_DURATION_MS = 75_000;
    private static final long UNSUBSCRIBE_WAIT_MS = 2_000;
    private static final long CLOSE_WAIT_MS = 2_000;
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Object CLOSED = new Object();
    private static final Logger log = LoggerFactory.getLogger(SubscriptionProbe.class);

    private final SessionSettings settings;
    private final List<Subscription> subscriptions;
    private final AstroCodec codec;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final CommandIssuer commands;

    private SubscriptionProbe(SessionSettings settings, List<Subscription> subscriptions) {
        this.settings = settings;
        this.subscriptions = subscriptions;
        this.codec = new AstroCodec(settings.maxNestingDepth());
        this.commands = new CommandIssuer(settings, "probe-", System.nanoTime());
    }

    /** Probes every pair; never throws for anything the gateway or the network does. */
    public static ProbeReport run(SessionSettings settings, List<Subscription> subscriptions) {
        return new SubscriptionProbe(settings, subscriptions).run();
    }

    private ProbeReport run() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_DURATION_MS);
        AstroSocket socket = AstroSocket.create(settings.uri(), new Inbox(), settings.transport(),
                settings.connectTimeout(), settings.maxFrameBytes());
        try {
            if (!socket.connectBlocking(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                String why = socket.describeConnectFailure(settings.connectTimeout().toMillis(),
                        settings.retryAfterMax().toMillis());
                log.info("Validation probe could not connect to Astro at {}: {}", SafeText.displayUri(settings.uri()),
                        why);
                return ProbeReport.unreachable(why);
            }
            awaitWelcome();
            Map<Subscription, ProbeReport.Answer> answers = subscribeAll(socket, deadline);
            unsubscribeAccepted(socket, answers, deadline);
            logSummary(answers);
            return new ProbeReport(null, answers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeReport.unreachable("the validation was interrupted");
        } finally {
            close(socket);
        }
    }

    /** Official clients subscribe after the welcome; one that does not come is no reason to give up. */
    private void awaitWelcome() throws InterruptedException {
        long until = System.nanoTime() + settings.welcomeTimeout().toNanos();
        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
            Object event = inbox.poll(left, TimeUnit.NANOSECONDS);
            if (event instanceof AstroMessage.Welcome || event == CLOSED) {
                if (event == CLOSED) {
                    inbox.add(CLOSED);
                }
                return;
            }
        }
    }

    private Map<Subscription, ProbeReport.Answer> subscribeAll(AstroSocket socket, long deadline)
            throws InterruptedException {
        Map<Subscription, ProbeReport.Answer> answers = new LinkedHashMap<>();
        Deque<Subscription> toSend = new ArrayDeque<>(subscriptions);
        Map<String, Subscription> outstanding = new LinkedHashMap<>();
        long now = System.nanoTime();
        long lastProgress = now;
        String endReason = "no answer within astro.subscribe.timeout.ms=" + settings.subscribeTimeout().toMillis();
        while (!toSend.isEmpty() || !outstanding.isEmpty()) {
            now = System.nanoTime();
            if (now - deadline >= 0) {
                endReason = "the probe ran out of time (" + MAX_DURATION_MS + " ms)";
                break;
            }
            if (now - lastProgress > settings.subscribeTimeout().toNanos()) {
                break;
            }
            while (!toSend.isEmpty() && commands.tryAcquire(now)) {
                Subscription subscription = toSend.peekFirst();
                String nonce = commands.nextNonce();
                if (!socket.trySend(codec.subscribe(nonce, subscription.topic(), subscription.room(),
                        settings.token().value(), settings.tokenType()))) {
                    break;
                }
                toSend.pollFirst();
                outstanding.put(nonce, subscription);
                lastProgress = now;
            }
            long wait = toSend.isEmpty() ? MAX_WAIT_NANOS
                    : Math.max(1_000_000L, Math.min(MAX_WAIT_NANOS, commands.nanosUntilPermit(now)));
            Object event = inbox.poll(wait, TimeUnit.NANOSECONDS);
            if (event == CLOSED) {
                endReason = "the gateway closed the connection";
                break;
            }
            if (event instanceof AstroMessage.Response response) {
                lastProgress = System.nanoTime();
                answer(response, outstanding, toSend, answers, lastProgress);
            }
        }
        for (Subscription subscription : subscriptions) {
            answers.putIfAbsent(subscription, ProbeReport.Answer.unchecked(null, endReason));
        }
        Map<Subscription, ProbeReport.Answer> ordered = new LinkedHashMap<>();
        subscriptions.forEach(s -> ordered.put(s, answers.get(s)));
        return ordered;
    }

    private void answer(AstroMessage.Response response, Map<String, Subscription> outstanding,
                        Deque<Subscription> toSend, Map<Subscription, ProbeReport.Answer> answers, long now) {
        Subscription subscription = response.nonce() == null ? null : outstanding.remove(response.nonce());
        if (subscription == null && SubscribeAnswer.isRateLimit(response)) {
            // No nonce, so no telling which command was refused: send every unanswered one again after the pause.
            // One the gateway had accepted is then answered "already subscribed", which counts as accepted.
            outstanding.values().forEach(toSend::addFirst);
            outstanding.clear();
            commands.pauseAfterRateLimit(now);
            return;
        }
        if (subscription == null || answers.get(subscription) != null) {
            return;
        }
        String code = response.errorCode().wire();
        switch (SubscribeAnswer.of(response)) {
            case ACCEPTED -> answers.put(subscription, ProbeReport.Answer.accepted(
                    Subscription.learnableRoom(response.room()) ? response.room() : subscription.room()));
            case REFUSED -> answers.put(subscription, ProbeReport.Answer.refused(code,
                    commands.serverText(response.message())));
            case RATE_LIMITED -> {
                toSend.addFirst(subscription);
                commands.pauseAfterRateLimit(now);
            }
            case TEMPORARY -> answers.put(subscription, ProbeReport.Answer.unchecked(code,
                    commands.serverText(response.message())));
        }
    }

    /**
     * Unsubscribes the accepted pairs, so nothing outlives the probe even if the gateway kept subscriptions of a
     * closed connection for a while, then waits briefly for the answers.
     */
    private void unsubscribeAccepted(AstroSocket socket, Map<Subscription, ProbeReport.Answer> answers, long deadline)
            throws InterruptedException {
        commands.restartPacing(System.nanoTime());
        Set<String> nonces = new HashSet<>();
        for (Map.Entry<Subscription, ProbeReport.Answer> entry : answers.entrySet()) {
            if (entry.getValue().verdict() != ProbeReport.Verdict.ACCEPTED) {
                continue;
            }
            long now = System.nanoTime();
            while (!commands.tryAcquire(now) && now - deadline < 0) {
                TimeUnit.NANOSECONDS.sleep(Math.max(1_000_000L, commands.nanosUntilPermit(now)));
                now = System.nanoTime();
            }
            String nonce = commands.nextNonce();
            // The confirmed room: the gateway may have mapped the requested one to a canonical one.
            if (now - deadline >= 0 || !socket.trySend(codec.unsubscribe(nonce, entry.getKey().topic(),
                    entry.getValue().confirmedRoom()))) {
                return;
            }
            nonces.add(nonce);
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(UNSUBSCRIBE_WAIT_MS);
        while (!nonces.isEmpty()) {
            long left = until - System.nanoTime();
            Object event = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
            if (event == null || event == CLOSED) {
                return;
            }
            if (event instanceof AstroMessage.Response response && response.nonce() != null) {
                nonces.remove(response.nonce());
            }
        }
    }

    private void logSummary(Map<Subscription, ProbeReport.Answer> answers) {
        Map<ProbeReport.Verdict, Integer> counts = new LinkedHashMap<>();
        StringBuilder refused = new StringBuilder();
        for (Map.Entry<Subscription, ProbeReport.Answer> entry : answers.entrySet()) {
            counts.merge(entry.getValue().verdict(), 1, Integer::sum);
            if (entry.getValue().verdict() == ProbeReport.Verdict.REFUSED) {
                refused.append(refused.length() == 0 ? "; refused: " : ", ").append(entry.getKey())
                        .append(" (").append(entry.getValue().code()).append(')');
            }
        }
        log.info("Validation probe at {}: {} of {} pairs accepted, {} refused, {} unchecked{}",
                SafeText.displayUri(settings.uri()), counts.getOrDefault(ProbeReport.Verdict.ACCEPTED, 0),
                answers.size(), counts.getOrDefault(ProbeReport.Verdict.REFUSED, 0),
                counts.getOrDefault(ProbeReport.Verdict.UNCHECKED, 0), refused);
    }

    private static void close(AstroSocket socket) {
        socket.shutdown("validation done", false, CLOSE_WAIT_MS);
    }

    /** Hands decoded frames and the end of the connection to the probing thread; runs on the socket's threads. */
    private final class Inbox implements AstroSocket.Listener {

        @Override
        public void onOpen(AstroSocket socket) {
            // Nothing to do before the welcome.
        }

        @Override
        public void onText(AstroSocket socket, String text) {
            inbox.add(codec.decode(text));
        }

        @Override
        public void onBinary(AstroSocket socket, int bytes) {
            // Astro sends text frames only; the probe has no use for anything else.
        }

        @Override
        public void onClosed(AstroSocket socket, int code, String reason, boolean remote) {
            inbox.add(CLOSED);
        }

        @Override
        public void onError(AstroSocket socket, Exception error) {
            socket.failure(error, settings.token());
        }
    }
}
