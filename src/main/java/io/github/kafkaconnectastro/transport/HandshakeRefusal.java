package io.github.kafkaconnectastro.transport;

import io.github.kafkaconnectastro.util.SafeText;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.handshake.Handshakedata;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What the gateway answered when it refused a websocket handshake: the HTTP status and its {@code Retry-After}.
 * Java-WebSocket rejects a non-101 answer before reading its headers, so {@link RecordingDraft} reads them
 * first from the same bytes.
 */
public final class HandshakeRefusal {

    private volatile int status;
    private volatile RetryAfter retryAfter;

    /** The refusing HTTP status, or 0 when the handshake was not refused by an HTTP answer. */
    public int status() {
        return status;
    }

    /**
     * The server's {@code Retry-After} in milliseconds, or -1 when it sent none. A value too large for a long, or
     * one that is neither delay-seconds nor an HTTP date, is {@link Long#MAX_VALUE}: the longest wait the
     * session's reconnect policy allows.
     */
    public long retryAfterMs() {
        RetryAfter r = retryAfter;
        return r == null ? -1 : r.ms;
    }

    /**
     * The refusal for a log line, such as {@code handshake refused with HTTP 429 (Retry-After 30 s)}; it says
     * when the policy waits less than the server asked, or could not read what it asked.
     */
    String describe(long retryAfterMaxMs) {
        String refused = "handshake refused with HTTP " + status;
        RetryAfter r = retryAfter;
        if (r == null) {
            return refused;
        }
        String obeyed = r.ms <= retryAfterMaxMs ? ""
                : (r.readable ? ", capped at " : ", unreadable, so ") + retryAfterMaxMs
                        + " ms by reconnect.retry.after.max.ms";
        return refused + " (Retry-After " + r.shown + obeyed + ")";
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
        RetryAfter found = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("retry-after")) {
                found = RetryAfter.of(lines[i].substring(colon + 1).trim(), Instant.now());
            }
        }
        retryAfter = found;
    }

    /**
     * RFC 9110's {@code Retry-After}: delay-seconds or an HTTP date, in milliseconds from {@code now} (a past date
     * is 0). Saturates at {@link Long#MAX_VALUE}, which is also what an unreadable value gives.
     */
    static long parseRetryAfterMs(String value, Instant now) {
        return RetryAfter.of(value, now).ms;
    }

    /** A parsed {@code Retry-After}, and how a log line shows it. */
    private record RetryAfter(long ms, String shown, boolean readable) {

        private static final long MAX_SECONDS = Long.MAX_VALUE / 1000;

        static RetryAfter of(String value, Instant now) {
            if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return new RetryAfter(saturatedSecondsToMs(value), SafeText.serverText(value, null) + " s", true);
            }
            try {
                Instant date = DateTimeFormatter.RFC_1123_DATE_TIME.parse(value, Instant::from);
                return new RetryAfter(Math.max(0, Duration.between(now, date).toMillis()), value, true);
            } catch (DateTimeException e) {
                return new RetryAfter(Long.MAX_VALUE, "'" + SafeText.serverText(value, null) + "'", false);
            }
        }

        private static long saturatedSecondsToMs(String digits) {
            long seconds = 0;
            for (int i = 0; i < digits.length(); i++) {
                seconds = seconds * 10 + (digits.charAt(i) - '0');
                if (seconds > MAX_SECONDS) {
                    return Long.MAX_VALUE;
                }
            }
            return seconds * 1000;
        }
    }

    /**
     * The connector's RFC 6455 draft, {@linkplain BoundedMessageDraft bounded per message}, that lets the refusal see
     * the server's handshake answer before it is parsed.
     */
    static final class RecordingDraft extends BoundedMessageDraft {
        private final HandshakeRefusal refusal;

        RecordingDraft(HandshakeRefusal refusal, int maxFrameSize) {
            super(maxFrameSize);
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
