package io.github.kafkaconnectastro.emulator;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.PingFrame;

/**
 * State of one accepted connection. Every write goes through this object's lock so that frames
 * sent from the test thread and from the server's worker threads never interleave with a drop,
 * and so that "counted as delivered" means "queued before the socket was closed".
 */
final class ClientSession {

    private final WebSocket conn;
    private final String clientId;
    private final TokenBucket commandBucket;
    private final Set<Subscription> subscriptions = new HashSet<>();
    private boolean writable = true;
    private volatile long lastPongNanos = System.nanoTime();

    ClientSession(WebSocket conn, String clientId, TokenBucket commandBucket) {
        this.conn = conn;
        this.clientId = clientId;
        this.commandBucket = commandBucket;
    }

    WebSocket connection() {
        return conn;
    }

    String clientId() {
        return clientId;
    }

    TokenBucket commandBucket() {
        return commandBucket;
    }

    /**
     * Makes the session visible and sends its first frame atomically: anything sent by other threads
     * (a notification to a restored subscription) waits for this lock, so it cannot overtake the
     * welcome, while the connection already counts as open when the client reads the welcome.
     *
     * @param firstFrame the welcome, or null for none
     */
    synchronized void registerThenSend(Runnable register, String firstFrame) {
        register.run();
        if (firstFrame != null) {
            sendText(firstFrame);
        }
    }

    /** Sends a text frame; false when the connection is already being closed. */
    synchronized boolean sendText(String text) {
        if (!writable || !conn.isOpen()) {
            return false;
        }
        try {
            conn.send(text);
            return true;
        } catch (WebsocketNotConnectedException e) {
            return false;
        }
    }

    /**
     * Queues bytes that are already complete websocket frames (server to client: unmasked) for writing as they are,
     * through the library's own outbound queue and write demand, as its {@code send} does after encoding a frame;
     * false when the connection is already being closed.
     */
    synchronized boolean sendPreEncoded(ByteBuffer frames) {
        if (!writable || !conn.isOpen() || !(conn instanceof WebSocketImpl impl)) {
            return false;
        }
        try {
            impl.outQueue.put(frames);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        impl.getWebSocketListener().onWriteDemand(impl);
        return true;
    }

    /** True while {@code frames} (by identity) waits in, or is being written from, this connection's queue. */
    boolean stillQueued(ByteBuffer frames) {
        if (!conn.isOpen() || !(conn instanceof WebSocketImpl impl)) {
            return false;
        }
        for (ByteBuffer queued : impl.outQueue) {
            if (queued == frames) {
                return true;
            }
        }
        return false;
    }

    synchronized boolean sendBinary(byte[] bytes) {
        if (!writable || !conn.isOpen()) {
            return false;
        }
        try {
            conn.send(bytes);
            return true;
        } catch (WebsocketNotConnectedException e) {
            return false;
        }
    }

    synchronized void sendPing() {
        if (writable && conn.isOpen()) {
            try {
                conn.sendFrame(new PingFrame());
            } catch (WebsocketNotConnectedException e) {
                // Closed between the check and the write: nothing to ping any more.
            }
        }
    }

    /**
     * Closes the TCP connection without a WebSocket close frame, after flushing what was already
     * queued. With Java-WebSocket, {@code close(ABNORMAL_CLOSE)} on an open server connection takes
     * the "flush and close" path, which never writes a close frame; the channel is then closed
     * normally (FIN), so frames counted as delivered still reach the peer.
     */
    synchronized void dropAbruptly(String reason) {
        writable = false;
        conn.close(CloseFrame.ABNORMAL_CLOSE, reason);
    }

    /**
     * Closes the socket immediately, dropping anything still queued. Used only when a flush cannot
     * finish (the peer stopped reading), so that a drop or shutdown never hangs.
     */
    synchronized void forceClose(String reason) {
        writable = false;
        if (conn instanceof WebSocketImpl impl) {
            impl.closeConnection(CloseFrame.ABNORMAL_CLOSE, reason);
        }
    }

    /** Sends a last frame, then starts a normal close handshake with the given code. */
    synchronized void sendAndClose(String lastFrame, int code, String reason) {
        if (writable && conn.isOpen() && lastFrame != null) {
            try {
                conn.send(lastFrame);
            } catch (WebsocketNotConnectedException e) {
                // Already closing; the close below is then a no-op.
            }
        }
        writable = false;
        conn.close(code, reason);
    }

    synchronized boolean isWritable() {
        return writable && conn.isOpen();
    }

    synchronized void subscribe(Subscription subscription) {
        subscriptions.add(subscription);
    }

    synchronized void subscribeAll(Set<Subscription> restored) {
        subscriptions.addAll(restored);
    }

    /** Removes one room of a topic, or every room of it when {@code room} is null. */
    synchronized void unsubscribe(String topic, String room) {
        subscriptions.removeIf(s -> s.topic().equals(topic) && (room == null || s.room().equals(room)));
    }

    synchronized boolean isSubscribed(Subscription subscription) {
        return subscriptions.contains(subscription);
    }

    synchronized Set<Subscription> subscriptions() {
        return Set.copyOf(subscriptions);
    }

    void pongReceived() {
        lastPongNanos = System.nanoTime();
    }

    long lastPongNanos() {
        return lastPongNanos;
    }
}
