package io.github.kafkaconnectastro.protocol;

import java.util.Locale;

/** Error codes of Astro responses, with what a client does about each. */
public enum ErrorCode {
    UNAUTHORIZED("err_unauthorized", Handling.PERMANENT),
    BAD_REQUEST("err_bad_request", Handling.PERMANENT),
    RATE_LIMIT_EXCEEDED("rate_limit_exceeded", Handling.RATE_LIMITED),
    INTERNAL_ERROR("err_internal_error", Handling.RETRY),
    DEADLINE_EXCEEDED("err_deadline_exceeded", Handling.RETRY),
    INVALID_MESSAGE("invalid_message", Handling.CLIENT_BUG),
    INVALID_MESSAGE_TYPE("invalid_message_type", Handling.CLIENT_BUG),
    /** A code this connector does not know; retried, since a new transient code is likelier than a new fatal one. */
    OTHER("other", Handling.RETRY);

    /** What a client does about an error. */
    public enum Handling {
        /** The subscription cannot succeed with this configuration. */
        PERMANENT,
        /** Back off and retry the pending commands (such responses carry no nonce). */
        RATE_LIMITED,
        /** Retry the command with backoff. */
        RETRY,
        /** The server could not read our command: a bug on our side; log it. */
        CLIENT_BUG
    }

    private final String wire;
    private final Handling handling;

    ErrorCode(String wire, Handling handling) {
        this.wire = wire;
        this.handling = handling;
    }

    public String wire() {
        return wire;
    }

    public Handling handling() {
        return handling;
    }

    /** The code for a wire value, {@link #OTHER} for an unknown one. */
    public static ErrorCode of(String wire) {
        if (wire == null) {
            return OTHER;
        }
        String normalized = wire.trim().toLowerCase(Locale.ROOT);
        for (ErrorCode code : values()) {
            if (code.wire.equals(normalized)) {
                return code;
            }
        }
        return OTHER;
    }
}
