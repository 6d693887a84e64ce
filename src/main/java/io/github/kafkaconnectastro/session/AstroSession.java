package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.auth.Credentials;
import io.github.kafkaconnectastro.subscribe.Routes;
import io.github.kafkaconnectastro.subscribe.SubscriptionState;
import io.github.kafkaconnectastro.subscribe.SubscriptionTracker;
import io.github.kafkaconnectastro.transport.AstroSocket;
import io.github.kafkaconnectastro.transport.FrameFault;
import io.github.kafkaconnectastro.util.Backoff;
import io.github.kafkaconnectastro.util.RateLimitedLog;
import io.github.kafkaconnectastro.util.PermanentFailure;

import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.util.SafeText;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A task's connection to the Astro gateway, for as long as the task runs: connects, serves the connection
 * (welcome, subscribes, liveness), reconnects with backoff, resumes with the gateway's reconnect token, and
 * stops. One thread of its own runs all of it; the connection's reader thread only routes frames
 * ({@link FrameRouter}), and what to subscribe when is the {@link SubscriptionTracker}'s, so no reconnect ever
 * runs inside a socket callback. A permanent failure is handed to the buffer, whose next {@code poll()} fails
 * the task with a message naming what to fix. A renewed token ({@link Credentials#version()}) is taken into use
 * make-before-break: a new connection subscribes with it while the old one still delivers, then the old one closes.
 */
public final class AstroSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AstroSession.class);
    private static final int EVENT_CAPACITY = 10_000;
    private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long STOP_TIMEOUT_MS = 5_000;
    private static final long TOKEN_WAIT_MS = 200;
    /**
     * A loaded worker can take a while to answer the gateway's close frame; past this the socket is dropped without
     * one. Below {@link #STOP_TIMEOUT_MS}, so that a stop still ends within Connect's graceful shutdown time.
     */
    private static final long CLOSE_HANDSHAKE_TIMEOUT_MS = 4_000;
    /** Well inside the gateway's 70 s pong deadline, whatever astro.liveness.timeout.ms is. */
    private static final long MAX_KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(20);
    /** Library-level frame ceiling: frames between the configured limit and this are skipped; larger ones close the socket. */
    private static final int HARD_FRAME_CEILING_FACTOR = 4;

    private final SessionSettings settings;
    private final NotificationBuffer buffer;
    private final SessionMetrics metrics;
    private final AstroCodec codec;
    private final Map<String, String> logContext;
    private final RateLimitedLog warnings = new RateLimitedLog(30_000);
    private final BlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>(EVENT_CAPACITY);
    private final SubscriptionTracker tracker;
    private final FrameRouter router;
    private final ReconnectPolicy reconnects;
    private final SocketListener listener = new SocketListener();
    private volatile AstroSocket current;
    /** The connection being replaced because of a renewed token, while its successor subscribes; else null. */
    private volatile AstroSocket outgoing;
    private volatile boolean stopping;
    private Thread thread;

    public AstroSession(SessionSettings settings, List<Subscription> subscriptions, NotificationBuffer buffer,
                        SessionMetrics metrics) {
        this.settings = settings;
        this.buffer = buffer;
        this.metrics = metrics;
        this.codec = new AstroCodec(settings.maxNestingDepth());
        Map<String, String> context = MDC.getCopyOfContextMap();
        this.logContext = context == null ? Collections.emptyMap() : context;
        Routes routes = new Routes(subscriptions, metrics);
        this.tracker = new SubscriptionTracker(subscriptions, settings, routes, metrics, warnings);
        this.router = new FrameRouter(codec, settings.maxFrameBytes(), routes, buffer, metrics, warnings,
                events::offer);
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
        } catch (PermanentFailure e) {
            log.error("{}", e.getMessage());
            buffer.fail(new ConnectException(e.getMessage()));
        } catch (InterruptedException e) {
            log.debug("Astro session interrupted; stopping");
        } catch (RuntimeException e) {
            log.error("Astro session failed unexpectedly; the task will fail", e);
            buffer.fail(new ConnectException("Astro session failed unexpectedly: " + e, e));
        } finally {
            closeOutgoing();
            closeSocket(current);
            metrics.connected(false);
        }
    }

    private void connectLoop() throws InterruptedException {
        String resumeToken = null;
        AstroSocket handover = null;
        while (!stopping) {
            awaitToken();
            boolean resuming = resumeToken != null;
            URI uri = resuming ? withReconnectToken(settings.uri(), resumeToken) : settings.uri();
            resumeToken = null;
            long tokenVersion = settings.credentials().version();
            AstroSocket socket = AstroSocket.create(uri, listener, settings.transport(), settings.connectTimeout(),
                    hardFrameCeiling());
            if (handover == null) {
                retire(current);
            }
            // Make-before-break: the connection being replaced keeps delivering until the new one is subscribed.
            outgoing = handover;
            current = socket;
            events.clear();
            log.info("Connecting to Astro at {}{}", SafeText.displayUri(settings.uri()),
                    resuming ? " with a reconnect token" : handover != null ? " with a renewed token" : "");
            boolean open = socket.openBlocking(settings.connectTimeout().toMillis());
            if (stopping) {
                return;
            }
            if (!open && handover != null) {
                log.warn("Could not open a connection {} ({}); closing the old one and reconnecting",
                        resuming ? "with the reconnect token" : "with the renewed token",
                        socket.describeConnectFailure(settings.connectTimeout().toMillis(),
                        settings.retryAfterMax().toMillis()));
                closeOutgoing();
                metrics.connected(false);
                tracker.connectionLost(System.nanoTime());
            }
            handover = null;
            if (!open) {
                String failure = socket.describeConnectFailure(settings.connectTimeout().toMillis(),
                        settings.retryAfterMax().toMillis());
                if (resuming) {
                    log.warn("Resuming the Astro session with the reconnect token failed ({}); connecting afresh "
                            + "and subscribing again", failure);
                    metrics.reconnect(ReconnectCause.RESUME_REFUSED);
                    tracker.connectionLost(System.nanoTime());
                    continue;
                }
                metrics.reconnect(socket.refusal().status() != 0 ? ReconnectCause.HANDSHAKE_REFUSED
                        : ReconnectCause.CONNECT_FAILED);
                long delay = nextDelayOrFail(socket.refusal().retryAfterMs(), failure);
                log.warn("Could not connect to Astro at {}: {}; retrying in {} ms", SafeText.displayUri(settings.uri()),
                        failure, delay);
                Thread.sleep(delay);
                continue;
            }
            long openedAt = System.nanoTime();
            log.info("Connected to Astro at {}", SafeText.displayUri(settings.uri()));
            metrics.connected(true);
            Outcome outcome = serve(socket, resuming, tokenVersion);
            closeOutgoing();
            if (outcome.kind == Outcome.Kind.TOKEN_RENEWED && !stopping) {
                metrics.reconnect(ReconnectCause.TOKEN_RENEWED);
                log.info("A renewed token is to be used; opening a new connection, the current one stays until "
                        + "the new one is subscribed");
                handover = socket;
                continue;
            }
            if (outcome.kind == Outcome.Kind.RECONNECT_REQUESTED && !stopping) {
                // Make-before-break here too: this connection delivers until the server closes it or the resumed
                // one is open with the subscriptions the server restores; duplicates across both are dropped.
                long now = System.nanoTime();
                reconnects.connectionEnded(openedAt, now);
                metrics.reconnect(ReconnectCause.SERVER_RECONNECT);
                log.info("Astro asked to reconnect ({}); opening a new connection with its reconnect token, on "
                        + "which the server restores the subscriptions, while this one still delivers", outcome.detail);
                resumeToken = outcome.reconnectToken;
                reconnects.handedOver(now);
                handover = socket;
                continue;
            }
            metrics.connected(false);
            retire(socket);
            closeSocket(socket);
            if (stopping || outcome.kind == Outcome.Kind.STOPPED) {
                return;
            }
            long now = System.nanoTime();
            reconnects.connectionEnded(openedAt, now);
            // The subscriptions went with the connection; the metrics must not show them ACTIVE meanwhile.
            tracker.connectionLost(now);
            if (resuming && now - openedAt < settings.welcomeTimeout().toNanos()) {
                metrics.reconnect(ReconnectCause.RESUME_REFUSED);
                log.warn("The resumed Astro connection closed at once ({}); connecting afresh and subscribing again",
                        outcome.detail);
                continue;
            }
            metrics.reconnect(outcome.cause);
            long delay = nextDelayOrFail(-1, outcome.detail);
            log.warn("Connection to Astro lost ({}); reconnecting in {} ms", outcome.detail, delay);
            Thread.sleep(delay);
        }
    }

    /** Waits, before connecting, for credentials that have no token yet (an OAuth2 token still being obtained). */
    private void awaitToken() throws InterruptedException {
        boolean logged = false;
        while (!stopping && settings.token() == null) {
            if (!logged) {
                logged = true;
                log.info("Waiting for an access token before connecting to Astro");
            }
            Thread.sleep(TOKEN_WAIT_MS);
        }
    }

    /** Closes the connection a renewed token replaced, once its successor is subscribed (or gone). */
    private void closeOutgoing() {
        AstroSocket old = outgoing;
        if (old != null) {
            outgoing = null;
            retire(old);
            closeSocket(old);
        }
    }

    /**
     * The delay before the next attempt (at least {@code retryAfterMs});
     *
     * @throws PermanentFailure when the next attempt would start after the reconnect budget is spent
     */
    private long nextDelayOrFail(long retryAfterMs, String problem) {
        long delay = reconnects.nextDelayMs(retryAfterMs);
        long now = System.nanoTime();
        if (reconnects.budgetSpentBy(now, delay)) {
            throw new PermanentFailure("No healthy connection to Astro at " + SafeText.displayUri(settings.uri())
                    + " for " + reconnects.unhealthyForMs(now) + " ms, and the next attempt in " + delay + " ms would "
                    + "exceed reconnect.max.duration.ms=" + settings.reconnectMaxDuration().toMillis() + " (last "
                    + "problem: " + problem + "). Check astro.url, the network and the gateway's status, then "
                    + "restart the task.");
        }
        return delay;
    }

    /**
     * Runs one open connection until it closes, the server asks to reconnect, a renewed token is to be used, or the
     * task stops. A connection it replaces ({@link #outgoing}) is closed as soon as this one's subscribes are settled.
     */
    private Outcome serve(AstroSocket socket, boolean resuming, long tokenVersion) throws InterruptedException {
        long now = System.nanoTime();
        tracker.connectionOpened(now, resuming);
        long welcomeDeadline = now + settings.welcomeTimeout().toNanos();
        boolean welcomed = false;
        boolean announcedAll = false;
        long lastPingNanos = now;
        long lastKeepAliveNanos = now;
        long livenessNanos = settings.livenessTimeout().toNanos();
        long keepAliveNanos = Math.min(livenessNanos / 3, MAX_KEEPALIVE_NANOS);
        SubscriptionTracker.Sender sender = (nonce, s) -> socket.trySend(codec.subscribe(nonce, s.topic(), s.room(),
                settings.token().value(), settings.tokenType()));
        while (!stopping) {
            now = System.nanoTime();
            if (!welcomed && now - welcomeDeadline >= 0) {
                welcomed = true;
                log.warn("No welcome from Astro within {} ms; subscribing anyway", settings.welcomeTimeout().toMillis());
            }
            if (welcomed) {
                tracker.sendDue(now, sender);
                tracker.expireUnanswered(now);
            }
            if (outgoing != null && (tracker.allSettled() || now - welcomeDeadline
                    - settings.subscribeTimeout().toNanos() >= 0)) {
                closeOutgoing();
            }
            if (outgoing == null && tracker.allSettled()
                    && settings.credentials().version() != tokenVersion) {
                return Outcome.tokenRenewed();
            }
            if (!announcedAll && tracker.allSettled()) {
                announcedAll = true;
                int failed = tracker.count(SubscriptionState.FAILED);
                log.info("Subscribed {} of {} Astro subscriptions{}", tracker.count(SubscriptionState.ACTIVE),
                        tracker.size(), failed > 0 ? " (" + failed + " failed)" : "");
            }
            long silentNanos = now - socket.lastFrameNanos();
            if (socket.readerWaiting()) {
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
                return Outcome.closed(ReconnectCause.LIVENESS, "no frame for " + silentNanos / 1_000_000 + " ms");
            } else if (silentNanos > livenessNanos / 3 && now - lastPingNanos > livenessNanos / 3) {
                lastPingNanos = now;
                ping(socket);
            }
            long tick = Math.min(MAX_TICK_NANOS, livenessNanos / 4);
            tick = welcomed ? tracker.nanosUntilDue(now, tick) : Math.min(tick, welcomeDeadline - now);
            SessionEvent event = events.poll(Math.max(1_000_000L, tick), TimeUnit.NANOSECONDS);
            if (event == null || event.source() != socket) {
                continue;
            }
            if (event instanceof SessionEvent.Welcomed) {
                welcomed = true;
            } else if (event instanceof SessionEvent.Answer answer) {
                tracker.onResponse(answer.response(), System.nanoTime());
            } else if (event instanceof SessionEvent.ReconnectAsked asked) {
                String token = asked.reconnect().reconnectToken();
                if (token == null || token.isEmpty()) {
                    return Outcome.closed(ReconnectCause.SERVER_RECONNECT, "the server asked to reconnect without a token");
                }
                String message = asked.reconnect().message();
                return Outcome.reconnect(token, message == null ? "no reason given"
                        : SafeText.serverText(message, settings.token()));
            } else if (event instanceof SessionEvent.Closed closed) {
                return closedOutcome(socket, closed);
            }
        }
        return Outcome.stopped();
    }

    private Outcome closedOutcome(AstroSocket socket, SessionEvent.Closed closed) {
        FrameFault fault = socket.frameFault();
        if (fault != null) {
            metrics.malformedFrame(fault.kind());
            warnings.warn(log, "frame-fault-" + fault.kind(), "{}",
                    fault.warning(hardFrameCeiling(), socket.frameFaultReason()));
            return Outcome.closed(ReconnectCause.of(fault), fault.detail(hardFrameCeiling(), socket.frameFaultReason()));
        }
        String reason = closed.reason() == null || closed.reason().isEmpty() ? ""
                : ", " + SafeText.serverText(closed.reason(), settings.token());
        String detail = "close code " + closed.code() + reason + (closed.remote() ? ", by the server" : "");
        return Outcome.closed(closed.remote() && closed.code() != CloseFrame.ABNORMAL_CLOSE
                ? ReconnectCause.CLOSED_BY_SERVER : ReconnectCause.CONNECTION_LOST, detail);
    }

    private static void ping(AstroSocket socket) {
        try {
            socket.sendPing();
        } catch (WebsocketNotConnectedException e) {
            log.debug("Could not ping Astro: not connected");
        }
    }

    /** Gives a connection up: its reader stops waiting for room in the buffer, and drops what it holds. */
    private void retire(AstroSocket socket) {
        if (socket != null && !socket.retired()) {
            socket.retire();
            buffer.wakeWaiters();
        }
    }

    private void closeSocket(AstroSocket socket) {
        if (socket != null) {
            socket.shutdown(stopping ? "task stopping" : "reconnecting", stopping && buffer.closedWhenFull(),
                    CLOSE_HANDSHAKE_TIMEOUT_MS);
        }
    }

    private int hardFrameCeiling() {
        long ceiling = (long) settings.maxFrameBytes() * HARD_FRAME_CEILING_FACTOR;
        return (int) Math.min(Integer.MAX_VALUE, ceiling);
    }

    static URI withReconnectToken(URI base, String token) {
        String query = "reconnect_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        String text = base.toString();
        return URI.create(text + (base.getRawQuery() == null ? "?" : "&") + query);
    }

    /** Callbacks of the sockets; run on Java-WebSocket's reader thread, never block except on the buffer. */
    private final class SocketListener implements AstroSocket.Listener {

        @Override
        public void onOpen(AstroSocket socket) {
            // Nothing to do: the socket runs every callback in the task's log context already.
        }

        @Override
        public void onText(AstroSocket socket, String text) {
            if (socket == current || socket == outgoing) {
                router.onText(socket, text);
            }
        }

        @Override
        public void onBinary(AstroSocket socket, int bytes) {
            if (socket == current || socket == outgoing) {
                router.onBinary(bytes);
            }
        }

        @Override
        public void onClosed(AstroSocket socket, int code, String reason, boolean remote) {
            if (!events.offer(new SessionEvent.Closed(socket, code, reason, remote))) {
                log.warn("Could not hand the close of the Astro connection to the session: it is {} events behind",
                        EVENT_CAPACITY);
            }
        }

        @Override
        public void onError(AstroSocket socket, Exception error) {
            socket.failure(error, settings.token());
            log.debug("Websocket error on the Astro connection", error);
        }
    }

    /** How one connection ended. */
    private record Outcome(Kind kind, ReconnectCause cause, String detail, String reconnectToken) {
        enum Kind { STOPPED, CLOSED, RECONNECT_REQUESTED, TOKEN_RENEWED }

        static Outcome stopped() {
            return new Outcome(Kind.STOPPED, null, "stopping", null);
        }

        static Outcome closed(ReconnectCause cause, String detail) {
            return new Outcome(Kind.CLOSED, cause, detail, null);
        }

        static Outcome tokenRenewed() {
            return new Outcome(Kind.TOKEN_RENEWED, ReconnectCause.TOKEN_RENEWED, "a renewed token", null);
        }

        static Outcome reconnect(String token, String detail) {
            return new Outcome(Kind.RECONNECT_REQUESTED, ReconnectCause.SERVER_RECONNECT, detail, token);
        }

        /** Without the reconnect token, which resumes the session's subscriptions: a secret. */
        @Override
        public String toString() {
            return "Outcome[" + kind + ", " + cause + ", " + detail + "]";
        }
    }
}
