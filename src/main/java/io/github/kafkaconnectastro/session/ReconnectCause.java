package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.transport.FrameFault;

/** Why a connection ended or could not be made, counted by its key in {@code ReconnectsByCause}. */
public enum ReconnectCause {
    /** No connection: refused, unresolvable, or no answer within astro.connect.timeout.ms. */
    CONNECT_FAILED("connect_failed"),
    /** The gateway answered the handshake with an HTTP status (429 connecting too often, 502 draining). */
    HANDSHAKE_REFUSED("handshake_refused"),
    /** The connection ended without a close frame from the gateway. */
    CONNECTION_LOST("connection_lost"),
    /** The gateway closed the connection with a close frame. */
    CLOSED_BY_SERVER("closed_by_server"),
    /** Nothing received for astro.liveness.timeout.ms: a half-open connection, dropped. */
    LIVENESS("liveness"),
    /** The gateway's {@code reconnect} message, with or without a reconnect token. */
    SERVER_RECONNECT("server_reconnect"),
    /** The reconnect token did not work: refused, or the resumed connection closed at once. */
    RESUME_REFUSED("resume_refused"),
    /** A frame, or a fragmented message, over the hard ceiling ({@link FrameFault#TOO_LARGE}). */
    FRAME_TOO_LARGE("frame_too_large"),
    /** A frame the websocket library refused: invalid UTF-8, or one the protocol forbids. */
    INVALID_FRAME("invalid_frame"),
    /** A renewed token: a new connection subscribes with it before the old one closes. */
    TOKEN_RENEWED("token_renewed");

    private final String key;

    ReconnectCause(String key) {
        this.key = key;
    }

    /** The key in {@code ReconnectsByCause}. */
    public String key() {
        return key;
    }

    /** The cause of a connection this side closed over a frame it refused. */
    static ReconnectCause of(FrameFault fault) {
        return fault == FrameFault.TOO_LARGE ? FRAME_TOO_LARGE : INVALID_FRAME;
    }
}
