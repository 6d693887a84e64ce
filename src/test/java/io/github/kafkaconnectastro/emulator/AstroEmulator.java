package io.github.kafkaconnectastro.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;

/**
 * An in-process stand-in for StreamElements' Astro websocket gateway
 * ({@code wss://astro.streamelements.com}), listening on {@code ws://127.0.0.1:<port>}.
 *
 * <p>It speaks the protocol of {@code PROTOCOL.md}: a welcome on connect, {@code subscribe} /
 * {@code unsubscribe} commands answered with {@code response} frames, {@code message} notifications
 * to subscribers, gateway broadcasts on topic {@code astro} to everyone, and the {@code reconnect}
 * notice with token-based subscription restore. Responses have the shape the gateway documents show
 * (nonce echoed, no room), so tests see what a client of the real gateway sees; a repeated
 * subscribe of a pair on one connection is refused, as third-party clients report. On top of that
 * it offers the failure modes a connector must survive: refused handshakes (429 with Retry-After,
 * 502), subscribe errors, the command rate limit, connections dropped without a close frame, a
 * gateway that goes silent, malformed frames.
 *
 * <p>All methods are thread-safe: tests publish from their own thread while the server runs.
 * Nothing is sent in silent mode; failure hooks ({@link #dropAllConnections()},
 * {@link #sendReconnectToAll()}) still act on the sockets.
 *
 * <p>"Delivered" means written to a connection's send queue while it was healthy. Connections are
 * only ever dropped after that queue is flushed (waiting up to a second for a peer that stopped
 * reading), so every delivered notification reaches a client that keeps reading: a test may
 * assert that the client lost none of them.
 */
public final class AstroEmulator implements AutoCloseable {

    /** The port {@link AstroEmulatorMain} uses when none is given. */
    public static final int DEFAULT_PORT = 7070;
    /** Close code sent right after open to a client presenting an unknown reconnect token. */
    public static final int INVALID_RECONNECT_TOKEN_CLOSE_CODE = 4000;

    private static final long START_TIMEOUT_MILLIS = 5_000;
    private static final long STOP_TIMEOUT_MILLIS = 1_000;
    private static final long DROP_FLUSH_MILLIS = 1_000;
    /** Upper bound on one wait in the await methods; callbacks also notify, this only bounds lag. */
    private static final long AWAIT_POLL_MILLIS = 20;
    private static final int RATE_LIMIT_BURST = 100;
    private static final double RATE_LIMIT_PER_SECOND = 10;
    private static final Object REFUSED_MARKER = new Object();

    private final GatewayServer server;
    private final GatewayRules rules = new GatewayRules();
    private final CommandProcessor processor = new CommandProcessor(rules);
    private final Map<WebSocket, ClientSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Set<Subscription>> reconnectTokens = new ConcurrentHashMap<>();
    private final List<String> receivedCommands = Collections.synchronizedList(new ArrayList<>());
    private final List<String> handshakePaths = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> deliveriesById = new ConcurrentHashMap<>();
    /** The most connections subscribed to each pair at once, as seen right after each subscribe. */
    private final Map<Subscription, Integer> peakSubscribers = new ConcurrentHashMap<>();
    private final List<Integer> clientCloseCodes = Collections.synchronizedList(new ArrayList<>());
    private final Set<WebSocket> closeFrameReceived = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Notified on every connection or subscription change; never held while calling the library. */
    private final Object changes = new Object();

    private volatile boolean sendWelcome = true;
    private volatile boolean omitRoomInNotifications;
    private volatile boolean silent;
    private volatile boolean enforceRateLimit;
    private volatile RateLimitScope rateLimitScope = RateLimitScope.CONNECTION;
    private final ConcurrentHashMap<String, TokenBucket> sharedBuckets = new ConcurrentHashMap<>();
    private volatile boolean trackDeliveriesPerId = true;
    private volatile boolean honourReconnectTokens = true;
    private volatile int reconnectCloseCode = CloseFrame.GOING_AWAY;
    private volatile Duration reconnectDrain = Duration.ZERO;

    private final AtomicInteger publishCount = new AtomicInteger();
    private final AtomicLong deliveredCount = new AtomicLong();
    private final AtomicInteger rateLimitedCount = new AtomicInteger();
    private final AtomicInteger subscribeCommandCount = new AtomicInteger();
    private final AtomicInteger handshakeCount = new AtomicInteger();
    private final AtomicInteger refusedHandshakeCount = new AtomicInteger();
    private final AtomicInteger restoredReconnectCount = new AtomicInteger();
    private final AtomicInteger rejectedReconnectCount = new AtomicInteger();

    private final HandshakeRefusals refusals = new HandshakeRefusals();
    private final EventHistory history = new EventHistory();
    private final Heartbeat heartbeat = new Heartbeat(sessions::values, () -> silent);

    private AstroEmulator(int port, SSLContext tls) {
        this.server = new GatewayServer(this, port, tls);
    }

    /**
     * Starts an emulator on an ephemeral port.
     *
     * @return the running emulator, already accepting connections
     */
    public static AstroEmulator start() {
        return start(0);
    }

    /**
     * Starts an emulator on a given port.
     *
     * @param port the port on 127.0.0.1, or 0 for an ephemeral one
     * @return the running emulator, already accepting connections
     * @throws IllegalStateException if the port cannot be bound
     */
    public static AstroEmulator start(int port) {
        return start(port, null);
    }

    /**
     * Starts an emulator that serves {@code wss://} on an ephemeral port, with the certificate and key of
     * {@code tls} (e.g. {@link TestCertificates}' server contexts).
     */
    public static AstroEmulator startTls(SSLContext tls) {
        return start(0, tls);
    }

    private static AstroEmulator start(int port, SSLContext tls) {
        AstroEmulator emulator = new AstroEmulator(port, tls);
        try {
            emulator.server.startAndAwait(START_TIMEOUT_MILLIS);
        } catch (Exception e) {
            emulator.close();
            throw new IllegalStateException("cannot start the Astro emulator on port " + port, e);
        }
        return emulator;
    }

    /** Returns {@code ws://127.0.0.1:<port>}, or {@code wss://…} for an emulator started with {@link #startTls}. */
    public URI uri() {
        return URI.create((server.tls() ? "wss" : "ws") + "://127.0.0.1:" + port());
    }

    /** Returns the port actually bound. */
    public int port() {
        return server.getPort();
    }

    // ---------------------------------------------------------------- configuration

    /**
     * Declares a valid token. A subscribe with this token and an empty or missing room subscribes
     * to {@code ownRoom}: notifications for it name that room, the response does not (unless
     * {@link #setEchoRoomInResponses echoed}). Any undeclared token gets {@code err_unauthorized}.
     */
    public void acceptToken(String token, String ownRoom) {
        rules.acceptToken(token, ownRoom);
    }

    /**
     * Issues a dashboard-style JWT for {@code ownRoom} whose {@code exp} claim is {@code expiresAt} (whole seconds),
     * and accepts it until then; a subscribe with it afterwards is refused with {@code err_unauthorized}, whose
     * message is the same "invalid token" as for an unknown token (what the real gateway says for an expired one
     * is not documented). The signature is a placeholder: the gateway verifies it, a client cannot.
     */
    public String issueJwt(String ownRoom, Instant expiresAt) {
        Instant exp = Instant.ofEpochSecond(expiresAt.getEpochSecond());
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"channel\":\"" + ownRoom + "\",\"role\":\"owner\",\"jti\":\""
                + Ulid.nextId() + "\",\"exp\":" + exp.getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
        String token = header + "." + claims + "." + b64.encodeToString(Ulid.nextId().getBytes(StandardCharsets.UTF_8));
        rules.acceptTokenUntil(token, ownRoom, exp);
        return token;
    }

    /**
     * Accepts an opaque token until {@code expiresAt}, as the OAuth2 endpoint's access tokens are
     * ({@link OAuth2Endpoint}).
     */
    public void acceptTokenUntil(String token, String ownRoom, Instant expiresAt) {
        rules.acceptTokenUntil(token, ownRoom, expiresAt);
    }

    /**
     * Makes subscribes to {@code alias} land in {@code canonical}: notifications name the canonical
     * room, and so does the response when {@link #setEchoRoomInResponses echoed}.
     */
    public void aliasRoom(String alias, String canonical) {
        rules.aliasRoom(alias, canonical);
    }

    /**
     * Makes every future subscribe to this (topic, canonical room) fail with {@code errorCode}
     * ({@code err_bad_request}, {@code err_internal_error}, {@code rate_limit_exceeded}...), after
     * the token check. Pass a null code to lift the failure.
     */
    public void failSubscriptions(String topic, String room, String errorCode) {
        rules.failAlways(new Subscription(topic, room), errorCode);
    }

    /**
     * Makes the next {@code times} subscribes to this pair fail with {@code errorCode}, the
     * following ones behave normally. Takes precedence over {@link #failSubscriptions}.
     */
    public void failNextSubscribes(String topic, String room, String errorCode, int times) {
        rules.failNext(new Subscription(topic, room), errorCode, times);
    }

    /** Lifts every failure set by {@link #failSubscriptions} and {@link #failNextSubscribes}. */
    public void clearSubscriptionFailures() {
        rules.clearFailures();
    }

    /**
     * Whether success responses name the canonical room in {@code data.room}, as some gateway
     * versions do. Off by default, as both gateway documents show them: without it a client learns
     * its own channel's id only from the notifications.
     */
    public void setEchoRoomInResponses(boolean echo) {
        rules.echoRoomInResponses(echo);
    }

    /** Whether a welcome is sent on connect (default true). */
    public void setSendWelcome(boolean sendWelcome) {
        this.sendWelcome = sendWelcome;
    }

    /** Leaves {@code room} out of notifications, as some topics' documented examples do. */
    public void setOmitRoomInNotifications(boolean omit) {
        this.omitRoomInNotifications = omit;
    }

    /**
     * Silent mode emulates a half-open connection: no welcome, responses, notifications, pings or
     * pongs are sent, and commands are recorded but not acted on. Leaving silent mode resets the
     * pong clocks so nobody is dropped for the silence the emulator caused.
     */
    public void setSilent(boolean silent) {
        this.silent = silent;
        if (!silent) {
            sessions.values().forEach(ClientSession::pongReceived);
        }
    }

    /** True while {@link #setSilent(boolean) silent}. */
    public boolean isSilent() {
        return silent;
    }

    /**
     * Enforces the documented command rate limit: a bucket of 100 commands refilled at 10 per second, per
     * connection unless {@link #setRateLimitScope} says otherwise. Excess commands get {@code rate_limit_exceeded}
     * without a nonce and are not executed. Off by default.
     */
    public void setRateLimit(boolean enforce) {
        this.enforceRateLimit = enforce;
    }

    /** What the rate limit counts per; the documents do not say. */
    public enum RateLimitScope { CONNECTION, ADDRESS, TOKEN }

    /** Counts the rate limit (when on) per connection (the default), per client address or per token. */
    public void setRateLimitScope(RateLimitScope scope) {
        this.rateLimitScope = scope;
        sharedBuckets.clear();
    }

    /** Close code used after the reconnect notice; default 1001 (going away). */
    public void setReconnectCloseCode(int code) {
        this.reconnectCloseCode = code;
    }

    /**
     * Whether reconnect tokens restore subscriptions (default true). When false, every client
     * presenting one is closed with {@value #INVALID_RECONNECT_TOKEN_CLOSE_CODE} right after the
     * handshake, as a gateway node that lost the token's state would.
     */
    public void setHonourReconnectTokens(boolean honour) {
        this.honourReconnectTokens = honour;
    }

    /** Whether {@link #deliveredCount(String)} is kept (default true; long runs turn it off). */
    public void setTrackDeliveriesPerId(boolean track) {
        this.trackDeliveriesPerId = track;
        if (!track) {
            deliveriesById.clear();
        }
    }

    /**
     * Sends a WebSocket PING to every client each {@code seconds}, as Astro does every 30 s.
     * 0 (the default) sends none. The pong timeout set by {@link #setHeartbeat} still applies.
     */
    public void setPingIntervalSeconds(int seconds) {
        setHeartbeat(Duration.ofSeconds(seconds), heartbeat.pongTimeout());
    }

    /**
     * Configures the heartbeat: a PING every {@code pingInterval} (zero: none), and a connection
     * dropped without close frame when no PONG came for {@code pongTimeout} (zero: never). Astro
     * uses 30 s and 70 s. The timeout is only checked when pings are on.
     */
    public void setHeartbeat(Duration pingInterval, Duration pongTimeout) {
        heartbeat.configure(pingInterval, pongTimeout);
    }

    /**
     * Refuses the next {@code times} WebSocket handshakes with a plain HTTP response, e.g. 429 with
     * a {@code Retry-After} header, or 502 while "draining".
     *
     * @param retryAfterSeconds value of {@code Retry-After}, or null for no such header
     */
    public void refuseHandshakes(int httpStatus, Integer retryAfterSeconds, int times) {
        refusals.schedule(httpStatus, retryAfterSeconds, times);
    }

    // ---------------------------------------------------------------- sending

    /**
     * Publishes a notification to every connection subscribed to (topic, room).
     *
     * @param dataJson the {@code data} value, inserted verbatim
     * @return the notification's id (a fresh ULID)
     */
    public String publish(String topic, String room, String dataJson) {
        String id = Ulid.nextId();
        publishWithId(id, Instant.now(), topic, room, dataJson);
        return id;
    }

    /**
     * Publishes a notification with an explicit id and timestamp, e.g. to send a duplicate.
     *
     * @param dataJson the {@code data} value, inserted verbatim
     */
    public void publishWithId(String id, Instant ts, String topic, String room, String dataJson) {
        publishCount.incrementAndGet();
        history.record(topic, room, dataJson);
        String frame = ServerMessages.notification(id, ts, topic,
                omitRoomInNotifications ? null : room, dataJson);
        Subscription target = new Subscription(topic, room);
        for (ClientSession session : sessions.values()) {
            if (!silent && session.isSubscribed(target) && session.sendText(frame)) {
                deliveredCount.incrementAndGet();
                if (trackDeliveriesPerId) {
                    deliveriesById.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                }
            }
        }
    }

    /**
     * Hands bytes that are already complete notification frames, websocket framing included (a load generator's
     * pre-encoded batch), to every connection subscribed to (topic, room), as they are: no encoding, no UTF-8 check
     * and one write demand for the whole batch. Each connection gets its own view of the same bytes, so the caller
     * must not change them while {@link #stillQueued} says a view is waiting. Counted in {@link #publishCount()} and
     * {@link #deliveredCount()} as {@code frameCount} notifications; neither kept for the REST API nor counted by id.
     *
     * @return the views handed over, one per subscribed connection
     */
    public List<ByteBuffer> publishPreEncoded(String topic, String room, ByteBuffer frames, int frameCount) {
        publishCount.addAndGet(frameCount);
        Subscription target = new Subscription(topic, room);
        List<ByteBuffer> handed = new ArrayList<>(1);
        for (ClientSession session : sessions.values()) {
            if (silent || !session.isSubscribed(target)) {
                continue;
            }
            ByteBuffer view = frames.duplicate();
            if (session.sendPreEncoded(view)) {
                deliveredCount.addAndGet(frameCount);
                handed.add(view);
            }
        }
        return handed;
    }

    /** True while a view {@link #publishPreEncoded} handed over still waits to be written to an open connection. */
    public boolean stillQueued(ByteBuffer view) {
        for (ClientSession session : sessions.values()) {
            if (session.stillQueued(view)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The exact text {@link #publishWithId} sends for a notification (room included), so that
     * benchmarks can feed the connector's decoder the frames it reads off the socket.
     */
    public static String notificationFrame(String id, Instant ts, String topic, String room,
            String dataJson) {
        return ServerMessages.notification(id, ts, topic, room, dataJson);
    }

    /**
     * Sends a gateway broadcast to every connection, subscribed or not, in the shape of the newer
     * document's example: {@code {"id","ts","type":"message","topic":"astro","data":{"message":…}}}.
     * Counted in {@link #deliveredCount(String)} under its id, not in {@link #deliveredCount()}.
     *
     * @return the broadcast's id (a fresh ULID)
     */
    public String broadcast(String message) {
        String id = Ulid.nextId();
        String frame = ServerMessages.broadcast(id, Instant.now(), message);
        for (ClientSession session : sessions.values()) {
            if (!silent && session.sendText(frame) && trackDeliveriesPerId) {
                deliveriesById.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            }
        }
        return id;
    }

    /** Sends a text frame as is to every connection (malformed-frame tests). */
    public void sendRawToAll(String text) {
        if (!silent) {
            sessions.values().forEach(s -> s.sendText(text));
        }
    }

    /**
     * Streams one text message that never ends to every connection, one after the other: a frame without FIN, then
     * continuation frames of {@code chunkBytes} until {@code totalBytes} are sent or the connection closes. No more
     * than a few frames wait in the library's (unbounded) outbound queue at a time, so the emulator's own heap stays
     * small however much it streams. Returns the payload bytes handed to the sockets, over all connections.
     */
    public long streamEndlessMessageToAll(int chunkBytes, long totalBytes) throws InterruptedException {
        byte[] chunk = new byte[chunkBytes];
        Arrays.fill(chunk, (byte) 'x');
        long sent = 0;
        for (ClientSession session : new ArrayList<>(sessions.values())) {
            WebSocket conn = session.connection();
            try {
                conn.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap("{\"data\":\"".getBytes(StandardCharsets.UTF_8)),
                        false);
                for (long s = 0; s < totalBytes && conn.isOpen(); s += chunkBytes) {
                    while (conn.isOpen() && conn instanceof WebSocketImpl impl && impl.outQueue.size() > 4) {
                        Thread.sleep(1);
                    }
                    conn.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap(chunk), false);
                    sent += chunkBytes;
                }
            } catch (WebsocketNotConnectedException e) {
                // The client closed the connection: what a test of this expects.
            }
        }
        return sent;
    }

    /** Sends a binary frame to every connection; Astro clients must ignore it. */
    public void sendBinaryToAll(byte[] bytes) {
        if (!silent) {
            sessions.values().forEach(s -> s.sendBinary(bytes));
        }
    }

    // ---------------------------------------------------------------- failure hooks

    /**
     * Drops every connection the way a network failure does: the TCP connection is closed without
     * a WebSocket close frame (the client sees code 1006). Pending frames are flushed first, up to
     * one second. Returns once the connections are gone.
     */
    public void dropAllConnections() {
        List<ClientSession> victims = new ArrayList<>(sessions.values());
        victims.forEach(s -> s.dropAbruptly("connection dropped by emulator"));
        // A peer that stopped reading would keep the flush waiting forever.
        awaitGone(victims, DROP_FLUSH_MILLIS);
        victims.forEach(s -> s.forceClose("connection dropped by emulator"));
    }

    /**
     * Emulates a graceful gateway shutdown: each connection gets
     * {@code {"type":"reconnect","data":{"message":"The server is shutting down.",
     * "reconnect_token":…}}} and is then closed with a normal close handshake. A client connecting
     * with {@code ?reconnect_token=<token>} gets that connection's subscriptions back without
     * subscribing; each token works once.
     */
    public void sendReconnectToAll() {
        List<ClientSession> victims = new ArrayList<>(sessions.values());
        long drainMillis = reconnectDrain.toMillis();
        for (ClientSession session : victims) {
            String token = newReconnectToken(session.clientId());
            reconnectTokens.put(token, session.subscriptions());
            if (drainMillis == 0) {
                session.sendAndClose(ServerMessages.reconnect(token), reconnectCloseCode, "server shutting down");
            } else {
                session.sendText(ServerMessages.reconnect(token));
                CompletableFuture.delayedExecutor(drainMillis, TimeUnit.MILLISECONDS).execute(() ->
                        session.sendAndClose(null, reconnectCloseCode, "server shutting down"));
            }
        }
    }

    /**
     * How long a connection told to reconnect goes on delivering before the emulator closes it; zero (the default)
     * closes it right after the reconnect message. The documents do not say whether the gateway drains.
     */
    public void setReconnectDrain(Duration drain) {
        this.reconnectDrain = drain;
    }

    // ---------------------------------------------------------------- observation

    /** Number of open, accepted connections. */
    public int connectionCount() {
        return sessions.size();
    }

    /** Number of connections subscribed to (topic, canonical room). */
    public int subscriberCount(String topic, String room) {
        Subscription target = new Subscription(topic, room);
        int count = 0;
        for (ClientSession session : sessions.values()) {
            if (session.isSubscribed(target)) {
                count++;
            }
        }
        return count;
    }

    /**
     * The most connections that were subscribed to (topic, room) at once, counted at each subscribe: 2 after a
     * client replaced its connection make-before-break, 1 when it closed the old one first.
     */
    public int peakSubscriberCount(String topic, String room) {
        return peakSubscribers.getOrDefault(new Subscription(topic, room), 0);
    }

    /** Waits until at least {@code n} connections are subscribed to (topic, room). */
    public boolean awaitSubscribers(String topic, String room, int n, Duration timeout) {
        return await(() -> subscriberCount(topic, room) >= n, timeout);
    }

    /** Waits until no connection is subscribed to (topic, room). */
    public boolean awaitNoSubscribers(String topic, String room, Duration timeout) {
        return await(() -> subscriberCount(topic, room) == 0, timeout);
    }

    /** Waits until exactly {@code n} connections are open. */
    public boolean awaitConnections(int n, Duration timeout) {
        return await(() -> connectionCount() == n, timeout);
    }

    /** The raw text of every frame clients sent, in arrival order (a copy). */
    public List<String> receivedCommands() {
        synchronized (receivedCommands) {
            return List.copyOf(receivedCommands);
        }
    }

    /** Number of frames clients sent, without copying them. */
    public int receivedCommandCount() {
        return receivedCommands.size();
    }

    /** Forgets the commands recorded so far. */
    public void clearReceivedCommands() {
        receivedCommands.clear();
    }

    /** Number of frames received with {@code "type":"subscribe"}, rate-limited ones included. */
    public int subscribeCommandCount() {
        return subscribeCommandCount.get();
    }

    /** Number of commands answered with {@code rate_limit_exceeded} by the enforced rate limit. */
    public int rateLimitedCount() {
        return rateLimitedCount.get();
    }

    /**
     * Frames accepted for sending but not yet written to any socket, over all connections. The
     * library queues outbound frames without bound, so a publisher that must not outrun a slow
     * reader (a benchmark pushing as fast as the socket takes) pauses while this is high.
     */
    public int outboundQueuedFrames() {
        int queued = 0;
        for (ClientSession session : sessions.values()) {
            if (session.connection() instanceof WebSocketImpl impl) {
                queued += impl.outQueue.size();
            }
        }
        return queued;
    }

    /** Number of notifications published, whether or not anyone was subscribed. */
    public int publishCount() {
        return publishCount.get();
    }

    /** Number of notification frames delivered to healthy subscribed connections. */
    public long deliveredCount() {
        return deliveredCount.get();
    }

    /**
     * Number of connections a notification or broadcast with this id was delivered to (duplicates
     * add up).
     */
    public int deliveredCount(String id) {
        AtomicInteger count = deliveriesById.get(id);
        return count == null ? 0 : count.get();
    }

    /** Number of WebSocket handshakes received, refused ones included. */
    public int handshakeCount() {
        return handshakeCount.get();
    }

    /** Number of handshakes refused by {@link #refuseHandshakes}. */
    public int refusedHandshakeCount() {
        return refusedHandshakeCount.get();
    }

    /** Request paths (with query) of every handshake, e.g. {@code /?reconnect_token=eyJ…}. */
    public List<String> handshakePaths() {
        synchronized (handshakePaths) {
            return List.copyOf(handshakePaths);
        }
    }

    /** Number of connections whose subscriptions were restored from a reconnect token. */
    public int restoredReconnectCount() {
        return restoredReconnectCount.get();
    }

    /**
     * Close codes of the close handshakes clients started, in order (1000 for a normal close).
     * Connections a client dropped without a close frame do not appear.
     */
    public List<Integer> clientCloseCodes() {
        synchronized (clientCloseCodes) {
            return List.copyOf(clientCloseCodes);
        }
    }

    /** Number of connections closed with 4000 for an unknown or reused reconnect token. */
    public int rejectedReconnectCount() {
        return rejectedReconnectCount.get();
    }

    /**
     * Stops the server within about a second: clients get a close frame (1001), stragglers are cut
     * off, and the server's threads have ended when this returns.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            heartbeat.close(STOP_TIMEOUT_MILLIS);
            server.stop((int) STOP_TIMEOUT_MILLIS);
            // stop() gives up on clients that do not answer the close frame; their sockets stay open.
            new ArrayList<>(sessions.values()).forEach(s -> s.forceClose("emulator closed"));
            server.joinWorkers(STOP_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The activities and tips published so far, as the REST API keeps them; recorded only once a
     * {@link RestApiServer} serves them.
     */
    public EventHistory history() {
        return history;
    }

    /** True when a token was declared with {@link #acceptToken}. */
    boolean tokenAccepted(String token) {
        return rules.ownRoom(token) != null;
    }

    // ---------------------------------------------------------------- server callbacks

    /** Returns a refusal response when one is scheduled, else null to accept the upgrade. */
    ServerHandshakeBuilder handleHandshake(WebSocket conn, ClientHandshake request) {
        handshakeCount.incrementAndGet();
        handshakePaths.add(request.getResourceDescriptor());
        ServerHandshakeBuilder refusal = refusals.next();
        if (refusal != null) {
            refusedHandshakeCount.incrementAndGet();
            conn.setAttachment(REFUSED_MARKER);
        }
        return refusal;
    }

    void handleOpen(WebSocket conn, ClientHandshake handshake) {
        if (conn.getAttachment() == REFUSED_MARKER) {
            // The library opens the connection even though it wrote an HTTP error; drop it once the
            // response is flushed, without any WebSocket frame.
            conn.close(CloseFrame.ABNORMAL_CLOSE, "handshake refused");
            return;
        }
        String reconnectToken = queryParameter(handshake.getResourceDescriptor(), "reconnect_token");
        Set<Subscription> restored = null;
        if (reconnectToken != null) {
            restored = reconnectTokens.remove(reconnectToken);
            if (restored == null || !honourReconnectTokens) {
                rejectedReconnectCount.incrementAndGet();
                conn.close(INVALID_RECONNECT_TOKEN_CLOSE_CODE, "invalid reconnect token");
                return;
            }
        }
        ClientSession session = new ClientSession(conn, Ulid.nextId(),
                new TokenBucket(RATE_LIMIT_BURST, RATE_LIMIT_PER_SECOND, System::nanoTime));
        if (restored != null) {
            session.subscribeAll(restored);
            restoredReconnectCount.incrementAndGet();
        }
        String welcome = sendWelcome && !silent ? ServerMessages.welcome(session.clientId()) : null;
        session.registerThenSend(() -> sessions.put(conn, session), welcome);
        signalChange();
    }

    /** The bucket a command draws on, as {@link #setRateLimitScope} says. */
    private TokenBucket commandBucket(WebSocket conn, ClientSession session, JsonNode command) {
        String key = switch (rateLimitScope) {
            case CONNECTION -> null;
            case ADDRESS -> "address " + conn.getRemoteSocketAddress().getAddress().getHostAddress();
            // An unsubscribe carries no token: it counts against the connection's own bucket.
            case TOKEN -> command.path("data").hasNonNull("token") ? "token " + command.path("data").path("token").asText()
                    : null;
        };
        return key == null ? session.commandBucket() : sharedBuckets.computeIfAbsent(key,
                k -> new TokenBucket(RATE_LIMIT_BURST, RATE_LIMIT_PER_SECOND, System::nanoTime));
    }

    /** Must not take a session lock: the library calls this while holding the connection's lock. */
    void handleClose(WebSocket conn, int code, boolean remote) {
        // A client's close frame is counted when it arrives (handleClientCloseFrame). The library's own close code
        // can then still read 1006: it may see the client's end of the TCP connection before a worker thread has
        // decoded the close frame read just before it, or while it is still answering it.
        boolean frameCounted = closeFrameReceived.remove(conn);
        if (!frameCounted && remote && code != CloseFrame.ABNORMAL_CLOSE) {
            clientCloseCodes.add(code);
        }
        if (sessions.remove(conn) != null) {
            signalChange();
        }
    }

    /** A client's close frame on an open connection: the client closes, whatever the library reports later. */
    void handleClientCloseFrame(WebSocket conn, int code) {
        closeFrameReceived.add(conn);
        clientCloseCodes.add(code);
    }

    void handleText(WebSocket conn, String text) {
        receivedCommands.add(text);
        ClientSession session = sessions.get(conn);
        JsonNode command = CommandProcessor.parse(text);
        if ("subscribe".equals(CommandProcessor.type(command))) {
            subscribeCommandCount.incrementAndGet();
        }
        if (session == null || silent) {
            return;
        }
        if (enforceRateLimit && !commandBucket(conn, session, command).tryAcquire()) {
            rateLimitedCount.incrementAndGet();
            session.sendText(ServerMessages.error(null, CommandProcessor.RATE_LIMIT_EXCEEDED,
                    CommandProcessor.errorMessage(CommandProcessor.RATE_LIMIT_EXCEEDED)));
            return;
        }
        // A connection's frames are handled one at a time, so nothing subscribes between check and add.
        CommandProcessor.Outcome outcome = processor.handle(command, session::isSubscribed);
        if (outcome.subscribed() != null) {
            session.subscribe(outcome.subscribed());
            peakSubscribers.merge(outcome.subscribed(), subscriberCount(outcome.subscribed().topic(),
                    outcome.subscribed().room()), Math::max);
        } else if (outcome.unsubscribe()) {
            session.unsubscribe(outcome.topic(), outcome.room());
        }
        signalChange();
        session.sendText(outcome.reply());
    }

    void handlePong(WebSocket conn) {
        ClientSession session = sessions.get(conn);
        if (session != null) {
            session.pongReceived();
        }
    }

    // ---------------------------------------------------------------- helpers

    private void signalChange() {
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    private boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // The condition is evaluated outside the monitor (it takes session locks), so a change may
            // slip between check and wait; the bounded wait makes that cost at most one poll period.
            synchronized (changes) {
                try {
                    changes.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left),
                            AWAIT_POLL_MILLIS)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private void awaitGone(List<ClientSession> victims, long timeoutMillis) {
        await(() -> victims.stream().noneMatch(s -> sessions.containsKey(s.connection())),
                Duration.ofMillis(timeoutMillis));
    }

    /** A JWT-looking opaque token (Astro's start with "eyJ"); only its identity matters. */
    private static String newReconnectToken(String clientId) {
        String claims = "{\"client_id\":\"" + clientId + "\",\"jti\":\"" + Ulid.nextId() + "\"}";
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    }

    private static String queryParameter(String resource, String name) {
        int query = resource == null ? -1 : resource.indexOf('?');
        if (query < 0) {
            return null;
        }
        for (String pair : resource.substring(query + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
