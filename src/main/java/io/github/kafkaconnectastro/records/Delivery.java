package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.Subscription;


/**
 * A notification routed to the subscription it belongs to, on its way from the socket to {@code poll()}.
 *
 * @param subscription the configured pair; its {@link Subscription#toString()} names the source partition
 * @param room         the room the notification is for (the canonical one, never empty)
 * @param notification the decoded notification
 */
public record Delivery(Subscription subscription, String room, AstroMessage.Notification notification) {

    /** An estimate of the heap this delivery holds, used to bound the buffer in bytes. */
    public int estimatedBytes() {
        return notification.frameBytes() + 2 * (notification.dataJson() == null ? 0 : notification.dataJson().length());
    }
}
