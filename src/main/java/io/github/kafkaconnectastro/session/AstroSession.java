package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.Delivery;
import io.github.kafkaconnectastro.protocol.ErrorCode;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.connect.errors.ConnectException;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A task's connection to the Astro gateway: connects, subscribes every pair, routes notifications into the
 * {@link NotificationBuffer}, and reconnects by itself. One thread of its own runs the connection's life
 * (connect, subscribe, liveness, backoff); Java-WebSocket's reader thread only decodes frames and hands them on,
 * so no reconnect ever runs inside a socket callback. A permanent failure is handed to the buffer, whose next
 * {@code poll()} fails the task with a message naming what to fix.
 */
public final class AstroSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AstroSession.class);
    private static final int EVENT_CAPACITY = 10_000;
    private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long STOP_TIMEOUT_MS = 5_000;
    /**
     * A loaded worker can take a while to answer the gateway's close frame; past this the socket is dropped without
     * one. Below {@link #STOP_TIMEOUT_MS}, so that a stop still ends within Connect's graceful shutdown time.
     */
    private static final long CLOSE_HANDSHAKE_TIMEOUT_MS = 4_000;
    /** How long the reader must have read nothing before a stopping session sends its close frame. */
    private static final long DRAIN_QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The most a stop waits for the reader to drain the socket; with the close handshake, below the stop timeout. */
    private static final long DRAIN_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Well inside the gateway's 70 s pong deadline, whatever astro.liveness.timeout.ms is. */
    private static final long MAX_KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(20);
    /** Library-level frame ceiling: frames between the configured limit and this are skipped; larger ones close the socket. */
    private static final int HARD_FRAME_CEILING_FACTOR = 4;

    private final SessionSettings settings;
    private final NotificationBuffer buffer;
    private final SessionMetrics metrics;
    private final AstroCodec codec;
    private final Map<String, String> logContext;
    private final RateLimitedLog rateLimitedLog = new RateLimitedLog(30_000);
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>(EVENT_CAPACITY);
    private final Map<Subscription, Tracked> tracked = new LinkedHashMap<>();
    /** Send order of unanswered commands: rate-limit refusals carry no nonce and answer the oldest. */
    private final Map<String, Tracked> outstanding = new LinkedHashMap<>();
    private final ConcurrentHashMap<RouteKey, Tracked> routes = new ConcurrentHashMap<>();
    private final Map<String, List<Tracked>> byTopic;
    private final ReconnectPolicy reconnects;
    private final String noncePrefix = Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-";
    private final Listener listener = new Listener();
    private CommandPacer pacer;
    private long nonceCounter;
    private volatile AstroSocket current;
    private volatile boolean stopping;
    private volatile boolean readerWaiting;
    private Thread thread;

    public AstroSession(SessionSettings settings, List<Subscription> subscriptions, NotificationBuffer buffer,
                        SessionMetrics metrics) {
        this.settings = settings;
        this.buffer = buffer;
        this.metrics = metrics;
        this.codec = new AstroCodec(settings.maxNestingDepth());
        Map<String, String> context = MDC.getCopyOfContextMap();
        this.logContext = context == null ? Collections.emptyMap() : context;
        Map<String, List<Tracked>> topics = new HashMap<>();
        for (Subscription subscription : subscriptions) {
            Tracked t = new Tracked(subscription);
            tracked.put(subscription, t);
            topics.computeIfAbsent(subscription.topic(), k -> new ArrayList<>()).add(t);
            if (!subscription.ownChannel()) {
                routes.put(new RouteKey(subscription.topic(), subscription.room()), t);
            }
        }
        this.byTopic = topics;
        Backoff backoff = new Backoff(settings.backoffInitial().toMillis(), settings.backoffMax().toMillis(),
                settings.backoffMultiplier(), () -> ThreadLocalRandom.current().nextDouble());
        // A connection that outlived the longest backoff delay was worth having: it resets the backoff.
        this.reconnects = new ReconnectPolicy(backoff, settings.backoffMax(), settings.reconnectMaxDuration(),
                settings.retryAfterMax(), System.nanoTime());
    }

    /** Starts the session's thread; returns at once. */
    public void start(String threadName) {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops the session: closes the socket with a normal close and waits (bounded) for the session thread.
     * The caller closes the buffer first, so a reader waiting on a full buffer is released.
     */
    @Override
    public void close() {
        stopping = true;
        Thread t = thread;
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(STOP_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            log.warn("Astro session thread {} did not stop within {} ms", t.getName(), STOP_TIMEOUT_MS);
        }
    }

    private void run() {
        MDC.setContextMap(logContext);
        try {
            connectLoop();
        } catch (SessionFailure e) {
            log.error("{}", e.getMessage());
            buffer.fail(new ConnectException(e.getMessage()));
        } catch (InterruptedException e) {
            log.debug("Astro session interrupted; stopping");
        } catch (RuntimeException e) {
            log.error("Astro session failed unexpectedly; the task will fail", e);
            buffer.fail(new ConnectException("Astro session failed unexpectedly: " + e, e));
        } finally {
            closeSocket(current);
            metrics.connected(false);
        }
    }

    private void connectLoop() throws InterruptedException {
        String resumeToken = null;
        while (!stopping) {
            boolean resuming = resumeToken != null;
            URI uri = resuming ? withReconnectToken(settings.uri(), resumeToken) : settings.uri();
            resumeToken = null;
            AstroSocket socket = AstroSocket.create(uri, listener, hardFrameCeiling(),
                    (int) settings.connectTimeout().toMillis());
            current = socket;
            events.clear();
            log.info("Connecting to Astro at {}{}", displayUri(settings.uri()), resuming ? " with a reconnect token" : "");
            boolean open = socket.connectBlocking(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (stopping) {
                return;
            }
            if (!open) {
                String failure = describeConnectFailure(socket);
                if (resuming) {
                    log.warn("Resuming the Astro session with the reconnect token failed ({}); connecting afresh "
                            + "and subscribing again", failure);
                    metrics.reconnect("resume_refused");
                    resetAllToPending();
                    continue;
                }
                metrics.reconnect(socket.refusal().status() != 0 ? "handshake_refused" : "connect_failed");
                long delay = reconnects.nextDelayMs(socket.refusal().retryAfterMs());
                failIfBudgetSpent(delay, failure);
                log.warn("Could not connect to Astro at {}: {}; retrying in {} ms", displayUri(settings.uri()), failure,
                        delay);
                sleep(delay);
                continue;
            }
            long openedAt = System.nanoTime();
            log.info("Connected to Astro at {}", displayUri(settings.uri()));
            metrics.connected(true);
            Outcome outcome = serve(socket, resuming);
            metrics.connected(false);
            closeSocket(socket);
            if (stopping || outcome.kind == Outcome.Kind.STOPPED) {
                return;
            }
            long now = System.nanoTime();
            reconnects.connectionEnded(openedAt, now);
            if (outcome.kind == Outcome.Kind.RECONNECT_REQUESTED) {
                metrics.reconnect("server_reconnect");
                log.info("Astro asked to reconnect ({}); reconnecting with its reconnect token, subscriptions are "
                        + "restored by the server", outcome.detail);
                resumeToken = outcome.reconnectToken;
                reconnects.handedOver(now);
                continue;
            }
            // The subscriptions went with the connection; the metrics must not show them ACTIVE meanwhile.
            resetAllToPending();
            if (resuming && now - openedAt < settings.welcomeTimeout().toNanos()) {
                metrics.reconnect("resume_refused");
                log.warn("The resumed Astro connection closed at once ({}); connecting afresh and subscribing again",
                        outcome.detail);
                continue;
            }
            metrics.reconnect(outcome.cause);
            long delay = reconnects.nextDelayMs(-1);
            failIfBudgetSpent(delay, outcome.detail);
            log.warn("Connection to Astro lost ({}); reconnecting in {} ms", outcome.detail, delay);
            sleep(delay);
        }
    }

    /** Runs one open connection until it closes, the server asks to reconnect, or the task stops. */
    private Outcome serve(AstroSocket socket, boolean resuming) throws InterruptedException {
        long now = System.nanoTime();
        pacer = new CommandPacer(settings.commandBurst(), settings.commandInterval().toMillis(), now);
        outstanding.clear();
        for (Tracked t : tracked.values()) {
            if (t.state != SubscriptionState.FAILED && (!resuming || t.state != SubscriptionState.ACTIVE)) {
                t.pending(now);
            }
        }
        long welcomeDeadline = now + settings.welcomeTimeout().toNanos();
        boolean welcomed = false;
        boolean announcedAll = false;
        long lastPingNanos = now;
        long lastKeepAliveNanos = now;
        long livenessNanos = settings.livenessTimeout().toNanos();
        long keepAliveNanos = Math.min(livenessNanos / 3, MAX_KEEPALIVE_NANOS);
        while (true) {
            if (stopping) {
                return Outcome.stopped();
            }
            now = System.nanoTime();
            if (!welcomed && now >= welcomeDeadline) {
                welcomed = true;
                log.warn("No welcome from Astro within {} ms; subscribing anyway", settings.welcomeTimeout().toMillis());
            }
            if (welcomed) {
                sendDueSubscribes(socket, now);
                expireUnanswered(now);
            }
            if (!announcedAll && allSettled()) {
                announcedAll = true;
                log.info("Subscribed {} of {} Astro subscriptions{}", count(SubscriptionState.ACTIVE), tracked.size(),
                        count(SubscriptionState.FAILED) > 0 ? " (" + count(SubscriptionState.FAILED) + " failed)" : "");
            }
            long silentNanos = now - socket.lastFrameNanos();
            if (readerWaiting) {
                // The silence is ours: the reader waits for Kafka and cannot read, nor answer, the gateway's pings.
                socket.markAlive();
                if (now - lastKeepAliveNanos >= keepAliveNanos) {
                    lastKeepAliveNanos = now;
                    socket.sendKeepAlive();
                }
            } else if (silentNanos > livenessNanos) {
                log.warn("Nothing received from Astro for {} ms (astro.liveness.timeout.ms={}); dropping the "
                        + "connection as half-open", silentNanos / 1_000_000, settings.livenessTimeout().toMillis());
                socket.closeConnection(CloseFrame.ABNORMAL_CLOSE, "liveness timeout");
                return Outcome.closed("liveness", "no frame for " + silentNanos / 1_000_000 + " ms");
            } else if (silentNanos > livenessNanos / 3 && now - lastPingNanos > livenessNanos / 3) {
                lastPingNanos = now;
                sendPing(socket);
            }
            Event event = events.poll(tick(now, welcomed, welcomeDeadline, livenessNanos), TimeUnit.NANOSECONDS);
            if (event == null || event.socket() != socket) {
                continue;
            }
            if (event instanceof Event.Welcomed) {
                welcomed = true;
            } else if (event instanceof Event.Answer answer) {
                handleResponse(answer.response(), System.nanoTime());
            } else if (event instanceof Event.ReconnectAsked asked) {
                if (asked.reconnect().reconnectToken() == null || asked.reconnect().reconnectToken().isEmpty()) {
                    return Outcome.closed("server_reconnect", "the server asked to reconnect without a token");
                }
                return Outcome.reconnect(asked.reconnect().reconnectToken(),
                        asked.reconnect().message() == null ? "no reason given" : asked.reconnect().message());
            } else if (event instanceof Event.Closed closed) {
                if (socket.closedForFrameTooLarge()) {
                    metrics.malformedFrame("too_large");
                    warn("frame-too-large", "Astro sent a frame over {} bytes (4 x astro.frame.max.bytes); the "
                            + "connection was closed before reading it whole and is opened again. Raise "
                            + "astro.frame.max.bytes if the gateway sends notifications this large",
                            hardFrameCeiling());
                    return Outcome.closed("frame_too_large", "a frame over " + hardFrameCeiling() + " bytes");
                }
                String detail = "close code " + closed.code() + (closed.reason() == null || closed.reason().isEmpty()
                        ? "" : ", " + closed.reason()) + (closed.remote() ? ", by the server" : "");
                return Outcome.closed(closed.remote() && closed.code() != CloseFrame.ABNORMAL_CLOSE
                        ? "closed_by_server" : "connection_lost", detail);
            }
        }
    }

    private long tick(long now, boolean welcomed, long welcomeDeadline, long livenessNanos) {
        long wait = Math.min(MAX_TICK_NANOS, livenessNanos / 4);
        if (!welcomed) {
            wait = Math.min(wait, welcomeDeadline - now);
        } else if (hasDuePending(now)) {
            wait = Math.min(wait, pacer.nanosUntilPermit(now));
        }
        for (Tracked t : outstanding.values()) {
            wait = Math.min(wait, t.sentAt + settings.subscribeTimeout().toNanos() - now);
            break;
        }
        for (Tracked t : tracked.values()) {
            if (t.state == SubscriptionState.PENDING && t.retryAt > now) {
                wait = Math.min(wait, t.retryAt - now);
            }
        }
        return Math.max(1_000_000L, wait);
    }

    private boolean hasDuePending(long now) {
        for (Tracked t : tracked.values()) {
            if (t.state == SubscriptionState.PENDING && t.retryAt <= now) {
                return true;
            }
        }
        return false;
    }

    private void sendDueSubscribes(AstroSocket socket, long now) {
        for (Tracked t : tracked.values()) {
            if (t.state != SubscriptionState.PENDING || t.retryAt > now) {
                continue;
            }
            if (!pacer.tryAcquire(now)) {
                return;
            }
            String nonce = noncePrefix + (++nonceCounter);
            String command = codec.subscribe(nonce, t.subscription.topic(), t.subscription.room(),
                    settings.token().value(), settings.tokenType());
            try {
                socket.send(command);
            } catch (WebsocketNotConnectedException e) {
                return;
            }
            t.subscribing(nonce, now);
            outstanding.put(nonce, t);
            log.debug("Subscribing to {} (nonce {})", t.subscription, nonce);
        }
    }

    private void expireUnanswered(long now) {
        long timeout = settings.subscribeTimeout().toNanos();
        Iterator<Tracked> it = outstanding.values().iterator();
        while (it.hasNext()) {
            Tracked t = it.next();
            if (now - t.sentAt < timeout) {
                return;
            }
            it.remove();
            long delay = t.nextRetryDelayMs();
            t.pending(now + TimeUnit.MILLISECONDS.toNanos(delay));
            warn("subscribe-timeout", "No answer from Astro to the subscribe for {} within {} ms "
                    + "(astro.subscribe.timeout.ms); retrying in {} ms", t.subscription,
                    settings.subscribeTimeout().toMillis(), delay);
        }
    }

    private void handleResponse(AstroMessage.Response response, long now) {
        Tracked t = response.nonce() == null ? null : outstanding.remove(response.nonce());
        if (t == null) {
            if (response.isError() && response.errorCode() == ErrorCode.RATE_LIMIT_EXCEEDED) {
                metrics.rateLimitResponse();
                Iterator<Tracked> oldest = outstanding.values().iterator();
                rateLimited(oldest.hasNext() ? removeFirst(oldest) : null, now);
            } else if (response.isError()) {
                warn("unmatched-error", "Astro answered {} ({}) to a command this task cannot match; ignoring it",
                        response.error(), safe(response.message()));
            } else {
                log.debug("Ignoring an Astro response that matches no pending subscribe");
            }
            return;
        }
        if (!response.isError()) {
            String room = response.room() == null || response.room().isEmpty() ? t.subscription.room() : response.room();
            t.active(room);
            if (!room.isEmpty()) {
                routes.put(new RouteKey(t.subscription.topic(), room), t);
            }
            log.debug("Subscribed to {} (room {})", t.subscription, room);
            return;
        }
        ErrorCode code = response.errorCode();
        switch (code.handling()) {
            case PERMANENT:
                refusedPermanently(t, response);
                break;
            case RATE_LIMITED:
                metrics.rateLimitResponse();
                rateLimited(t, now);
                break;
            default:
                long delay = t.nextRetryDelayMs();
                t.pending(now + TimeUnit.MILLISECONDS.toNanos(delay));
                warn("retry-" + code.wire(), "Astro answered {} ({}) to the subscribe for {}; retrying in {} ms",
                        response.error(), safe(response.message()), t.subscription, delay);
        }
    }

    private static Tracked removeFirst(Iterator<Tracked> it) {
        Tracked first = it.next();
        it.remove();
        return first;
    }

    private void rateLimited(Tracked t, long now) {
        long pauseMs = Math.max(settings.commandInterval().toMillis() * 10, settings.backoffInitial().toMillis());
        pacer.pause(now, TimeUnit.MILLISECONDS.toNanos(pauseMs));
        if (t != null) {
            t.pending(now);
        }
        warn("rate-limit", "Astro answered rate_limit_exceeded{}; pausing subscribes for {} ms and retrying",
                t == null ? "" : " to the subscribe for " + t.subscription, pauseMs);
    }

    private void refusedPermanently(Tracked t, AstroMessage.Response response) {
        String reason = "Astro refused the subscription " + t.subscription + " with " + response.error()
                + " (" + safe(response.message()) + "). " + hint(response.errorCode());
        if (settings.subscriptionErrorPolicy() == SubscriptionErrorPolicy.FAIL) {
            t.failed(response.error());
            throw new SessionFailure(reason + " The task fails because astro.subscription.error.policy=fail.");
        }
        t.failed(response.error());
        log.error("{} Skipping it because astro.subscription.error.policy=skip; the other subscriptions go on.", reason);
    }

    private static String hint(ErrorCode code) {
        if (code == ErrorCode.UNAUTHORIZED) {
            return "Check astro.token and astro.token.type, and that the token's account may read this topic "
                    + "for this room.";
        }
        return "Check the topic and room in astro.subscriptions, and that the gateway's subscription limit is not "
                + "exceeded.";
    }

    private boolean allSettled() {
        for (Tracked t : tracked.values()) {
            if (t.state == SubscriptionState.PENDING || t.state == SubscriptionState.SUBSCRIBING) {
                return false;
            }
        }
        return true;
    }

    private int count(SubscriptionState state) {
        int n = 0;
        for (Tracked t : tracked.values()) {
            if (t.state == state) {
                n++;
            }
        }
        return n;
    }

    private void resetAllToPending() {
        long now = System.nanoTime();
        for (Tracked t : tracked.values()) {
            if (t.state != SubscriptionState.FAILED) {
                t.pending(now);
            }
        }
    }

    /** Fails the session when the next attempt, {@code delayMs} from now, would start after the budget is spent. */
    private void failIfBudgetSpent(long delayMs, String lastFailure) {
        long now = System.nanoTime();
        if (!reconnects.budgetSpentBy(now, delayMs)) {
            return;
        }
        throw new SessionFailure("No healthy connection to Astro at " + displayUri(settings.uri()) + " for "
                + reconnects.unhealthyForMs(now) + " ms, and the next attempt in " + delayMs + " ms would exceed "
                + "reconnect.max.duration.ms=" + settings.reconnectMaxDuration().toMillis() + " (last problem: "
                + lastFailure + "). Check astro.url, the network and the gateway's status, then restart the task.");
    }

    private void sleep(long delayMs) throws InterruptedException {
        if (delayMs > 0) {
            Thread.sleep(delayMs);
        }
    }

    private void sendPing(AstroSocket socket) {
        try {
            socket.sendPing();
        } catch (WebsocketNotConnectedException e) {
            log.debug("Could not ping Astro: not connected");
        }
    }

    /**
     * Closes with a normal close handshake, or lets one already under way finish. A socket still connecting is
     * aborted instead, which also ends a reader thread blocked in the TCP connect or the handshake.
     */
    private void closeSocket(AstroSocket socket) {
        if (socket == null || socket.isClosed()) {
            return;
        }
        if (socket.isOpen()) {
            if (stopping && buffer.closedWhenFull()) {
                awaitReaderDrained(socket);
            }
            socket.close(CloseFrame.NORMAL, stopping ? "task stopping" : "reconnecting");
        } else if (!socket.isClosing()) {
            socket.abort();
            return;
        }
        if (!socket.awaitClosed(CLOSE_HANDSHAKE_TIMEOUT_MS)) {
            socket.closeConnection(CloseFrame.ABNORMAL_CLOSE, "close handshake timed out");
        }
    }

    /**
     * Lets the reader read what has already arrived before the close frame goes out, when the task stops with a
     * full buffer (its reader blocked, or about to be). Java-WebSocket stops reading once it has sent its close
     * frame and closes the TCP socket right away; a socket closed with much unread data resets the connection, and
     * the reset can make the gateway drop the close frame unread, so that it sees an abnormal close. The task's
     * buffer is closed by now, so the reader only discards: what it reads now is lost, as it would be unread. Waits
     * until the reader is not blocked on the buffer and no frame has arrived for {@link #DRAIN_QUIET_NANOS}, at
     * most {@link #DRAIN_MAX_NANOS}: a gateway that never stops sending gets its close frame anyway. Not done for a
     * reader that kept up: frames the gateway sends meanwhile would be read and lost, where a prompt close leaves
     * them to whichever connection is subscribed by then (on a rebalance, perhaps the task that replaces this one).
     */
    private void awaitReaderDrained(AstroSocket socket) {
        // Connect's stop interrupts this thread; the wait is short and bounded, so the interrupt waits for it.
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + DRAIN_MAX_NANOS;
        try {
            while (System.nanoTime() < deadline && !socket.isClosed()
                    && (readerWaiting || System.nanoTime() - socket.lastFrameNanos() < DRAIN_QUIET_NANOS)) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private int hardFrameCeiling() {
        long ceiling = (long) settings.maxFrameBytes() * HARD_FRAME_CEILING_FACTOR;
        return (int) Math.min(Integer.MAX_VALUE, ceiling);
    }

    private String describeConnectFailure(AstroSocket socket) {
        HandshakeRefusal refusal = socket.refusal();
        if (refusal.status() != 0) {
            return "handshake refused with HTTP " + refusal.status()
                    + (refusal.retryAfterMs() >= 0 ? " (Retry-After " + refusal.retryAfterMs() / 1000 + " s)" : "");
        }
        if (socket.failure() != null) {
            return socket.failure();
        }
        String closed = socket.closeDescription();
        return closed != null ? "closed right after the handshake (" + closed + ")"
                : "no answer within astro.connect.timeout.ms=" + settings.connectTimeout().toMillis();
    }

    /** The gateway address without its query, which may hold a reconnect token. */
    static String displayUri(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + (uri.getPath() == null ? "" : uri.getPath());
    }

    static URI withReconnectToken(URI base, String token) {
        String query = "reconnect_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        String text = base.toString();
        return URI.create(text + (base.getRawQuery() == null ? "?" : "&") + query);
    }

    /** A server message, cut short and with the token removed, in case the server ever echoes it. */
    private String safe(String message) {
        if (message == null) {
            return "no message";
        }
        String token = settings.token().value();
        String cleaned = token == null || token.isEmpty() ? message : message.replace(token, "[hidden]");
        return cleaned.length() > 200 ? cleaned.substring(0, 200) + "…" : cleaned;
    }

    private void warn(String kind, String format, Object... args) {
        long suppressed = rateLimitedLog.admit(kind, System.nanoTime());
        if (suppressed < 0) {
            return;
        }
        if (suppressed > 0) {
            log.warn(format + " (" + suppressed + " similar warnings suppressed)", args);
        } else {
            log.warn(format, args);
        }
    }

    /**
     * Whether the text takes more than {@code limit} bytes in UTF-8. Counted only when its length in characters
     * leaves the answer open: a character takes one to three bytes, a surrogate pair four.
     */
    static boolean exceedsUtf8Bytes(String text, int limit) {
        if (text.length() > limit) {
            return true;
        }
        if ((long) text.length() * 3 <= limit) {
            return false;
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            if (bytes > limit) {
                return true;
            }
        }
        return false;
    }

    /** Routes a notification to the subscription it is for; null when this task never subscribed to it. */
    private Tracked route(AstroMessage.Notification n) {
        if (n.room() != null) {
            return routes.get(new RouteKey(n.topic(), n.room()));
        }
        List<Tracked> candidates = byTopic.get(n.topic());
        return candidates != null && candidates.size() == 1 ? candidates.get(0) : null;
    }

    private void deliver(AstroSocket socket, AstroMessage.Notification n) {
        Tracked t = route(n);
        if (t == null) {
            metrics.malformedFrame("unsubscribed");
            warn("unsubscribed", "Dropping notification {} for {}:{}, which this task did not subscribe to",
                    n.id(), n.topic(), n.room() == null ? "(no room)" : n.room());
            return;
        }
        String room = n.room() != null ? n.room() : t.confirmedRoom();
        metrics.notificationReceived(t.subscription, n.ts().toEpochMilli());
        readerWaiting = true;
        try {
            if (!buffer.put(new Delivery(t.subscription, room, n))) {
                log.debug("Task stopping; notification {} for {} not handed over", n.id(), t.subscription);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            readerWaiting = false;
            socket.markAlive();
        }
    }

    private void malformed(String kind, String reason) {
        metrics.malformedFrame(kind);
        warn("malformed-" + kind, "Ignoring a frame from Astro: {}; the session goes on", reason);
    }

    /** Callbacks of the current socket; run on Java-WebSocket's reader thread, never block except on the buffer. */
    private final class Listener implements AstroSocket.Listener {

        @Override
        public void onOpen(AstroSocket socket) {
            // Nothing to do: the socket runs every callback in the task's log context already.
        }

        @Override
        public void onText(AstroSocket socket, String text) {
            if (socket != current) {
                return;
            }
            if (exceedsUtf8Bytes(text, settings.maxFrameBytes())) {
                malformed("too_large", "a frame of " + text.length() + " characters is over astro.frame.max.bytes="
                        + settings.maxFrameBytes() + " bytes");
                return;
            }
            AstroMessage message = codec.decode(text);
            if (message instanceof AstroMessage.Notification n) {
                deliver(socket, n);
            } else if (message instanceof AstroMessage.Response r) {
                offer(new Event.Answer(socket, r));
            } else if (message instanceof AstroMessage.Welcome) {
                offer(new Event.Welcomed(socket));
            } else if (message instanceof AstroMessage.Reconnect r) {
                offer(new Event.ReconnectAsked(socket, r));
            } else if (message instanceof AstroMessage.Unknown u) {
                malformed("unknown_type", "unknown message type '" + truncate(u.type()) + "'");
            } else if (message instanceof AstroMessage.Malformed m) {
                malformed(m.kind().metricName(), m.reason());
            }
        }

        @Override
        public void onBinary(AstroSocket socket, int bytes) {
            if (socket == current) {
                malformed("binary", "a binary frame of " + bytes + " bytes (Astro sends text frames only)");
            }
        }

        @Override
        public void onClosed(AstroSocket socket, int code, String reason, boolean remote) {
            offer(new Event.Closed(socket, code, reason, remote));
        }

        @Override
        public void onError(AstroSocket socket, Exception error) {
            socket.failure(error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage()));
            log.debug("Websocket error on the Astro connection", error);
        }

        private void offer(Event event) {
            if (!events.offer(event)) {
                warn("events-full", "Dropping a gateway message: the session is {} messages behind", EVENT_CAPACITY);
            }
        }

        private String truncate(String s) {
            return s.length() > 40 ? s.substring(0, 40) + "…" : s;
        }
    }

    /** The session thread's view of one subscription on the current connection. */
    private final class Tracked {
        final Subscription subscription;
        SubscriptionState state = SubscriptionState.PENDING;
        long retryAt;
        long sentAt;
        int attempts;
        volatile String confirmedRoom;

        Tracked(Subscription subscription) {
            this.subscription = subscription;
            this.confirmedRoom = subscription.room();
        }

        String confirmedRoom() {
            return confirmedRoom;
        }

        void pending(long retryAtNanos) {
            state = SubscriptionState.PENDING;
            retryAt = retryAtNanos;
            metrics.subscriptionState(subscription, state);
        }

        void subscribing(String nonce, long now) {
            state = SubscriptionState.SUBSCRIBING;
            sentAt = now;
            metrics.subscriptionState(subscription, state);
        }

        void active(String room) {
            state = SubscriptionState.ACTIVE;
            attempts = 0;
            confirmedRoom = room;
            metrics.subscriptionState(subscription, state);
            metrics.confirmedRoom(subscription, room);
        }

        void failed(String code) {
            state = SubscriptionState.FAILED;
            metrics.subscriptionState(subscription, state);
            metrics.subscribeError(subscription, code);
        }

        long nextRetryDelayMs() {
            double ceiling = Math.min(settings.backoffMax().toMillis(),
                    settings.backoffInitial().toMillis() * Math.pow(settings.backoffMultiplier(), attempts));
            attempts++;
            return (long) (ThreadLocalRandom.current().nextDouble() * ceiling);
        }
    }

    private record RouteKey(String topic, String room) { }

    private sealed interface Event {
        AstroSocket socket();

        record Welcomed(AstroSocket socket) implements Event { }

        record Answer(AstroSocket socket, AstroMessage.Response response) implements Event { }

        record ReconnectAsked(AstroSocket socket, AstroMessage.Reconnect reconnect) implements Event { }

        record Closed(AstroSocket socket, int code, String reason, boolean remote) implements Event { }
    }

    private static final class Outcome {
        enum Kind { STOPPED, CLOSED, RECONNECT_REQUESTED }

        final Kind kind;
        final String cause;
        final String detail;
        final String reconnectToken;

        private Outcome(Kind kind, String cause, String detail, String reconnectToken) {
            this.kind = kind;
            this.cause = cause;
            this.detail = detail;
            this.reconnectToken = reconnectToken;
        }

        static Outcome stopped() {
            return new Outcome(Kind.STOPPED, null, "stopping", null);
        }

        static Outcome closed(String cause, String detail) {
            return new Outcome(Kind.CLOSED, cause, detail, null);
        }

        static Outcome reconnect(String token, String detail) {
            return new Outcome(Kind.RECONNECT_REQUESTED, "server_reconnect", detail, token);
        }
    }

    /** A failure the session cannot recover from; its message is what the user reads in the task's status. */
    private static final class SessionFailure extends RuntimeException {
        SessionFailure(String message) {
            super(message, null, false, false);
        }
    }
}
