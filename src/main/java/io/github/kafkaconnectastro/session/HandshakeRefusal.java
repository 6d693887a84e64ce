package io.github.kafkaconnectastro.session;

import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.handshake.Handshakedata;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;

/**
 * What the gateway answered when it refused a websocket handshake: the HTTP status and its {@code Retry-After}.
 * Java-WebSocket rejects a non-101 answer before reading its headers, so {@link RecordingDraft} reads them
 * first from the same bytes.
 */
final class HandshakeRefusal {

    private volatile int status;
    private volatile long retryAfterMs = -1;

    /** The refusing HTTP status, or 0 when the handshake was not refused by an HTTP answer. */
    int status() {
        return status;
    }

    /** The server's {@code Retry-After} in milliseconds, or -1 when it sent none. */
    long retryAfterMs() {
        return retryAfterMs;
    }

    void record(ByteBuffer handshake) {
        String head = StandardCharsets.ISO_8859_1.decode(handshake.duplicate()).toString();
        int endOfHead = head.indexOf("\r\n\r\n");
        String[] lines = (endOfHead < 0 ? head : head.substring(0, endOfHead)).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/") || statusLine[1].equals("101")) {
            return;
        }
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            return;
        }
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("retry-after")) {
                retryAfterMs = parseRetryAfter(lines[i].substring(colon + 1).trim());
            }
        }
    }

    /** Delay-seconds only; an HTTP date is rare for websocket gateways and falls back to the backoff. */
    private static long parseRetryAfter(String value) {
        try {
            return Math.max(0, Long.parseLong(value)) * 1000L;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A standard RFC 6455 draft that lets the refusal see the server's handshake answer before it is parsed. */
    static final class RecordingDraft extends Draft_6455 {
        private final HandshakeRefusal refusal;

        RecordingDraft(HandshakeRefusal refusal, int maxFrameSize) {
            super(Collections.emptyList(), maxFrameSize);
            this.refusal = refusal;
        }

        @Override
        public Handshakedata translateHandshake(ByteBuffer buf) throws InvalidHandshakeException {
            refusal.record(buf);
            return super.translateHandshake(buf);
        }

        @Override
        public Draft copyInstance() {
            return new RecordingDraft(refusal, getMaxFrameSize());
        }
    }
}
