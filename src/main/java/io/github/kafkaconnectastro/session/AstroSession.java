package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.auth.Credentials;
import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.subscribe.Routes;
import io.github.kafkaconnectastro.subscribe.SubscriptionState;
import io.github.kafkaconnectastro.subscribe.SubscriptionTracker;
import io.github.kafkaconnectastro.transport.AstroSocket;
import io.github.kafkaconnectastro.transport.FrameFault;
import io.github.kafkaconnectastro.util.Backoff;
import io.github.kafkaconnectastro.util.ContextThread;
import io.github.kafkaconnectastro.util.PermanentFailure;
import io.github.kafkaconnectastro.util.RateLimitedLog;
import io.github.kafkaconnectastro.util.SafeText;
import org.apache.kafka.connect.errors.ConnectException;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A task's connection to the Astro gateway, for as long as the task runs: connects, serves the connection
 * (welcome, subscribes, liveness), reconnects with backoff, resumes with the gateway's reconnect token, and
 * stops. One thread of its own runs all of it; the connection's reader thread only routes frames
 * ({@link ConnectionListener}, {@link FrameRouter}), and what to subscribe when is the {@link SubscriptionTracker}'s,
 * so no reconnect ever runs inside a socket callback. A permanent failure is handed to the buffer, whose next
 * {@code poll()} fails the task with a message naming what to fix. A renewed token ({@link Credentials#version()})
 * and the gateway's reconnect request are taken make-before-break: a new connection subscribes (or is restored)
 * while the old one still delivers ({@link Connections}), then the old one closes. Silence is watched by
 * {@link Liveness}, when to try again by the {@link ReconnectPolicy}.
 */
public final class AstroSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AstroSession.class);
    private static final int EVENT_CAPACITY = 10_000;
    private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final long TOKEN_WAIT_MS = 200;

    private final SessionSettings settings;
    private final NotificationBuffer buffer;
    private final SessionListener metrics;
    private final AstroCodec codec;
    private final RateLimitedLog warnings = new RateLimitedLog(30_000);
    private final BlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>(EVENT_CAPACITY);
    private final SubscriptionTracker tracker;
    private final ReconnectPolicy reconnects;
    private final ConnectionListener listener;
    private final Connections connections;
    private volatile boolean stopping;
    private final ContextThread thread = new ContextThread(this::run, STOP_TIMEOUT);

    public AstroSession(SessionSettings settings, List<Subscription> subscriptions, NotificationBuffer buffer,
                        SessionListener metrics) {
        this.settings = settings;
        this.buffer = buffer;
        this.metrics = metrics;
        this.codec = new AstroCodec(settings.maxNestingDepth(), settings.payloads());
        this.connections = new Connections(buffer, () -> stopping);
        Routes routes = new Routes(subscriptions, metrics);
        this.tracker = new SubscriptionTracker(subscriptions, settings, routes, metrics, warnings);
        FrameRouter router = new FrameRouter(codec, settings.maxFrameBytes(), routes, buffer, metrics, warnings,
                events::offer);
        this.listener = new ConnectionListener(connections, router, events::offer, EVENT_CAPACITY, settings);
        Backoff backoff = new Backoff(settings.backoffInitial().toMillis(), settings.backoffMax().toMillis(),
                settings.backoffMultiplier(), () -> ThreadLocalRandom.current().nextDouble());
        // A connection that outlived the longest backoff delay was worth having: it resets the backoff.
        this.reconnects = new ReconnectPolicy(backoff, settings.backoffMax(), settings.reconnectMaxDuration(),
                settings.retryAfterMax(), System.nanoTime());
    }

    /** Starts the session's thread; returns at once. */
    public void start(String threadName) {
        thread.start(threadName);
    }

    /**
     * Stops the session: closes the socket with a normal close and waits (bounded) for the session thread.
     * The caller closes the buffer first, so a reader waiting on a full buffer is released.
     */
    @Override
    public void close() {
        stopping = true;
        thread.close();
    }

    /**
     * The first thing a stop does, on the caller's thread: the gateway's flow stops now (the close frame goes out),
     * before the session's thread is woken and joined. {@link #close()} then completes the handshake.
     */
    public void stopReading() {
        stopping = true;
        connections.beginClose();
    }

    private void run() {
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
            connections.closeOutgoing();
            connections.close(connections.current());
            metrics.connected(false);
        }
    }

    private void connectLoop() throws InterruptedException {
        NextConnection next = NextConnection.FRESH;
        while (!stopping && next != null) {
            awaitToken();
            long tokenVersion = settings.credentials().version();
            AstroSocket socket = connect(next);
            boolean open = socket.openBlocking(settings.connectTimeout().toMillis());
            if (stopping) {
                return;
            }
            next = open ? serveAndDecide(socket, next.resuming(), tokenVersion) : afterFailedAttempt(socket, next);
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

    /** A socket for the next connection, made current; the one it replaces delivers meanwhile, on a handover. */
    private AstroSocket connect(NextConnection next) {
        AstroSocket socket = AstroSocket.create(next.uri(settings.uri()), listener, settings.transport(),
                settings.connectTimeout(), settings.hardFrameCeiling());
        connections.replaceWith(socket, next.handover());
        events.clear();
        log.info("Connecting to Astro at {}{}", SafeText.displayUri(settings.uri()), next.resuming()
                ? " with a reconnect token" : next.handover() != null ? " with a renewed token" : "");
        return socket;
    }

    /**
     * The attempt did not open a connection. A connection it was to replace is closed (its subscriptions go with
     * it); a failed resume is followed at once by a fresh connection, any other failure after a backoff delay.
     */
    private NextConnection afterFailedAttempt(AstroSocket socket, NextConnection attempt) throws InterruptedException {
        if (attempt.handover() != null) {
            log.warn("Could not open a connection {} ({}); closing the old one and reconnecting",
                    attempt.resuming() ? "with the reconnect token" : "with the renewed token", failure(socket));
            connections.closeOutgoing();
            metrics.connected(false);
            tracker.connectionLost(System.nanoTime());
        }
        String failure = failure(socket);
        if (attempt.resuming()) {
            log.warn("Resuming the Astro session with the reconnect token failed ({}); connecting afresh and "
                    + "subscribing again", failure);
            metrics.reconnect(ReconnectCause.RESUME_REFUSED);
            tracker.connectionLost(System.nanoTime());
            return NextConnection.FRESH;
        }
        metrics.reconnect(socket.refusal().status() != 0 ? ReconnectCause.HANDSHAKE_REFUSED
                : ReconnectCause.CONNECT_FAILED);
        long delay = reconnects.nextDelayOrFail(socket.refusal().retryAfterMs(), failure, settings.uri());
        log.warn("Could not connect to Astro at {}: {}; retrying in {} ms", SafeText.displayUri(settings.uri()),
                failure, delay);
        Thread.sleep(delay);
        return NextConnection.FRESH;
    }

    private String failure(AstroSocket socket) {
        return socket.describeConnectFailure(settings.connectTimeout().toMillis(), settings.retryAfterMax().toMillis());
    }

    /** Serves an open connection until it ends, then decides how the next one is made; null when the task stops. */
    private NextConnection serveAndDecide(AstroSocket socket, boolean resuming, long tokenVersion)
            throws InterruptedException {
        long openedAt = System.nanoTime();
        log.info("Connected to Astro at {}", SafeText.displayUri(settings.uri()));
        metrics.connected(true);
        ConnectionOutcome outcome = serve(socket, resuming, tokenVersion);
        connections.closeOutgoing();
        if (outcome.handsOver() && !stopping) {
            return handOver(socket, openedAt, outcome);
        }
        metrics.connected(false);
        connections.retire(socket);
        connections.close(socket);
        if (stopping || outcome.kind() == ConnectionOutcome.Kind.STOPPED) {
            return null;
        }
        return afterLostConnection(resuming, openedAt, outcome);
    }

    /**
     * Make-before-break: this connection delivers until the next one is subscribed with the renewed token, or the
     * resumed one is open with the subscriptions the server restores (or the server closes this one); duplicates
     * across both are dropped.
     */
    private NextConnection handOver(AstroSocket socket, long openedAt, ConnectionOutcome outcome) {
        metrics.reconnect(outcome.cause());
        if (outcome.kind() == ConnectionOutcome.Kind.TOKEN_RENEWED) {
            log.info("A renewed token is to be used; opening a new connection, the current one stays until the new "
                    + "one is subscribed");
            return new NextConnection(null, socket);
        }
        long now = System.nanoTime();
        reconnects.connectionEnded(openedAt, now);
        log.info("Astro asked to reconnect ({}); opening a new connection with its reconnect token, on which the "
                + "server restores the subscriptions, while this one still delivers", outcome.detail());
        reconnects.handedOver(now);
        return new NextConnection(outcome.reconnectToken(), socket);
    }

    /**
     * The connection ended and its subscriptions with it (the metrics must not show them ACTIVE meanwhile). A
     * resumed connection that closed at once is followed at once by a fresh one; otherwise after a backoff delay.
     */
    private NextConnection afterLostConnection(boolean resuming, long openedAt, ConnectionOutcome outcome)
            throws InterruptedException {
        long now = System.nanoTime();
        reconnects.connectionEnded(openedAt, now);
        tracker.connectionLost(now);
        if (resuming && now - openedAt < settings.welcomeTimeout().toNanos()) {
            metrics.reconnect(ReconnectCause.RESUME_REFUSED);
            log.warn("The resumed Astro connection closed at once ({}); connecting afresh and subscribing again",
                    outcome.detail());
            return NextConnection.FRESH;
        }
        metrics.reconnect(outcome.cause());
        long delay = reconnects.nextDelayOrFail(-1, outcome.detail(), settings.uri());
        log.warn("Connection to Astro lost ({}); reconnecting in {} ms", outcome.detail(), delay);
        Thread.sleep(delay);
        return NextConnection.FRESH;
    }

    /**
     * Runs one open connection until it closes, the server asks to reconnect, a renewed token is to be used, or the
     * task stops. A connection it replaces is closed as soon as this one's subscribes are settled.
     */
    private ConnectionOutcome serve(AstroSocket socket, boolean resuming, long tokenVersion)
            throws InterruptedException {
        long now = System.nanoTime();
        tracker.connectionOpened(now, resuming);
        Welcome welcome = new Welcome(now + settings.welcomeTimeout().toNanos());
        Liveness liveness = new Liveness(socket, settings.livenessTimeout(), now);
        SubscriptionTracker.Sender sender = (nonce, s) -> socket.trySend(codec.subscribe(nonce, s.topic(), s.room(),
                settings.token().value(), settings.tokenType()));
        boolean announced = false;
        while (!stopping) {
            now = System.nanoTime();
            subscribe(welcome, sender, now);
            closeOutgoingOnceSettled(welcome, now);
            if (renewedTokenDue(tokenVersion)) {
                return ConnectionOutcome.tokenRenewed();
            }
            announced = announced || announceSettled();
            long silentMs = liveness.check(now);
            if (silentMs >= 0) {
                return ConnectionOutcome.closed(ReconnectCause.LIVENESS, "no frame for " + silentMs + " ms");
            }
            SessionEvent event = events.poll(nanosUntilDue(welcome, liveness, now), TimeUnit.NANOSECONDS);
            ConnectionOutcome outcome = event == null || event.source() != socket ? null
                    : handle(event, socket, welcome);
            if (outcome != null) {
                return outcome;
            }
        }
        return ConnectionOutcome.stopped();
    }

    /** Sends the subscribes that are due once the gateway welcomed the connection, or did not in time. */
    private void subscribe(Welcome welcome, SubscriptionTracker.Sender sender, long now) {
        if (!welcome.received && now - welcome.deadline >= 0) {
            welcome.received = true;
            log.warn("No welcome from Astro within {} ms; subscribing anyway", settings.welcomeTimeout().toMillis());
        }
        if (welcome.received) {
            tracker.sendDue(now, sender);
            tracker.expireUnanswered(now);
        }
    }

    /** Ends a handover once this connection's subscribes are settled, or should have been. */
    private void closeOutgoingOnceSettled(Welcome welcome, long now) {
        if (connections.handingOver() && (tracker.allSettled()
                || now - welcome.deadline - settings.subscribeTimeout().toNanos() >= 0)) {
            connections.closeOutgoing();
        }
    }

    /**
     * Whether the credentials hold a newer token than this connection subscribed with, and it is time to take it
     * into use: no handover is under way and this connection's subscribes are settled.
     */
    private boolean renewedTokenDue(long tokenVersion) {
        return !connections.handingOver() && tracker.allSettled() && settings.credentials().version() != tokenVersion;
    }

    /** How long to wait for an event before something is due: a subscribe, the welcome's deadline, a liveness check. */
    private long nanosUntilDue(Welcome welcome, Liveness liveness, long now) {
        long tick = Math.min(MAX_TICK_NANOS, liveness.checkIntervalNanos());
        tick = welcome.received ? tracker.nanosUntilDue(now, tick) : Math.min(tick, welcome.deadline - now);
        return Math.max(1_000_000L, tick);
    }

    /** Logs how the subscribes went, once all are settled; true once logged. */
    private boolean announceSettled() {
        if (!tracker.allSettled()) {
            return false;
        }
        int failed = tracker.count(SubscriptionState.FAILED);
        log.info("Subscribed {} of {} Astro subscriptions{}", tracker.count(SubscriptionState.ACTIVE),
                tracker.size(), failed > 0 ? " (" + failed + " failed)" : "");
        return true;
    }

    /** Takes one event of the connection being served; the outcome when it ends the connection, else null. */
    private ConnectionOutcome handle(SessionEvent event, AstroSocket socket, Welcome welcome) {
        if (event instanceof SessionEvent.Welcomed) {
            welcome.received = true;
        } else if (event instanceof SessionEvent.Answer answer) {
            tracker.onResponse(answer.response(), System.nanoTime());
        } else if (event instanceof SessionEvent.ReconnectAsked asked) {
            String token = asked.reconnect().reconnectToken();
            if (token == null || token.isEmpty()) {
                return ConnectionOutcome.closed(ReconnectCause.SERVER_RECONNECT,
                        "the server asked to reconnect without a token");
            }
            String message = asked.reconnect().message();
            return ConnectionOutcome.reconnect(token, message == null ? "no reason given"
                    : SafeText.serverText(message, settings.token()));
        } else if (event instanceof SessionEvent.Closed closed) {
            return closedOutcome(socket, closed);
        }
        return null;
    }

    private ConnectionOutcome closedOutcome(AstroSocket socket, SessionEvent.Closed closed) {
        FrameFault fault = socket.frameFault();
        if (fault != null) {
            metrics.malformedFrame(fault.kind());
            warnings.warn(log, "frame-fault-" + fault.kind(), "{}",
                    fault.warning(settings.hardFrameCeiling(), socket.frameFaultReason()));
            return ConnectionOutcome.closed(ReconnectCause.of(fault),
                    fault.detail(settings.hardFrameCeiling(), socket.frameFaultReason()));
        }
        String reason = closed.reason() == null || closed.reason().isEmpty() ? ""
                : ", " + SafeText.serverText(closed.reason(), settings.token());
        String detail = "close code " + closed.code() + reason + (closed.remote() ? ", by the server" : "");
        return ConnectionOutcome.closed(closed.remote() && closed.code() != CloseFrame.ABNORMAL_CLOSE
                ? ReconnectCause.CLOSED_BY_SERVER : ReconnectCause.CONNECTION_LOST, detail);
    }

    /** Whether the gateway welcomed the connection being served, and until when the session waits for it. */
    private static final class Welcome {
        final long deadline;
        boolean received;

        Welcome(long deadline) {
            this.deadline = deadline;
        }
    }
}
