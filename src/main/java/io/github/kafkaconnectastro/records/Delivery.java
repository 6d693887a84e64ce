package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.Rfc3339;
import io.github.kafkaconnectastro.protocol.Subscription;


/**
 * A notification routed to the subscription it belongs to, on its way from the socket to {@code poll()}.
 *
 * @param subscription the configured pair; its {@link Subscription#toString()} names the source partition
 * @param room         the room the notification is for (the canonical one, never empty)
 * @param notification the decoded notification
 */
public record Delivery(Subscription subscription, String room, AstroMessage.Notification notification) {

    /**
     * A delivery made on the reader thread as the notification is routed: a record value the codec's
     * {@link PayloadReading} made gets the notification's own fields here, so that {@code poll()} only reads it.
     */
    public static Delivery routed(Subscription subscription, String room, AstroMessage.Notification notification) {
        if (notification.payload() instanceof ReadPayload read) {
            read.complete(notification, room);
        }
        return new Delivery(subscription, room, notification);
    }

    /**
     * An estimate of the heap this delivery holds, used to bound the buffer in bytes: the frame's texts, the
     * payload's text when kept, and the record value read from it ({@link ReadPayload#estimatedBytes}), which is
     * larger than its text.
     */
    public int estimatedBytes() {
        return notification.frameBytes() + 2 * (notification.dataJson() == null ? 0 : notification.dataJson().length())
                + (notification.payload() == null ? 0 : notification.payload().estimatedBytes());
    }

    /**
     * {@code data.createdAt} in epoch ms, or {@link Rfc3339#UNKNOWN} when absent or unreadable: as read on the
     * reader thread when the codec had a {@link PayloadReading}, else read from the text now.
     */
    public long createdAtMs() {
        return notification.payload() != null ? notification.payload().createdAtMs()
                : Rfc3339.epochMsOrUnknown(notification.createdAt());
    }
}
