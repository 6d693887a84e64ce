package io.github.kafkaconnectastro.transport;

import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.handshake.Handshakedata;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A Java-WebSocket listener that ignores every callback, for a test or a benchmark that drives a draft's
 * {@code processFrame} by hand and overrides only the callbacks it watches.
 */
public abstract class IgnoringListener extends WebSocketAdapter {

    @Override
    public void onWebsocketMessage(WebSocket conn, String message) {
    }

    @Override
    public void onWebsocketMessage(WebSocket conn, ByteBuffer blob) {
    }

    @Override
    public void onWebsocketOpen(WebSocket conn, Handshakedata d) {
    }

    @Override
    public void onWebsocketClose(WebSocket ws, int code, String reason, boolean remote) {
    }

    @Override
    public void onWebsocketClosing(WebSocket ws, int code, String reason, boolean remote) {
    }

    @Override
    public void onWebsocketCloseInitiated(WebSocket ws, int code, String reason) {
    }

    @Override
    public void onWebsocketError(WebSocket conn, Exception ex) {
    }

    @Override
    public void onWriteDemand(WebSocket conn) {
    }

    @Override
    public InetSocketAddress getLocalSocketAddress(WebSocket conn) {
        return null;
    }

    @Override
    public InetSocketAddress getRemoteSocketAddress(WebSocket conn) {
        return null;
    }
}
