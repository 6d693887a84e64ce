package io.github.kafkaconnectastro.emulator;

import org.java_websocket.handshake.ServerHandshakeBuilder;

/** The HTTP refusals scheduled for the next handshakes (429 while throttling, 502 draining). */
final class HandshakeRefusals {

    private int left;
    private int status;
    private Integer retryAfterSeconds;

    synchronized void schedule(int httpStatus, Integer retryAfter, int times) {
        if (httpStatus < 300 || httpStatus > 599) {
            throw new IllegalArgumentException("not a refusal status: " + httpStatus);
        }
        status = httpStatus;
        retryAfterSeconds = retryAfter;
        left = times;
    }

    /** Uses up one scheduled refusal; null when the handshake should be accepted. */
    synchronized ServerHandshakeBuilder next() {
        if (left <= 0) {
            return null;
        }
        left--;
        return RefusingDraft.refusal(status, retryAfterSeconds);
    }
}
