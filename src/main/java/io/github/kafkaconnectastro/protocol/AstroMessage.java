package io.github.kafkaconnectastro.protocol;

import java.time.Instant;

/**
 * A message the Astro gateway sends to a client. Every kind the protocol documents has its own record;
 * anything the codec cannot read becomes a {@link Malformed} value instead of an exception, so a bad frame
 * never escapes the socket's reader thread.
 */
public sealed interface AstroMessage {

    /** Sent right after the handshake. */
    record Welcome(String id, String clientId, String message) implements AstroMessage { }

    /**
     * The answer to a subscribe or unsubscribe command. {@code error} is null on success; {@code room} is the
     * canonical room the server chose, which may differ from the one requested.
     */
    record Response(String id, String nonce, String error, String message, String topic, String room)
            implements AstroMessage {
        public boolean isError() {
            return error != null && !error.isEmpty();
        }

        public ErrorCode errorCode() {
            return ErrorCode.of(error);
        }
    }

    /**
     * A pushed notification. {@code room} is already resolved from {@code data.channel} when the message had no
     * room; it is null when neither was present (the session then falls back to the subscribed room).
     * {@code dataJson} is the notification's {@code data} as JSON text, {@code dataType} its {@code data.type}
     * when present (the activity kind on {@code channel.activities}).
     */
    record Notification(String id, Instant ts, String topic, String room, String dataType, String dataJson,
                        int frameBytes) implements AstroMessage { }

    /** The server is shutting down: reconnect with the token, and the server restores the subscriptions. */
    record Reconnect(String reconnectToken, String message) implements AstroMessage { }

    /** A well-formed message whose {@code type} this connector does not know. */
    record Unknown(String type) implements AstroMessage { }

    /** A frame that could not be read; {@code reason} says why, without echoing the frame. */
    record Malformed(Kind kind, String reason) implements AstroMessage {

        /** What was wrong, as counted in the task's metrics. */
        public enum Kind {
            /** Not JSON, or JSON that is not an object. */
            INVALID_JSON("invalid_json"),
            /** A field every message of its type has ({@code type}, or a notification's {@code id} or topic). */
            MISSING_FIELD("missing_field"),
            /** A field whose value cannot be read or used, such as a {@code ts} not RFC 3339 or not in 1970–9999. */
            BAD_VALUE("bad_value"),
            /** JSON nested deeper than {@code astro.json.max.nesting.depth}. */
            TOO_DEEP("too_deep"),
            /** Another of the parser's limits, such as a number of more than 1000 digits. */
            JSON_LIMIT("json_limit");

            private final String metricName;

            Kind(String metricName) {
                this.metricName = metricName;
            }

            /** The key in {@code MalformedFramesByKind}. */
            public String metricName() {
                return metricName;
            }
        }
    }
}
