package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.transport.AstroSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Watches one open connection for silence, on the session's thread. A half-open TCP connection delivers nothing
 * and raises no error, so a connection silent for astro.liveness.timeout.ms is dropped; after a third of that it is
 * pinged, to make a live gateway answer. While the reader waits for room in the buffer the silence is the
 * connector's own: the reader cannot read the gateway's pings, let alone answer them, so the connection counts as
 * alive and an unsolicited pong keeps the gateway from dropping it.
 */
final class Liveness {

    private static final Logger log = LoggerFactory.getLogger(Liveness.class);
    /** Well inside the gateway's 70 s pong deadline, whatever astro.liveness.timeout.ms is. */
    private static final long MAX_KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final AstroSocket socket;
    private final Duration timeout;
    private final long timeoutNanos;
    private final long keepAliveNanos;
    private long lastPingNanos;
    private long lastKeepAliveNanos;

    Liveness(AstroSocket socket, Duration timeout, long nowNanos) {
        this.socket = socket;
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.keepAliveNanos = Math.min(timeoutNanos / 3, MAX_KEEPALIVE_NANOS);
        this.lastPingNanos = nowNanos;
        this.lastKeepAliveNanos = nowNanos;
    }

    /**
     * Keeps the connection alive, pings it, or drops it as half-open.
     *
     * @return how long, in milliseconds, nothing was received when the connection was dropped; -1 while it lives
     */
    long check(long nowNanos) {
        long silentNanos = nowNanos - socket.lastFrameNanos();
        if (socket.readerWaiting()) {
            socket.markAlive();
            if (nowNanos - lastKeepAliveNanos >= keepAliveNanos) {
                lastKeepAliveNanos = nowNanos;
                socket.sendKeepAlive();
            }
        } else if (silentNanos > timeoutNanos) {
            log.warn("Nothing received from Astro for {} ms (astro.liveness.timeout.ms={}); dropping the "
                    + "connection as half-open", silentNanos / 1_000_000, timeout.toMillis());
            socket.closeConnection(CloseFrame.ABNORMAL_CLOSE, "liveness timeout");
            return silentNanos / 1_000_000;
        } else if (silentNanos > timeoutNanos / 3 && nowNanos - lastPingNanos > timeoutNanos / 3) {
            lastPingNanos = nowNanos;
            ping();
        }
        return -1;
    }

    /** The longest the session's thread may wait before the next check. */
    long checkIntervalNanos() {
        return timeoutNanos / 4;
    }

    private void ping() {
        try {
            socket.sendPing();
        } catch (WebsocketNotConnectedException e) {
            log.debug("Could not ping Astro: not connected");
        }
    }
}
