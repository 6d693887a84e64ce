package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.subscribe.Routes;
import io.github.kafkaconnectastro.transport.Inbound;
import io.github.kafkaconnectastro.util.RateLimitedLog;

import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.records.Delivery;
import io.github.kafkaconnectastro.util.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * The reader's side of a session: checks each text frame's size, decodes it, and hands it on. Notifications go
 * to the {@link NotificationBuffer}, routed to their pair (waiting for room when Kafka is slow: backpressure);
 * answers, the welcome and the gateway's reconnect request go to the session's thread; broadcasts, bad frames and
 * notifications for no pair are counted and logged (rate-limited). Runs on each connection's reader thread and
 * never throws.
 */
public final class FrameRouter implements AstroMessage.Handler<Inbound> {

    private static final Logger log = LoggerFactory.getLogger(FrameRouter.class);
    private static final int MAX_TYPE_CHARS = 40;

    private final AstroCodec codec;
    private final int maxFrameBytes;
    private final Routes routes;
    private final NotificationBuffer buffer;
    private final SessionListener metrics;
    private final RateLimitedLog warnings;
    private final Predicate<SessionEvent> events;
    private final AtomicBoolean broadcastLogged = new AtomicBoolean();

    /**
     * @param events takes an event for the session's thread; false when its queue is full
     */
    FrameRouter(AstroCodec codec, int maxFrameBytes, Routes routes, NotificationBuffer buffer,
                SessionListener metrics, RateLimitedLog warnings, Predicate<SessionEvent> events) {
        this.codec = codec;
        this.maxFrameBytes = maxFrameBytes;
        this.routes = routes;
        this.buffer = buffer;
        this.metrics = metrics;
        this.warnings = warnings;
        this.events = events;
    }

    /** One text frame from the gateway. */
    void onText(Inbound source, String text) {
        if (exceedsUtf8Bytes(text, maxFrameBytes)) {
            skip("too_large", "a frame of " + text.length() + " characters is over astro.frame.max.bytes="
                    + maxFrameBytes + " bytes");
            return;
        }
        codec.decode(text).dispatch(this, source);
    }

    /** One binary frame: Astro sends text frames only. */
    void onBinary(int bytes) {
        skip("binary", "a binary frame of " + bytes + " bytes (Astro sends text frames only)");
    }

    @Override
    public void notification(Inbound source, AstroMessage.Notification n) {
        Routes.Route route = routes.resolve(n.topic(), n.room());
        if (route == null) {
            metrics.malformedFrame("unsubscribed");
            warnings.warn(log, "unsubscribed", "Dropping notification {} for {}:{}, which this task did not "
                    + "subscribe to", SafeText.value(n.id()), SafeText.value(n.topic()),
                    n.room() == null ? "(no room)" : SafeText.value(n.room()));
            return;
        }
        metrics.notificationReceived(route.subscription(), n.ts().toEpochMilli());
        source.readerWaiting(true);
        try {
            if (!buffer.put(Delivery.routed(route.subscription(), route.room(), n), source::retired)) {
                if (source.retired()) {
                    warnings.warn(log, "dropped-on-replace", "Dropped notification {} for {}: its connection was "
                            + "given up while the notification waited for room in the buffer (Kafka is slow)",
                            SafeText.value(n.id()), route.subscription());
                } else {
                    log.debug("Task stopping; notification {} for {} not handed over", SafeText.value(n.id()),
                            route.subscription());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            source.readerWaiting(false);
            source.markAlive();
        }
    }

    @Override
    public void broadcast(Inbound source, AstroMessage.Broadcast broadcast) {
        metrics.broadcast();
        if (broadcastLogged.compareAndSet(false, true)) {
            log.info("Astro broadcast to every client (topic '{}', not written to Kafka; further ones are counted "
                    + "in Broadcasts): {}", AstroMessage.Broadcast.TOPIC, SafeText.serverText(broadcast.message(), null));
        } else {
            log.debug("Astro broadcast {}", broadcast.id());
        }
    }

    @Override
    public void welcome(Inbound source, AstroMessage.Welcome welcome) {
        offer(new SessionEvent.Welcomed(source));
    }

    @Override
    public void response(Inbound source, AstroMessage.Response response) {
        offer(new SessionEvent.Answer(source, response));
    }

    @Override
    public void reconnect(Inbound source, AstroMessage.Reconnect reconnect) {
        offer(new SessionEvent.ReconnectAsked(source, reconnect));
    }

    @Override
    public void unknown(Inbound source, AstroMessage.Unknown unknown) {
        String type = SafeText.serverText(unknown.type(), null);
        skip("unknown_type", "unknown message type '"
                + (type.length() > MAX_TYPE_CHARS ? type.substring(0, MAX_TYPE_CHARS) + "…" : type) + "'");
    }

    @Override
    public void malformed(Inbound source, AstroMessage.Malformed malformed) {
        skip(malformed.kind().metricName(), malformed.reason());
    }

    private void offer(SessionEvent event) {
        if (!events.test(event)) {
            warnings.warn(log, "events-full", "Dropping a gateway message: the session is too many messages behind");
        }
    }

    private void skip(String kind, String reason) {
        metrics.malformedFrame(kind);
        warnings.warn(log, "malformed-" + kind, "Ignoring a frame from Astro: {}; the session goes on", reason);
    }

    /**
     * Whether the text takes more than {@code limit} bytes in UTF-8. Counted only when its length in characters
     * leaves the answer open: a character takes one to three bytes, a surrogate pair four.
     */
    public static boolean exceedsUtf8Bytes(String text, int limit) {
        if (text.length() > limit) {
            return true;
        }
        if ((long) text.length() * 3 <= limit) {
            return false;
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            if (bytes > limit) {
                return true;
            }
        }
        return false;
    }
}
