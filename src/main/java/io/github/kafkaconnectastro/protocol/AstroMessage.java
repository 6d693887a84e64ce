package io.github.kafkaconnectastro.protocol;

import java.time.Instant;
import java.util.Locale;

/**
 * A message the Astro gateway sends to a client. Every kind the gateway is known to send has its own record;
 * anything the codec cannot read becomes a {@link Malformed} value instead of an exception, so a bad frame
 * never escapes the socket's reader thread. A message reaches its handling through {@link #dispatch}, so that
 * a new kind of message does not compile until every {@link Handler} handles it.
 */
public sealed interface AstroMessage {

    /** Calls the handler's method for this kind of message. */
    <C> void dispatch(Handler<C> handler, C context);

    /**
     * One method per kind of message; {@code context} is whatever the caller needs along (the connection the
     * frame came from).
     */
    interface Handler<C> {
        void welcome(C context, Welcome welcome);

        void response(C context, Response response);

        void notification(C context, Notification notification);

        void broadcast(C context, Broadcast broadcast);

        void reconnect(C context, Reconnect reconnect);

        void unknown(C context, Unknown unknown);

        void malformed(C context, Malformed malformed);
    }

    /** Sent right after the handshake. */
    record Welcome(String id, String clientId, String message) implements AstroMessage {
        @Override
        public <C> void dispatch(Handler<C> handler, C context) {
            handler.welcome(context, this);
        }
    }

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

        /**
         * An {@code err_bad_request} saying the pair is already subscribed: the gateway answers a repeated
         * subscribe on one connection so. The pair is subscribed; nothing failed.
         */
        public boolean alreadySubscribed() {
            return errorCode() == ErrorCode.BAD_REQUEST && message != null
                    && message.toLowerCase(Locale.ROOT).contains("already subscribed");
        }

        @Override
        public <C> void dispatch(Handler<C> handler, C context) {
            handler.response(context, this);
        }
    }

    /**
     * A pushed notification. {@code room} is already resolved from {@code data.channel} when the message had no
     * room; it is null when neither was present, or both were empty (the session then falls back to the subscribed
     * room).
     * {@code dataJson} is the notification's {@code data} as JSON text, {@code dataType} its {@code data.type}
     * when present (the activity kind on {@code channel.activities}), {@code eventId} its {@code data._id} when
     * present (the event's own id, unlike {@code id}, which names one delivery), {@code createdAt} its
     * {@code data.createdAt} text when present (when the event happened, which gap repair compares with the events
     * the REST API returns). {@code payload} is what the codec's {@link PayloadReader} prepared from {@code data}
     * in its pass over the frame, or null without a reader; with one, {@code dataJson} is null unless the payload
     * was read from text ({@link PayloadReader#fromText}).
     */
    record Notification(String id, Instant ts, String topic, String room, String dataType, String eventId,
                        String dataJson, int frameBytes, String createdAt, PayloadReader.Prepared payload)
            implements AstroMessage {

        /** A notification whose payload was not read by a {@link PayloadReader}. */
        public Notification(String id, Instant ts, String topic, String room, String dataType, String eventId,
                            String dataJson, int frameBytes, String createdAt) {
            this(id, ts, topic, room, dataType, eventId, dataJson, frameBytes, createdAt, null);
        }

        /** A notification whose payload has no {@code createdAt}. */
        public Notification(String id, Instant ts, String topic, String room, String dataType, String eventId,
                            String dataJson, int frameBytes) {
            this(id, ts, topic, room, dataType, eventId, dataJson, frameBytes, null);
        }

        @Override
        public <C> void dispatch(Handler<C> handler, C context) {
            handler.notification(context, this);
        }
    }

    /**
     * A message of the gateway's own, for every client: a notification on topic {@link #TOPIC} whose data is a
     * message ({@code "data":{"message":"Hello world!"}}). It is for no subscription.
     */
    record Broadcast(String id, String message) implements AstroMessage {
        /** The topic the gateway broadcasts on. */
        public static final String TOPIC = "astro";

        @Override
        public <C> void dispatch(Handler<C> handler, C context) {
            handler.broadcast(context, this);
        }
    }

    /** The server is shutting down: reconnect with the token, and the server restores the subscriptions. */
    record Reconnect(String reconnectToken, String message) implements AstroMessage {
        @Override
        public <C> void dispatch(Handler<C> handler, C context) {
            handler.reconnect(context, this);
        }
    }

    /** A well-formed message whose {@code type} this connector does not know. */
    record Unknown(String type) implements AstroMessage {
        @Override
        public <C> void dispatch(Handler<C> handler, C context) {
            handler.unknown(context, this);
        }
    }

    /** A frame that could not be read; {@code reason} says why, without echoing the frame. */
    record Malformed(Kind kind, String reason) implements AstroMessage {

        @Override
        public <C> void dispatch(Handler<C> handler, C context) {
            handler.malformed(context, this);
        }

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
