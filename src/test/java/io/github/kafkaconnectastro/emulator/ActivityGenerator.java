package io.github.kafkaconnectastro.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Produces realistic {@code data} payloads for Astro notifications: follows, subscriptions with
 * tiers, cheers, raids and tips on {@code channel.activities}, tips with personal data on
 * {@code channel.tips}, session updates, stream status and chat messages. Names and messages mix
 * in non-ASCII text so the pipeline's encoding is exercised.
 *
 * <p>The same seed yields the same sequence (timestamps aside, which follow the clock).
 */
public final class ActivityGenerator {

    private static final List<String> NAMES = List.of(
            "jtv", "pixel_pirate", "Zoë_plays", "josé_gamer", "Mädchen42", "café_racer", "北斗", "さくら",
            "ニンジャ", "NightOwl", "xX_Sniper_Xx", "łukasz", "Ørjan", "lil_rae", "büşra");
    private static final List<String> MESSAGES = List.of(
            "GG! 🎉", "Love the stream ❤️", "première fois ici, c'est génial", "日本語のメッセージです",
            "¡Vamos! 🔥🔥", "hype train 🚂", "Grüße aus Köln", "first time chatter 👋", "PogChamp",
            "Keep it up 💪", "Привет из Москвы", "안녕하세요!", "");
    private static final List<String> CURRENCIES = List.of("USD", "EUR", "JPY", "GBP", "BRL", "CAD");
    private static final List<String> TIERS = List.of("1000", "2000", "3000");
    private static final List<String> COUNTRIES = List.of("US", "FR", "JP", "DE", "BR", "PL", "CA");

    /** StreamElements always prints milliseconds, e.g. {@code 2024-02-15T14:52:41.608Z}. */
    private static final DateTimeFormatter CREATED_AT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Random random;
    private final Clock clock;
    private boolean live = true;
    private int sessionEvents;
    private int sessionFollowers;
    private BigDecimal sessionTips = BigDecimal.ZERO;

    /** Creates a generator driven by the system clock. */
    public ActivityGenerator(long seed) {
        this(seed, Clock.systemUTC());
    }

    /** Creates a generator with its own clock, for fully reproducible output. */
    public ActivityGenerator(long seed, Clock clock) {
        this.random = new Random(seed);
        this.clock = clock;
    }

    /** Picks one element using this generator's randomness. */
    public <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /**
     * Returns the JSON of a notification's {@code data} for a topic and channel. Unknown topics get
     * a generic {@code {"channel":…,"message":…}} payload.
     */
    public String next(String topic, String room) {
        ObjectNode data = switch (topic) {
            case "channel.activities" -> activity(room);
            case "channel.tips" -> tip(room);
            case "channel.session.update" -> sessionUpdate(room);
            case "channel.stream.status" -> streamStatus();
            case "channel.chat.message" -> chatMessage(room);
            default -> node().put("channel", room).put("message", pick(MESSAGES));
        };
        try {
            return ServerMessages.MAPPER.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode activity(String room) {
        int roll = random.nextInt(100);
        String type = roll < 40 ? "follow" : roll < 60 ? "subscriber" : roll < 75 ? "cheer"
                : roll < 90 ? "tip" : "raid";
        String name = pick(NAMES);
        ObjectNode inner = node()
                .put("username", name.toLowerCase())
                .put("displayName", name)
                .put("providerId", Integer.toString(10_000 + random.nextInt(900_000_000)));
        switch (type) {
            case "subscriber" -> {
                inner.put("amount", 1 + random.nextInt(48)).put("tier", pick(TIERS));
                boolean gifted = random.nextInt(4) == 0;
                inner.put("gifted", gifted);
                if (gifted) {
                    inner.put("sender", pick(NAMES));
                }
                inner.put("message", pick(MESSAGES));
            }
            case "cheer" -> {
                int bits = pick(List.of(1, 100, 250, 500, 1000, 5000));
                inner.put("amount", bits).put("message", "Cheer" + bits + " " + pick(MESSAGES));
            }
            case "tip" -> {
                String currency = pick(CURRENCIES);
                inner.put("amount", amount(currency)).put("currency", currency)
                        .put("message", pick(MESSAGES));
            }
            case "raid" -> inner.put("amount", 1 + random.nextInt(2_500));
            default -> sessionFollowers++;
        }
        String id = objectId();
        return node()
                .put("type", type)
                .put("provider", random.nextInt(10) < 8 ? "twitch" : "youtube")
                .put("channel", room)
                .<ObjectNode>set("data", inner)
                .put("_id", id)
                .put("createdAt", createdAt())
                .put("activityId", id)
                .put("sessionEventsCount", ++sessionEvents);
    }

    private ObjectNode tip(String room) {
        String currency = pick(CURRENCIES);
        BigDecimal amount = amount(currency);
        sessionTips = sessionTips.add(amount);
        String name = pick(NAMES);
        ObjectNode user = node()
                .put("username", name)
                .put("email", "fan" + random.nextInt(100_000) + "@example.com")
                .put("geo", pick(COUNTRIES));
        ObjectNode donation = node()
                .<ObjectNode>set("user", user)
                .put("message", pick(MESSAGES))
                .put("amount", amount)
                .put("currency", currency);
        return node()
                .put("_id", objectId())
                .put("channel", room)
                .put("provider", "paypal")
                .put("approved", "allowed")
                .put("status", "success")
                .<ObjectNode>set("donation", donation)
                .put("transactionId", "TX" + Long.toHexString(random.nextLong()).toUpperCase())
                .put("createdAt", createdAt());
    }

    private ObjectNode sessionUpdate(String room) {
        ObjectNode session = node();
        session.putObject("follower-latest").put("name", pick(NAMES));
        session.putObject("follower-session").put("count", sessionFollowers);
        session.putObject("tip-session").put("amount", sessionTips);
        session.putObject("subscriber-latest").put("name", pick(NAMES)).put("tier", pick(TIERS))
                .put("amount", 1 + random.nextInt(24));
        return node().put("channel", room).<ObjectNode>set("data", session)
                .put("updatedAt", createdAt());
    }

    private ObjectNode streamStatus() {
        // Mostly live, with an occasional flap so consumers see both states.
        if (random.nextInt(10) == 0) {
            live = !live;
        }
        return node().put("isLive", live);
    }

    private ObjectNode chatMessage(String room) {
        String name = pick(NAMES);
        ObjectNode inner = node()
                .put("nick", name.toLowerCase())
                .put("displayName", name)
                .put("text", pick(MESSAGES))
                .put("userId", Integer.toString(10_000 + random.nextInt(900_000_000)));
        ArrayNode badges = inner.putArray("badges");
        if (random.nextBoolean()) {
            badges.addObject().put("type", "subscriber").put("version", "12");
        }
        inner.putArray("emotes");
        return node()
                .put("channel", room)
                .put("provider", "twitch")
                .put("msgId", new UUID(random.nextLong(), random.nextLong()).toString())
                .<ObjectNode>set("data", inner)
                .put("createdAt", createdAt());
    }

    private BigDecimal amount(String currency) {
        if ("JPY".equals(currency)) {
            // Yen has no minor unit; real tips are whole amounts.
            return BigDecimal.valueOf(100L * (1 + random.nextInt(100)));
        }
        return BigDecimal.valueOf(100 + random.nextInt(9_900)).movePointLeft(2)
                .setScale(2, RoundingMode.UNNECESSARY);
    }

    /**
     * A 24-hex-digit id like MongoDB's ObjectId, which StreamElements uses for {@code _id}: its first
     * 8 digits are the creation time in Unix seconds (TOPICS.md §2.1).
     */
    private String objectId() {
        return String.format("%08x%016x", Instant.now(clock).getEpochSecond() & 0xffffffffL,
                random.nextLong());
    }

    private String createdAt() {
        return CREATED_AT.format(Instant.now(clock));
    }

    private static ObjectNode node() {
        return ServerMessages.MAPPER.createObjectNode();
    }
}
