package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.transport.AstroSocket;
import org.java_websocket.framing.CloseFrame;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The session's connections: the current one and, during a make-before-break handover, the outgoing one it
 * replaces, which keeps delivering until the current one is subscribed, and then until its close completes: a
 * notification the gateway sent on it before the close is still passed on (the deduplication drops those the
 * current one delivers too). Set and closed on the session's thread; read on the connections' reader threads,
 * which pass on the frames of these connections only.
 */
final class Connections {

    /**
     * A loaded worker can take a while to answer the gateway's close frame; past this the socket is dropped without
     * one. Below the session's stop timeout, so that a stop still ends within Connect's graceful shutdown time.
     */
    private static final long CLOSE_HANDSHAKE_TIMEOUT_MS = 4_000;

    private final NotificationBuffer buffer;
    private final BooleanSupplier stopping;
    private volatile AstroSocket current;
    private volatile AstroSocket outgoing;
    /** Outgoing connections being closed: their frames are still passed on until the close completes. */
    private final Set<AstroSocket> closing = ConcurrentHashMap.newKeySet();

    Connections(NotificationBuffer buffer, BooleanSupplier stopping) {
        this.buffer = buffer;
        this.stopping = stopping;
    }

    /**
     * Makes {@code socket} the current connection. With a {@code handover} (the connection it replaces, still
     * open), that one becomes the outgoing one; without, the current one is given up.
     */
    void replaceWith(AstroSocket socket, AstroSocket handover) {
        if (handover == null) {
            retire(current);
        }
        outgoing = handover;
        current = socket;
    }

    AstroSocket current() {
        return current;
    }

    /**
     * Whether a frame of this socket is still to be passed on: it is the current or the outgoing connection, or an
     * outgoing one whose close has not completed.
     */
    boolean live(AstroSocket socket) {
        return socket == current || socket == outgoing || closing.contains(socket);
    }

    /** A connection's close completed: nothing more comes from it. */
    void closed(AstroSocket socket) {
        closing.remove(socket);
    }

    /** Whether a replaced connection still delivers while the current one subscribes. */
    boolean handingOver() {
        return outgoing != null;
    }

    /** Closes the connection a handover replaced, once its successor is subscribed (or gone). */
    void closeOutgoing() {
        AstroSocket old = outgoing;
        if (old != null) {
            closing.add(old);
            outgoing = null;
            retire(old);
            close(old);
        }
    }

    /** Gives a connection up: its reader stops waiting for room in the buffer, and drops what it holds. */
    void retire(AstroSocket socket) {
        if (socket != null && !socket.retired()) {
            socket.retire();
            buffer.wakeWaiters();
        }
    }

    /**
     * The task stops: sends the close frame on the connections now, from the caller's thread, without waiting for
     * the handshake, so that the gateway stops sending at once. Not when the buffer was full at the stop: then the
     * session's thread lets the reader drain first ({@link #close}).
     */
    void beginClose() {
        if (buffer.closedWhenFull()) {
            return;
        }
        for (AstroSocket socket : new AstroSocket[] {outgoing, current}) {
            if (socket != null && socket.isOpen()) {
                socket.retire();
                socket.close(CloseFrame.NORMAL, "task stopping");
            }
        }
    }

    /** Ends a connection, letting its reader drain first when the task stops with a full buffer. */
    void close(AstroSocket socket) {
        if (socket != null) {
            boolean stop = stopping.getAsBoolean();
            socket.shutdown(stop ? "task stopping" : "reconnecting", stop && buffer.closedWhenFull(),
                    CLOSE_HANDSHAKE_TIMEOUT_MS);
        }
    }
}
