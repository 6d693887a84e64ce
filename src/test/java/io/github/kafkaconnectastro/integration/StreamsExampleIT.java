package io.github.kafkaconnectastro.integration;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kafkaconnectastro.emulator.ActivityGenerator;
import io.github.kafkaconnectastro.emulator.Ulid;
import io.github.kafkaconnectastro.examples.tiptotals.TipTotalsApp;
import io.github.kafkaconnectastro.examples.tiptotals.TipTotalsTopology;
import io.github.kafkaconnectastro.integration.StreamsExampleLines.Minute;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static io.github.kafkaconnectastro.integration.ConnectFixture.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka Streams example ({@code examples/tip-totals}) downstream of the connector, as a user runs it: the
 * connector on a real worker writes what the emulator publishes on channel.tips and channel.activities for two
 * channels, with the default (typed) values; the example's topology runs as a real {@link KafkaStreams} instance on the
 * same broker; its tip totals and follow counts per minute must be what the emulator published. Then the socket is
 * cut: the tips announced while the connector is away reach it only through the REST repair, long after their minute
 * would have taken them, and the app must write each as a correction of its minute ({@code "repaired":true}).
 */
class StreamsExampleIT {

    private static final String TIPS = "channel.tips";
    private static final String ACTIVITIES = "channel.activities";
    private static final List<String> CHANNELS = List.of("5b2e2007760aeb7729487dab", "5c1f3c9e0e2a4d001f8b4e7a");
    private static final int TIPS_PER_CHANNEL_AND_MINUTE = 8;
    private static final int ACTIVITIES_PER_CHANNEL_AND_MINUTE = 10;
    /** Tips per channel published while the socket is cut. */
    private static final int CUT_TIPS = 5;

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1);

    @TempDir
    Path stateDir;

    private final ActivityGenerator generator = new ActivityGenerator(11);
    private final Map<Minute, BigDecimal> expectedTotals = new HashMap<>();
    private final Map<Minute, Long> expectedTipCounts = new HashMap<>();
    private final Map<Minute, Long> expectedFollows = new HashMap<>();
    private int misfitTips;

    @Test
    void writesEachClosedMinutesTotalsAsPublishedAndACorrectionForEachTipOfASocketCut() throws Exception {
        for (String topic : List.of(TipTotalsTopology.TIPS_TOPIC, TipTotalsTopology.ACTIVITIES_TOPIC,
                TipTotalsTopology.TIP_TOTALS_TOPIC, TipTotalsTopology.FOLLOWS_TOPIC)) {
            fixture.connect.kafka().createTopic(topic, 1);
        }
        List<String[]> pairs = new ArrayList<>();
        for (String channel : CHANNELS) {
            pairs.add(new String[] {TIPS, channel});
            pairs.add(new String[] {ACTIVITIES, channel});
        }
        // A short repair margin, so that the cut's tips are repaired within seconds (the default waits 30 s).
        fixture.startConnector("tip-totals-source", pairs, Map.of("astro.backfill.margin.ms", "2000",
                "astro.backfill.request.interval.ms", "50"));

        try (KafkaStreams streams = new KafkaStreams(TipTotalsTopology.build(), streamsConfig())) {
            streams.start();
            ConnectFixture.await(() -> streams.state() == KafkaStreams.State.RUNNING, "the Streams app runs");

            // Two minutes in the past, each written before the next, then a tip and a follow past the second's
            // grace, which close both; the last minute stays open and must not be written.
            Instant first = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(3, ChronoUnit.MINUTES);
            publishMinute(first);
            publishMinute(first.plus(TipTotalsTopology.WINDOW));
            Instant closing = first.plus(TipTotalsTopology.WINDOW.multipliedBy(2)).plus(TipTotalsTopology.GRACE)
                    .plusSeconds(1);
            publishAndAwait(List.of(
                    publish(TIPS, CHANNELS.get(0), closing, generator.next(TIPS, CHANNELS.get(0))),
                    publish(ACTIVITIES, CHANNELS.get(0), closing, follow(CHANNELS.get(0)))));

            List<ConsumerRecord<byte[], byte[]>> totals = fixture.consumeUntil(AWAIT,
                    r -> r.size() >= expectedTotals.size(), Duration.ofSeconds(3), TipTotalsTopology.TIP_TOTALS_TOPIC);
            List<ConsumerRecord<byte[], byte[]>> follows = fixture.consumeUntil(AWAIT,
                    r -> r.size() >= expectedFollows.size(), Duration.ofSeconds(3), TipTotalsTopology.FOLLOWS_TOPIC);

            assertFollowCounts(follows);
            assertTipTotals(totals);

            Map<Minute, BigDecimal> cutTotals = publishTipsThroughACut(pairs);
            List<ConsumerRecord<byte[], byte[]>> corrections = fixture.consumeUntil(AWAIT,
                    r -> corrections(r).size() >= CUT_TIPS * CHANNELS.size(), Duration.ofSeconds(3),
                    TipTotalsTopology.TIP_TOTALS_TOPIC);
            assertCorrections(corrections(corrections), cutTotals);
        }
    }

    /**
     * Cuts the socket the way a network failure does, with the gateway refusing the reconnect for 3 s, and publishes
     * {@link #CUT_TIPS} tips per channel meanwhile, stamped now (their {@code createdAt} too, as the gateway stamps
     * them); waits until the pairs are subscribed again.
     *
     * @return the cut's tip totals per channel, currency and the minute of their {@code createdAt}
     */
    private Map<Minute, BigDecimal> publishTipsThroughACut(List<String[]> pairs) {
        fixture.emulator.refuseHandshakes(429, 3, 1);
        fixture.emulator.dropAllConnections();
        Map<Minute, BigDecimal> totals = new HashMap<>();
        for (String channel : CHANNELS) {
            for (int i = 0; i < CUT_TIPS; i++) {
                String payload = generator.next(TIPS, channel);
                JsonNode tip = StreamsExampleLines.json(payload);
                JsonNode donation = tip.path("donation");
                Instant createdAt = Instant.parse(tip.path("createdAt").asText());
                totals.merge(new Minute(channel, donation.path("currency").asText(),
                        createdAt.truncatedTo(ChronoUnit.MINUTES)), donation.path("amount").decimalValue(),
                        BigDecimal::add);
                publish(TIPS, channel, Instant.now(), payload);
            }
        }
        fixture.awaitSubscribed(pairs);
        return totals;
    }

    /** The records of the tip totals topic that are corrections: one repaired tip each. */
    private static List<JsonNode> corrections(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(ConnectFixture::value)
                .filter(total -> total.path("repaired").asBoolean(false)).toList();
    }

    private static void assertCorrections(List<JsonNode> corrections, Map<Minute, BigDecimal> expected) {
        assertEquals(CUT_TIPS * CHANNELS.size(), corrections.size(), "one correction per tip of the cut, once each");
        Map<Minute, BigDecimal> sums = new HashMap<>();
        for (JsonNode correction : corrections) {
            assertEquals(1, correction.get("tips").asLong(), "a correction is one tip");
            sums.merge(new Minute(correction.get("channel").asText(), correction.get("currency").asText(),
                    Instant.parse(correction.get("windowStart").asText())), correction.get("total").decimalValue(),
                    BigDecimal::add);
        }
        Map<Minute, String> plainSums = new HashMap<>();
        sums.forEach((window, sum) -> plainSums.put(window, plain(sum)));
        Map<Minute, String> plainExpected = new HashMap<>();
        expected.forEach((window, sum) -> plainExpected.put(window, plain(sum)));
        assertEquals(plainExpected, plainSums, "the cut's tips, added to the minutes of their createdAt");
    }

    private Properties streamsConfig() {
        Properties settings = new Properties();
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.connect.kafka().bootstrapServers());
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "it-tip-totals-" + UUID.randomUUID());
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return TipTotalsApp.streamsProperties(settings);
    }

    /**
     * Publishes tips and activities for every channel stamped in the minute, plus a tip whose amount is text, which
     * the connector writes with {@code raw} set and the app leaves out; waits until the connector has written them.
     */
    private void publishMinute(Instant minute) {
        List<String> ids = new ArrayList<>();
        for (String channel : CHANNELS) {
            for (int i = 0; i < TIPS_PER_CHANNEL_AND_MINUTE; i++) {
                String payload = generator.next(TIPS, channel);
                JsonNode donation = StreamsExampleLines.json(payload).path("donation");
                Minute window = new Minute(channel, donation.path("currency").asText(), minute);
                expectedTotals.merge(window, donation.path("amount").decimalValue(), BigDecimal::add);
                expectedTipCounts.merge(window, 1L, Long::sum);
                ids.add(publish(TIPS, channel, minute.plusSeconds(5L * i), payload));
            }
            // Its own event id: the connector drops a second event with the same _id as a duplicate.
            ids.add(publish(TIPS, channel, minute.plusSeconds(45), "{\"_id\":\"" + String.format("6a%022x",
                    ++misfitTips) + "\","
                    + "\"channel\":\"" + channel + "\",\"donation\":{\"amount\":\"lots\",\"currency\":\"EUR\"}}"));
            for (int i = 0; i < ACTIVITIES_PER_CHANNEL_AND_MINUTE; i++) {
                String payload = generator.next(ACTIVITIES, channel);
                if ("follow".equals(StreamsExampleLines.json(payload).path("type").asText())) {
                    expectedFollows.merge(new Minute(channel, null, minute), 1L, Long::sum);
                }
                ids.add(publish(ACTIVITIES, channel, minute.plusSeconds(4L * i), payload));
            }
        }
        publishAndAwait(ids);
    }

    private static String publish(String topic, String channel, Instant ts, String payload) {
        String id = Ulid.nextId();
        fixture.emulator.publishWithId(id, ts, topic, channel, payload);
        return id;
    }

    /** Waits until the connector has written the notifications of these ids, so that later ones come after them. */
    private static void publishAndAwait(List<String> ids) {
        Set<String> written = new HashSet<>();
        fixture.consumeUntil(AWAIT, records -> {
            records.forEach(r -> written.add(ConnectFixture.id(r)));
            return written.containsAll(ids);
        }, TipTotalsTopology.TIPS_TOPIC, TipTotalsTopology.ACTIVITIES_TOPIC);
        assertTrue(written.containsAll(ids), "the connector wrote every published notification");
    }

    private void assertTipTotals(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Minute, String> totals = new HashMap<>();
        Map<Minute, Long> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode total = ConnectFixture.value(record);
            assertEquals(ConnectFixture.key(record), total.get("channel").asText(), "keyed by the channel id");
            Minute window = new Minute(total.get("channel").asText(), total.get("currency").asText(),
                    Instant.parse(total.get("windowStart").asText()));
            assertEquals(null, totals.put(window, plain(total.get("total").decimalValue())),
                    () -> "written once: " + window);
            counts.put(window, total.get("tips").asLong());
        }
        Map<Minute, String> expected = new HashMap<>();
        expectedTotals.forEach((window, sum) -> expected.put(window, plain(sum)));
        assertEquals(expected, totals, "tip totals per channel, currency and minute");
        assertEquals(expectedTipCounts, counts, "tips per channel, currency and minute");
    }

    private void assertFollowCounts(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Minute, Long> follows = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode count = ConnectFixture.value(record);
            assertEquals(ConnectFixture.key(record), count.get("channel").asText(), "keyed by the channel id");
            Minute window = new Minute(count.get("channel").asText(), null,
                    Instant.parse(count.get("windowStart").asText()));
            assertEquals(null, follows.put(window, count.get("follows").asLong()), () -> "written once: " + window);
        }
        assertTrue(expectedFollows.size() >= 2, "the generator's activities include follows in both minutes");
        assertEquals(expectedFollows, follows, "follows per channel and minute");
    }

    /** An amount without its trailing zeros, to compare 5000.0 with 5000. */
    private static String plain(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }

    /** A follow in the shape of the documents' example. */
    private static String follow(String channel) {
        return "{\"_id\":\"6a0000000000000000000001\",\"activityId\":\"6a0000000000000000000001\",\"type\":\"follow\","
                + "\"provider\":\"twitch\",\"channel\":\"" + channel + "\",\"createdAt\":\"2026-01-10T18:00:00.500Z\","
                + "\"data\":{\"username\":\"viewer_one\",\"displayName\":\"Viewer_One\"}}";
    }
}
