package io.github.kafkaconnectastro.session;

import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ServerHandshake;

import java.net.URI;
import java.nio.ByteBuffer;

/**
 * One websocket connection to the gateway. Java-WebSocket clients are single-use, so the session builds a new
 * one for every connection attempt. Every callback is handed to the {@link Listener} with this socket, so the
 * session can ignore late callbacks of a connection it has already given up.
 */
final class AstroSocket extends WebSocketClient {

    /** Callbacks of one connection; they run on Java-WebSocket's reader thread and must not throw. */
    interface Listener {
        void onOpen(AstroSocket socket);

        void onText(AstroSocket socket, String text);

        void onBinary(AstroSocket socket, int bytes);

        void onClosed(AstroSocket socket, int code, String reason, boolean remote);

        void onError(AstroSocket socket, Exception error);
    }

    private final Listener listener;
    private final HandshakeRefusal refusal;
    private volatile long lastFrameNanos = System.nanoTime();
    private volatile String failure;

    private AstroSocket(URI uri, Listener listener, HandshakeRefusal refusal, int maxFrameBytes, int connectTimeoutMs) {
        super(uri, new HandshakeRefusal.RecordingDraft(refusal, maxFrameBytes), null, connectTimeoutMs);
        this.listener = listener;
        this.refusal = refusal;
        // Liveness is the session's job: it knows when its own reader is blocked by a full buffer.
        setConnectionLostTimeout(0);
        setDaemon(true);
    }

    static AstroSocket create(URI uri, Listener listener, int maxFrameBytes, int connectTimeoutMs) {
        return new AstroSocket(uri, listener, new HandshakeRefusal(), maxFrameBytes, connectTimeoutMs);
    }

    HandshakeRefusal refusal() {
        return refusal;
    }

    /** The last transport error, for the log line that explains a failed connection; null when none. */
    String failure() {
        return failure;
    }

    void failure(String description) {
        failure = description;
    }

    /** When the last frame of any kind (text, binary, ping, pong) arrived. */
    long lastFrameNanos() {
        return lastFrameNanos;
    }

    /** Counts the time spent waiting on a full buffer as alive: the silence is ours, not the server's. */
    void markAlive() {
        lastFrameNanos = System.nanoTime();
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        markAlive();
        listener.onOpen(this);
    }

    @Override
    public void onMessage(String message) {
        markAlive();
        listener.onText(this, message);
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        markAlive();
        listener.onBinary(this, bytes.remaining());
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
    public void onClose(int code, String reason, boolean remote) {
        listener.onClosed(this, code, reason, remote);
    }

    @Override
    public void onError(Exception error) {
        listener.onError(this, error);
    }
}
