package io.github.kafkaconnectastro.transport;

import io.github.kafkaconnectastro.util.BoundedWait;
import io.github.kafkaconnectastro.util.SafeText;
import org.apache.kafka.common.config.types.Password;
import org.java_websocket.WebSocket;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.PongFrame;
import org.java_websocket.handshake.ServerHandshake;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One websocket connection to the gateway. Java-WebSocket clients are single-use, so the session builds a new
 * one for every connection attempt. Every callback is handed to the {@link Listener} with this socket, so the
 * session can ignore late callbacks of a connection it has already given up.
 *
 * <p>Java-WebSocket runs each connection on threads of its own (a reader, and a writer the reader starts), which
 * do not inherit the logging context: the socket carries the context of the thread that creates it onto them
 * ({@link SocketLogContext}), so every line logged for this connection names the connector and task.
 */
public final class AstroSocket extends WebSocketClient implements Inbound {

    /** Callbacks of one connection; they run on Java-WebSocket's reader thread and must not throw. */
    public interface Listener {
        void onOpen(AstroSocket socket);

        void onText(AstroSocket socket, String text);

        void onBinary(AstroSocket socket, int bytes);

        void onClosed(AstroSocket socket, int code, String reason, boolean remote);

        void onError(AstroSocket socket, Exception error);
    }

    /** How long the reader must have read nothing before a stopping session sends its close frame. */
    private static final long DRAIN_QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The most a stop waits for the reader to drain the socket; with the close handshake, below the stop timeout. */
    private static final long DRAIN_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** How long the reader, seeing a close under way, waits for the writer to take the close frame. */
    private static final long WRITER_TAKES_CLOSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long LOOK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Java-WebSocket at TRACE prints each handshake request of up to 1000 bytes whole, its query too, which carries
     * the reconnect token on a resume; a request with this header is past that and printed as "too big to display".
     */
    private static final String PADDING_HEADER = "X-Padding";
    private static final String PADDING = "0".repeat(1000);

    private final Listener listener;
    private final HandshakeRefusal refusal;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile long lastFrameNanos = System.nanoTime();
    private volatile String failure;
    private final SocketLogContext logContext = new SocketLogContext();
    private volatile int closeCode;
    private volatile String closeReason;
    private volatile boolean closedByUs;
    private volatile FrameFault frameFault;
    private volatile String frameFaultReason;
    private volatile boolean readerWaiting;
    private volatile boolean retired;

    private AstroSocket(URI uri, Listener listener, HandshakeRefusal refusal, int maxFrameBytes, int connectTimeoutMs,
                        TransportSettings transport) {
        super(uri, new HandshakeRefusal.RecordingDraft(refusal, maxFrameBytes), null, connectTimeoutMs);
        // The socket resolves the host itself, or leaves it to the proxy; and it does the TLS (see GatewaySocket).
        setDnsResolver(null);
        setSocketFactory(GatewaySocket.factory(transport, "wss".equalsIgnoreCase(uri.getScheme())));
        this.listener = listener;
        this.refusal = refusal;
        if (uri.getRawQuery() != null) {
            addHeader(PADDING_HEADER, PADDING);
        }
        // Liveness is the session's job: it knows when its own reader is blocked by a full buffer.
        setConnectionLostTimeout(0);
        setDaemon(true);
    }

    /** A socket for one attempt to {@code uri} (the configured URL, perhaps with a reconnect token). */
    public static AstroSocket create(URI uri, Listener listener, TransportSettings transport, Duration connectTimeout,
                                     int maxFrameBytes) {
        return new AstroSocket(uri, listener, new HandshakeRefusal(), maxFrameBytes, (int) connectTimeout.toMillis(),
                transport);
    }

    public HandshakeRefusal refusal() {
        return refusal;
    }

    void failure(String description) {
        failure = description;
    }

    /** Records why the connection attempt failed, in words a user can act on (see {@link ConnectFailure}). */
    public void failure(Exception error, Password token) {
        failure = ConnectFailure.describe(error, token);
    }

    /** When the last frame of any kind (text, binary, ping, pong) arrived. */
    public long lastFrameNanos() {
        return lastFrameNanos;
    }

    @Override
    public void markAlive() {
        lastFrameNanos = System.nanoTime();
    }

    @Override
    public void readerWaiting(boolean waiting) {
        readerWaiting = waiting;
    }

    @Override
    public boolean readerWaiting() {
        return readerWaiting;
    }

    @Override
    public boolean retired() {
        return retired;
    }

    /** The session has given this connection up; see {@link Inbound#retired()}. */
    public void retire() {
        retired = true;
    }

    /** Sends a text frame; false when the connection is no longer open. */
    public boolean trySend(String text) {
        try {
            send(text);
            return true;
        } catch (WebsocketNotConnectedException e) {
            return false;
        }
    }

    /**
     * Connects and waits for the handshake, like {@link #connectBlocking(long, TimeUnit)}, except that a connection
     * the library opened and then closed at once over a frame it refused counts as opened: a bad frame can arrive
     * with the handshake's answer, and the session must count it by its kind, not as a failed connection attempt.
     */
    public boolean openBlocking(long timeoutMs) throws InterruptedException {
        return connectBlocking(timeoutMs, TimeUnit.MILLISECONDS) || frameFault != null;
    }

    /**
     * Why a connection attempt failed, for a log line or a task's status: the handshake refusal, the transport
     * error, an immediate close, or no answer in time.
     */
    public String describeConnectFailure(long connectTimeoutMs, long retryAfterMaxMs) {
        if (refusal.status() != 0) {
            return refusal.describe(retryAfterMaxMs);
        }
        if (failure != null) {
            return failure;
        }
        String closedHow = closeDescription();
        return closedHow != null ? "closed right after the handshake (" + closedHow + ")"
                : "no answer within astro.connect.timeout.ms=" + connectTimeoutMs;
    }

    /**
     * Closes with a normal close handshake and waits for it (bounded, not interruptible: see
     * {@link #awaitClosed}); drops the connection when the gateway does not answer in time.
     */
    public void closeGracefully(String reason, long timeoutMs) {
        close(CloseFrame.NORMAL, reason);
        awaitClosedOrDrop(timeoutMs);
    }

    /**
     * Waits for a close handshake under way; drops the connection when it does not end in time, closing the TCP
     * socket too, which ends a reader waiting for the gateway's answer and a writer stuck behind a gateway that no
     * longer reads.
     */
    private void awaitClosedOrDrop(long timeoutMs) {
        if (!awaitClosed(timeoutMs)) {
            closeConnection(CloseFrame.ABNORMAL_CLOSE, "close handshake timed out");
            closeTcp();
        }
    }

    /**
     * Whether a close is under way, as Java-WebSocket's reader asks before each read. Once it is, the reader ends the
     * connection, interrupting the writer, which quits between two frames: a close frame still queued behind a frame
     * being written was dropped, and the gateway saw the connection cut. So the reader is told once the writer has
     * taken every queued frame (a frame taken is written whole: a socket write is not interrupted), waiting a little
     * for it; a writer stuck behind a gateway that does not read takes longer, and the reader then reads on (and
     * discards, as the library does once closing) until the gateway answers or ends the connection, or a drop.
     */
    @Override
    public boolean isClosing() {
        if (!super.isClosing()) {
            return false;
        }
        return BoundedWait.until(() -> !hasBufferedData(), WRITER_TAKES_CLOSE_NANOS, LOOK_EVERY_NANOS);
    }

    /** The reader thread: connects, then reads until the connection ends; the library logs from it too. */
    @Override
    public void run() {
        logContext.runReader(super::run);
    }

    /**
     * Sends an unsolicited PONG (RFC 6455 allows one as a one-way heartbeat). While the reader waits on a full
     * buffer it cannot read the server's pings, let alone answer them; this keeps the gateway from dropping a
     * connection for a missing pong while Kafka is slow.
     */
    public void sendKeepAlive() {
        try {
            sendFrame(new PongFrame());
        } catch (WebsocketNotConnectedException e) {
            // Closing already; the session learns it from the close callback.
        }
    }

    /**
     * Waits until the connection is closed, or the timeout. Not interruptible: the task's stop interrupts the
     * session thread, and giving up early would cut the close handshake short (the gateway would see an abnormal
     * close), so the interrupt is kept for the caller instead.
     */
    boolean awaitClosed(long timeoutMs) {
        return BoundedWait.until(() -> closed.getCount() == 0, TimeUnit.MILLISECONDS.toNanos(timeoutMs),
                LOOK_EVERY_NANOS);
    }

    /**
     * Gives up a connection that is not open yet: closing the TCP socket under the handshake ends a reader thread
     * blocked in the connect or waiting for the handshake's answer.
     */
    void abort() {
        closeTcp();
        closeConnection(CloseFrame.ABNORMAL_CLOSE, "connection attempt abandoned");
    }

    private void closeTcp() {
        Socket raw = getSocket();
        if (raw != null) {
            try {
                raw.close();
            } catch (IOException e) {
                failure("IOException: " + e.getMessage());
            }
        }
    }

    /** How the connection ended, for log lines; null while it is open or was never attempted. */
    String closeDescription() {
        if (closed.getCount() > 0 || closeCode == CloseFrame.NEVER_CONNECTED) {
            return null;
        }
        return "close code " + closeCode + (closeReason == null || closeReason.isEmpty() ? "" : ", " + closeReason)
                + (closedByUs ? "" : ", by the server");
    }

    /** Why this side closed the connection over a frame it refused; null when it did not. */
    public FrameFault frameFault() {
        return frameFault;
    }

    /** The library's reason for the {@link #frameFault()}, fit for a log line. */
    public String frameFaultReason() {
        return frameFaultReason;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        markAlive();
        logContext.run(() -> listener.onOpen(this));
    }

    @Override
    public void onMessage(String message) {
        markAlive();
        logContext.run(() -> listener.onText(this, message));
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        markAlive();
        int size = bytes.remaining();
        logContext.run(() -> listener.onBinary(this, size));
    }

    @Override
    public void onWebsocketPing(WebSocket conn, Framedata f) {
        markAlive();
        super.onWebsocketPing(conn, f);
    }

    @Override
    public void onWebsocketPong(WebSocket conn, Framedata f) {
        markAlive();
    }

    @Override
    public void onCloseInitiated(int code, String reason) {
        closedByUs = true;
        // Java-WebSocket closes on its own over a frame it refuses (1009 too big, 1007 not UTF-8, 1002 protocol
        // error); for a frame too big it calls no error callback, so the close code is the one trace of it.
        frameFaultReason = SafeText.serverText(reason, null);
        frameFault = FrameFault.ofCloseCode(code);
    }

    /** Runs on the reader, on the writer when writing fails, or on whichever thread closes the socket. */
    @Override
    public void onClose(int code, String reason, boolean remote) {
        closeCode = code;
        closeReason = reason;
        closed.countDown();
        logContext.run(() -> listener.onClosed(this, code, reason, remote));
    }

    /** Runs on the reader, or on the writer when writing fails. */
    @Override
    public void onError(Exception error) {
        logContext.run(() -> listener.onError(this, error));
    }

    /**
     * Ends the connection for good: a normal close handshake, or lets one already under way finish (bounded by
     * {@code timeoutMs}). A socket still connecting is aborted instead, which also ends a reader thread blocked in
     * the TCP connect or the handshake.
     */
    public void shutdown(String reason, boolean drainFirst, long timeoutMs) {
        if (isClosed()) {
            return;
        }
        if (isOpen()) {
            if (drainFirst) {
                awaitReaderDrained();
            }
            closeGracefully(reason, timeoutMs);
        } else if (getReadyState() != ReadyState.CLOSING) {
            abort();
        } else {
            awaitClosedOrDrop(timeoutMs);
        }
    }

    /**
     * Lets the reader read what has already arrived before the close frame goes out, when {@code drainFirst}: the
     * task stops with a full buffer, its reader blocked or about to be. Java-WebSocket stops reading once its close
     * frame is sent and closes the TCP socket; a socket closed with much unread data resets the connection, and the
     * reset can make the gateway drop the close frame unread (an abnormal close). The buffer is closed by now, so the
     * reader only discards what it reads, which is lost as it would be unread. Waits until the reader is not blocked
     * on the buffer and no frame has arrived for {@link #DRAIN_QUIET_NANOS}, at most {@link #DRAIN_MAX_NANOS}. Not
     * done for a reader that kept up: what the gateway sends meanwhile would be read and lost, where a prompt close
     * leaves it to whichever connection is subscribed by then (on a rebalance, perhaps the task replacing this one).
     */
    private void awaitReaderDrained() {
        BoundedWait.until(() -> isClosed() || !readerWaiting && System.nanoTime() - lastFrameNanos >= DRAIN_QUIET_NANOS,
                DRAIN_MAX_NANOS, 5 * LOOK_EVERY_NANOS);
    }
}
