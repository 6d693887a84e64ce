package io.github.kafkaconnectastro.records;

import java.util.Map;
import java.util.TreeMap;

/**
 * The payload shape of each Astro topic whose fields StreamElements' documentation lists (docs/records.md shows
 * them); a topic not here is written in the raw shape. Every field is optional. Evolution: a field may be added (optional, no
 * default but null); a field is never renamed, retyped or removed under the same schema name.
 */
final class TopicSchemas {

    private static final String NAMESPACE = "io.github.kafkaconnectastro.";

    private static final Map<String, PayloadSchema> BY_TOPIC = Map.ofEntries(
            Map.entry("channel.activities", activities()),
            Map.entry("channel.tips", tip("channel.tips")),
            Map.entry("channel.tips.moderation", tip("channel.tips.moderation")),
            Map.entry("channel.session.update", struct("channel.session.update", "One session value changed.")
                    .string("key", "The session key, e.g. follower-latest.")
                    .string("name", "The same value as key.")
                    .string("provider", "The platform, e.g. twitch.")
                    .string("channel", "The channel id.")
                    .json("data", "The key's new value; its shape depends on the key.")
                    .build()),
            Map.entry("channel.stream.status", struct("channel.stream.status", "A live/offline transition.")
                    .bool("isLive", "Whether the channel is live on at least one platform.")
                    .build()),
            Map.entry("channel.songrequest", struct("channel.songrequest", "A song request event.")
                    .string("event", "play, pause, queue.add, song.next, settings.update, ...")
                    .json("payload", "The event's details; their shape depends on the event.")
                    .build()),
            Map.entry("channel.overlay.action", struct("channel.overlay.action", "An overlay control action.")
                    .string("action", "pause, unpause, mute, unmute, skip, playNext, emptyHypeCup or reload.")
                    .build()),
            Map.entry("channel.overlay.update", overlayUpdate()),
            Map.entry("channel.overlay.broadcast", struct("channel.overlay.broadcast", "A custom overlay event.")
                    .string("target", "global or an overlay id.")
                    .string("event", "The event name.")
                    .json("data", "The free payload (for emotesplosion-kappagen, the chat message).")
                    .build()),
            Map.entry("channel.contests", contests()),
            Map.entry("channel.giveaways", struct("channel.giveaways", "A giveaway event.")
                    .string("channelId", "The channel id.")
                    .string("giveawayId", "The giveaway id.")
                    .string("event", "start, enter, complete, winner, close, refund or refund-entry.")
                    .string("action", "The event, as older gateway versions name it.")
                    .string("state", "created, running, closed, refunded or completed.")
                    .json("data", "Totals, the entry or the winner; null for start, close and refund.")
                    .build()),
            Map.entry("channel.chatbot.status", struct("channel.chatbot.status", "The chat bot's standing.")
                    .bool("mod", "The bot gained (true) or lost (false) moderator.")
                    .bool("banned", "The bot was banned (true) or unbanned (false).")
                    .build()),
            Map.entry("channel.chatbot.counters", struct("channel.chatbot.counters", "A bot counter changed.")
                    .string("counter", "The counter's name.")
                    .float64("value", "The value after the change; 0 after a deletion or a reset.")
                    .build()),
            Map.entry("channel.chatbot.modules.pyramid", chatGame("channel.chatbot.modules.pyramid",
                    "An emote pyramid was completed.", "word", "The emote used.", "width", "The peak width.")),
            Map.entry("channel.chatbot.modules.emotecombo", chatGame("channel.chatbot.modules.emotecombo",
                    "An emote combo was broken.", "emote", "The combo's emote.", "count", "The combo's length.")),
            Map.entry("channel.chatbot.audiencequeue", struct("channel.chatbot.audiencequeue", "A queue event.")
                    .string("event", "audience-queue:created, :updated, :member-enqueued, ...")
                    .json("payload", "The queue or the member; null for deleted.")
                    .build()));

    private TopicSchemas() {
    }

    /** @return the topic's payload shape, or null when the topic is written in the raw shape */
    static PayloadSchema of(String topic) {
        return BY_TOPIC.get(topic);
    }

    /** Every typed topic's payload shape, by topic name in order: for the reference in docs/records.md. */
    static Map<String, PayloadSchema> all() {
        return new TreeMap<>(BY_TOPIC);
    }

    /** The Connect schema name for a topic's record value, e.g. {@code ...ChannelTips} for channel.tips. */
    static String valueSchemaName(String topic) {
        StringBuilder name = new StringBuilder(NAMESPACE);
        for (String word : topic.split("[.\\-_]")) {
            if (!word.isEmpty()) {
                name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return name.toString();
    }

    private static PayloadSchema.Builder struct(String topic, String doc) {
        return PayloadSchema.struct(valueSchemaName(topic) + "Data", doc);
    }

    private static PayloadSchema activities() {
        String topic = "channel.activities";
        PayloadSchema details = PayloadSchema.struct(valueSchemaName(topic) + "Details",
                        "The activity's type-specific details; which fields are set depends on type.")
                .string("username", "The acting user, or the recipient of a gifted subscription.")
                .string("displayName", "The user's display name.")
                .string("providerId", "The user's id on the platform.")
                .string("avatar", "The user's avatar image URL.")
                .float64("amount", "Months (subscriber, sponsor), bits (cheer), viewers (raid, host), "
                        + "the amount (tip, superchat, merch, charityCampaignDonation), subs in the bundle "
                        + "(communityGiftPurchase).")
                .string("message", "The viewer's text.")
                .int64("quantity", "Undocumented; 0 in every capture.")
                .string("tier", "Subscription tier: 1000, 2000, 3000 or prime.")
                .int64("streak", "Subscription streak in months.")
                .bool("gifted", "Whether the subscription was a gift.")
                .string("sender", "The gifter of a gifted subscription.")
                .string("currency", "ISO 4217 currency of a tip.")
                .string("tipId", "The tip behind a tip activity: the _id of its channel.tips record.")
                .string("redemption", "The store item or channel-points reward redeemed.")
                .json("items", "Merch or purchase items.")
                .build();
        return struct(topic, "An entry of the channel's activity feed: follow, subscriber, cheer, raid, tip, ...")
                .string("_id", "The activity id (also the astro.event.id header).")
                .string("activityId", "The same value as _id.")
                .string("type", "follow, subscriber, communityGiftPurchase, cheer, raid, tip, redemption, ...")
                .string("provider", "Where the activity comes from: twitch, youtube, kick, ...")
                .string("channel", "The StreamElements channel id.")
                .timestamp("createdAt", "When the activity was recorded.")
                .timestamp("updatedAt", "When the activity last changed.")
                .timestamp("expiresAt", "When StreamElements drops the activity, on some types.")
                .int64("sessionEventsCount", "A per-session counter; its meaning is undocumented.")
                .bool("flagged", "The moderation flag; its meaning is undocumented.")
                .string("activityGroup", "The community-gift bundle this activity belongs to.")
                .struct("data", details)
                .build();
    }

    private static PayloadSchema tip(String topic) {
        String name = valueSchemaName(topic);
        PayloadSchema user = PayloadSchema.struct(name + "DonationUser", "The donor.")
                .string("username", "The name the donor typed; may be a real name.")
                .personalString("email", "The donor's e-mail address. Personal data: only with "
                        + "astro.personal.data=include.")
                .personalString("geo", "The donor's country, derived from the IP address. Personal data: only "
                        + "with astro.personal.data=include.")
                .personalString("ip", "The donor's IP address (REST documents). Personal data: only with "
                        + "astro.personal.data=include.")
                .string("channel", "Undocumented; the receiving channel in StreamElements' own example (docs/gateway.md).")
                .build();
        PayloadSchema donation = PayloadSchema.struct(name + "Donation", "What was given.")
                .float64("amount", "The amount, in currency's units (e.g. 4.2).")
                .string("currency", "ISO 4217 currency code.")
                .string("message", "The donor's message; may be empty.")
                .string("paymentMethod", "The payment method, e.g. scheme.")
                .struct("user", user)
                .build();
        return struct(topic, "A tip (donation) document.")
                .string("_id", "The tip id; the same in every moderation state (also the astro.event.id header).")
                .string("channel", "The receiving channel id.")
                .string("provider", "The payment provider, e.g. paypal.")
                .string("approved", "The moderation state: pending, allowed or rejected.")
                .string("approvedBy", "The moderator who allowed or rejected the tip.")
                .string("status", "The transaction status, e.g. success.")
                .timestamp("createdAt", "When the tip was created.")
                .timestamp("updatedAt", "When its state last changed.")
                .string("transactionId", "The payment processor's reference; not unique.")
                .bool("deleted", "Whether the tip was deleted (REST documents).")
                .struct("donation", donation)
                .build();
    }

    private static PayloadSchema overlayUpdate() {
        String topic = "channel.overlay.update";
        PayloadSchema settings = PayloadSchema.struct(valueSchemaName(topic) + "Settings", "The canvas.")
                .float64("width", "Canvas width in pixels.")
                .float64("height", "Canvas height in pixels.")
                .string("name", "Resolution label, e.g. 1080p (not the overlay's name).")
                .build();
        return struct(topic, "An overlay's saved configuration.")
                .string("_id", "The overlay id.")
                .string("channel", "The owner channel id.")
                .string("type", "The overlay type: regular, campaign, ...")
                .string("name", "The overlay's name.")
                .struct("settings", settings)
                .string("preview", "The preview image URL.")
                .json("widgets", "The widget configurations.")
                .bool("mobile", "Flag.")
                .bool("campaign", "Flag.")
                .bool("favorite", "Flag.")
                .timestamp("createdAt", "When the overlay was created.")
                .timestamp("updatedAt", "When it was last saved.")
                .build();
    }

    private static PayloadSchema contests() {
        String topic = "channel.contests";
        PayloadSchema payload = PayloadSchema.struct(valueSchemaName(topic) + "Payload", "The event's details.")
                .string("contestId", "The contest id; only when a contest starts.")
                .string("state", "created, running, closed, completed or refunded.")
                .string("optionId", "The option a bet was placed on.")
                .float64("amount", "The bet's amount.")
                .string("userId", "The better's platform user id.")
                .string("winnerId", "The winning option's id.")
                .build();
        return struct(topic, "A contest event.")
                .string("event", "update (a bet), state or winner.")
                .struct("payload", payload)
                .build();
    }

    private static PayloadSchema chatGame(String topic, String doc, String word, String wordDoc, String count,
                                          String countDoc) {
        return struct(topic, doc)
                .string("msg_id", "The chat message that ended it.")
                .string("user_id", "That user's platform id.")
                .string("user_name", "That user's display name.")
                .string(word, wordDoc)
                .int64(count, countDoc)
                .build();
    }
}
