package io.github.kafkaconnectastro.transport;

import org.java_websocket.framing.CloseFrame;

/**
 * A frame Java-WebSocket refused on an open connection, known by the close code it then closed the connection with
 * on its own (there is no other callback for it): the session counts it by kind, warns and reconnects.
 */
public enum FrameFault {
    /** A frame, or a fragmented message, over the hard ceiling (see {@link BoundedMessageDraft}). */
    TOO_LARGE(CloseFrame.TOOBIG, "too_large"),
    /** A text frame, or a fragmented text message, that is not valid UTF-8. */
    INVALID_UTF8(CloseFrame.NO_UTF8, "invalid_utf8"),
    /**
     * A frame RFC 6455 forbids: a control frame over 125 bytes or fragmented, a close code that must not be sent
     * (such as 999 or 1005), an unknown opcode, a reserved bit, a continuation frame out of place.
     */
    PROTOCOL_ERROR(CloseFrame.PROTOCOL_ERROR, "protocol_error");

    private final int closeCode;
    private final String kind;

    FrameFault(int closeCode, String kind) {
        this.closeCode = closeCode;
        this.kind = kind;
    }

    /** The fault this side's close code stands for; null for a close of the connector's own (normal, liveness). */
    static FrameFault ofCloseCode(int code) {
        for (FrameFault fault : values()) {
            if (fault.closeCode == code) {
                return fault;
            }
        }
        return null;
    }

    /** The key in {@code MalformedFramesByKind}. */
    public String kind() {
        return kind;
    }

    /** For the "connection lost" line and the reconnect budget's last problem. */
    public String detail(int hardCeiling, String reason) {
        return this == TOO_LARGE ? "a frame or fragmented message over " + hardCeiling + " bytes"
                : "close code " + closeCode + ", " + reason;
    }

    /** The warning, saying what happened, what the connector does and what the user can do. */
    public String warning(int hardCeiling, String reason) {
        return switch (this) {
            case TOO_LARGE -> "Astro sent a frame or a fragmented message over " + hardCeiling + " bytes (4 x "
                    + "astro.frame.max.bytes); the connection was closed before reading it whole and is opened "
                    + "again. Raise astro.frame.max.bytes if the gateway sends notifications this large";
            case INVALID_UTF8 -> "Astro sent a text frame that is not valid UTF-8 (" + reason + "); the connection "
                    + "was closed with code 1007 and is opened again. If this repeats, look for a proxy between the "
                    + "worker and the gateway that alters frames";
            case PROTOCOL_ERROR -> "Astro sent a frame the websocket protocol forbids (" + reason + "); the "
                    + "connection was closed with code 1002 and is opened again. If this repeats, look for a proxy "
                    + "between the worker and the gateway that alters frames";
        };
    }
}
