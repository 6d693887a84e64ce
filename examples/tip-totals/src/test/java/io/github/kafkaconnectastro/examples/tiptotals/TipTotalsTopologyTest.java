package io.github.kafkaconnectastro.examples.tiptotals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static io.github.kafkaconnectastro.examples.tiptotals.AstroValues.activity;
import static io.github.kafkaconnectastro.examples.tiptotals.AstroValues.bytes;
import static io.github.kafkaconnectastro.examples.tiptotals.AstroValues.misfit;
import static io.github.kafkaconnectastro.examples.tiptotals.AstroValues.rawShape;
import static io.github.kafkaconnectastro.examples.tiptotals.AstroValues.tip;
import static io.github.kafkaconnectastro.examples.tiptotals.TipTotalsTopology.GRACE;
import static io.github.kafkaconnectastro.examples.tiptotals.TipTotalsTopology.WINDOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The topology on {@link TopologyTestDriver}, configured as {@link TipTotalsApp} configures it. */
class TipTotalsTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANNEL_A = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String CHANNEL_B = "bbbbbbbbbbbbbbbbbbbbbbbb";
    /** The start of a minute; every test's records are stamped from here on. */
    private static final Instant MINUTE = Instant.parse("2026-01-10T18:05:00Z");
    /** The first instant at which {@link #MINUTE}'s window is closed. */
    private static final Instant CLOSED = MINUTE.plus(WINDOW).plus(GRACE);

    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> tips;
    private TestInputTopic<String, byte[]> activities;
    private TestOutputTopic<String, String> totals;
    private TestOutputTopic<String, String> follows;

    @BeforeEach
    void startDriver() {
        Properties settings = new Properties();
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(TipTotalsTopology.build(), TipTotalsApp.streamsProperties(settings));
        tips = driver.createInputTopic(TipTotalsTopology.TIPS_TOPIC, new StringSerializer(), new ByteArraySerializer());
        activities = driver.createInputTopic(TipTotalsTopology.ACTIVITIES_TOPIC, new StringSerializer(),
                new ByteArraySerializer());
        totals = driver.createOutputTopic(TipTotalsTopology.TIP_TOTALS_TOPIC, new StringDeserializer(),
                new StringDeserializer());
        follows = driver.createOutputTopic(TipTotalsTopology.FOLLOWS_TOPIC, new StringDeserializer(),
                new StringDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void totalsEachChannelsTipsPerCurrencyOnceTheMinuteHasClosed() {
        tip(CHANNEL_A, "EUR", "5.50", 1);
        tip(CHANNEL_A, "USD", "3", 2);
        tip(CHANNEL_B, "EUR", "20", 3);
        tip(CHANNEL_A, "EUR", "4.50", 4);
        tipAt(CHANNEL_B, "JPY", "100", CLOSED);

        List<TestRecord<String, String>> written = totals.readRecordsToList();

        assertEquals(3, written.size(), () -> "one record per channel and currency: " + written);
        assertTrue(written.stream().anyMatch(r -> r.value().equals("{\"currency\":\"EUR\",\"total\":10.0,\"tips\":2,"
                + "\"windowStart\":\"2026-01-10T18:05:00Z\",\"windowEnd\":\"2026-01-10T18:06:00Z\","
                + "\"channel\":\"aaaaaaaaaaaaaaaaaaaaaaaa\"}")), () -> "the README's example record: " + written);
        Map<String, JsonNode> byChannelAndCurrency = new HashMap<>();
        for (TestRecord<String, String> record : written) {
            JsonNode total = json(record.value());
            assertEquals(record.key(), total.get("channel").asText(), "keyed by the channel id");
            assertEquals(Set.of("channel", "currency", "windowStart", "windowEnd", "total", "tips"),
                    fieldNames(total));
            assertEquals("2026-01-10T18:05:00Z", total.get("windowStart").asText());
            assertEquals("2026-01-10T18:06:00Z", total.get("windowEnd").asText());
            byChannelAndCurrency.put(record.key() + "/" + total.get("currency").asText(), total);
        }
        assertTotal("10.00", 2, byChannelAndCurrency.get(CHANNEL_A + "/EUR"));
        assertTotal("3", 1, byChannelAndCurrency.get(CHANNEL_A + "/USD"));
        assertTotal("20", 1, byChannelAndCurrency.get(CHANNEL_B + "/EUR"));
    }

    @Test
    void addsAmountsExactlyAsWritten() {
        tip(CHANNEL_A, "USD", "0.1", 1);
        tip(CHANNEL_A, "USD", "0.2", 2);
        tipAt(CHANNEL_A, "USD", "1", CLOSED);

        JsonNode total = json(totals.readValue());

        assertEquals("0.3", total.get("total").toString(), "a decimal sum, not a binary floating-point one");
    }

    @Test
    void writesNothingForAMinuteUntilItsGraceHasPassed() {
        tip(CHANNEL_A, "EUR", "5", 30);
        tipAt(CHANNEL_A, "EUR", "1", CLOSED.minusMillis(1));
        assertTrue(totals.isEmpty(), "the minute is still open to late tips");

        tipAt(CHANNEL_A, "EUR", "1", CLOSED);

        List<JsonNode> written = values(totals);
        assertEquals(1, written.size(), () -> "the closed minute's total, once: " + written);
        assertTotal("5", 1, written.get(0));
        tipAt(CHANNEL_A, "EUR", "1", CLOSED.plusSeconds(1));
        assertTrue(totals.isEmpty(), "a closed minute is written once");
    }

    @Test
    void countsATipInTheMinuteOfItsTimestampStartInclusiveEndExclusive() {
        tipAt(CHANNEL_A, "EUR", "1", MINUTE.plus(WINDOW).minusMillis(1));
        tipAt(CHANNEL_A, "EUR", "2", MINUTE.plus(WINDOW));
        tipAt(CHANNEL_A, "EUR", "100", CLOSED.plus(WINDOW));

        List<JsonNode> written = values(totals);

        assertEquals(2, written.size(), () -> "two minutes: " + written);
        assertEquals("2026-01-10T18:05:00Z", written.get(0).get("windowStart").asText());
        assertTotal("1", 1, written.get(0));
        assertEquals("2026-01-10T18:06:00Z", written.get(1).get("windowStart").asText());
        assertTotal("2", 1, written.get(1));
    }

    @Test
    void countsALateTipWithinTheGraceAndLeavesOutOneAfterIt() {
        tip(CHANNEL_A, "EUR", "1", 10);
        tipAt(CHANNEL_A, "EUR", "50", MINUTE.plus(WINDOW).plusSeconds(5));
        tip(CHANNEL_A, "EUR", "2", 50);
        tipAt(CHANNEL_A, "EUR", "50", CLOSED);
        tip(CHANNEL_A, "EUR", "4", 55);
        tipAt(CHANNEL_A, "EUR", "50", CLOSED.plus(WINDOW));

        List<JsonNode> written = values(totals);

        assertEquals(2, written.size(), () -> "two minutes, each once: " + written);
        assertTotal("3", 2, written.get(0));
        assertTotal("100", 2, written.get(1));
    }

    @Test
    void countsFollowsPerChannelPerMinute() {
        activity(CHANNEL_A, "follow", 1);
        activity(CHANNEL_A, "follow", 2);
        activity(CHANNEL_B, "follow", 3);
        activityAt(CHANNEL_A, "follow", MINUTE.plus(WINDOW).plusSeconds(1));
        activityAt(CHANNEL_A, "follow", CLOSED.plus(WINDOW));

        List<TestRecord<String, String>> written = follows.readRecordsToList();
        assertTrue(written.stream().anyMatch(r -> r.value().equals("{\"follows\":2,"
                + "\"windowStart\":\"2026-01-10T18:05:00Z\",\"windowEnd\":\"2026-01-10T18:06:00Z\","
                + "\"channel\":\"aaaaaaaaaaaaaaaaaaaaaaaa\"}")), () -> "the README's example record: " + written);
        Map<String, JsonNode> byChannelAndMinute = new HashMap<>();
        for (TestRecord<String, String> record : written) {
            JsonNode count = json(record.value());
            assertEquals(record.key(), count.get("channel").asText(), "keyed by the channel id");
            assertEquals(Set.of("channel", "windowStart", "windowEnd", "follows"), fieldNames(count));
            byChannelAndMinute.put(record.key() + "@" + count.get("windowStart").asText(), count);
        }

        assertEquals(Set.of(CHANNEL_A + "@2026-01-10T18:05:00Z", CHANNEL_B + "@2026-01-10T18:05:00Z",
                CHANNEL_A + "@2026-01-10T18:06:00Z"), byChannelAndMinute.keySet());
        assertEquals(2, byChannelAndMinute.get(CHANNEL_A + "@2026-01-10T18:05:00Z").get("follows").asLong());
        assertEquals(1, byChannelAndMinute.get(CHANNEL_B + "@2026-01-10T18:05:00Z").get("follows").asLong());
        assertEquals(1, byChannelAndMinute.get(CHANNEL_A + "@2026-01-10T18:06:00Z").get("follows").asLong());
        assertEquals("2026-01-10T18:06:00Z",
                byChannelAndMinute.get(CHANNEL_A + "@2026-01-10T18:05:00Z").get("windowEnd").asText());
    }

    @Test
    void ignoresActivitiesOtherThanFollows() {
        activity(CHANNEL_A, "tip", 1);
        activity(CHANNEL_A, "subscriber", 2);
        activity(CHANNEL_A, "follow", 3);
        activity(CHANNEL_A, "cheer", 4);
        activity(CHANNEL_B, "raid", 5);
        activityAt(CHANNEL_A, "follow", CLOSED);

        List<TestRecord<String, String>> written = follows.readRecordsToList();

        assertEquals(1, written.size(), () -> "only channel A had a follow: " + written);
        assertEquals(CHANNEL_A, written.get(0).key());
        assertEquals(1, json(written.get(0).value()).get("follows").asLong());
        assertTrue(totals.isEmpty(), "a tip activity is not a channel.tips record");
    }

    @Test
    void countsAFollowWhosePayloadDidNotFitTheSchema() {
        activities.pipeInput(CHANNEL_A, bytes(misfit("channel.activities", CHANNEL_A, "follow",
                "{\"type\":\"follow\",\"createdAt\":42}")), MINUTE);
        activityAt(CHANNEL_A, "follow", CLOSED);

        assertEquals(1, json(follows.readValue()).get("follows").asLong());
    }

    @Test
    void skipsRecordsWithoutATypedTipAndGoesOn() {
        String payload = "{\"donation\":{\"amount\":5,\"currency\":\"EUR\"}}";
        tip(CHANNEL_A, "EUR", "1", 1);
        tips.pipeInput(CHANNEL_A, "not json {".getBytes(StandardCharsets.UTF_8), MINUTE.plusSeconds(2));
        tips.pipeInput(CHANNEL_A, "[1,2]".getBytes(StandardCharsets.UTF_8), MINUTE.plusSeconds(3));
        tips.pipeInput(CHANNEL_A, (byte[]) null, MINUTE.plusSeconds(4));
        tips.pipeInput(CHANNEL_A, bytes(rawShape("channel.tips", CHANNEL_A, null, payload)), MINUTE.plusSeconds(5));
        tips.pipeInput(CHANNEL_A, bytes(misfit("channel.tips", CHANNEL_A, null, payload)), MINUTE.plusSeconds(6));
        tips.pipeInput((String) null, bytes(AstroValues.tip(CHANNEL_A, "EUR", "5")), MINUTE.plusSeconds(7));
        var noCurrency = AstroValues.tip(CHANNEL_A, "EUR", "5");
        noCurrency.withObject("/data/donation").putNull("currency");
        tips.pipeInput(CHANNEL_A, bytes(noCurrency), MINUTE.plusSeconds(8));
        var amountAsText = AstroValues.tip(CHANNEL_A, "EUR", "5");
        amountAsText.withObject("/data/donation").put("amount", "5");
        tips.pipeInput(CHANNEL_A, bytes(amountAsText), MINUTE.plusSeconds(9));
        tip(CHANNEL_A, "EUR", "2", 10);
        tipAt(CHANNEL_A, "EUR", "1", CLOSED);

        List<JsonNode> written = values(totals);

        assertEquals(1, written.size(), () -> "the minute's total: " + written);
        assertTotal("3", 2, written.get(0));
        assertEquals(1.0, droppedRecords(), "the value that is not JSON, dropped by the deserialization handler");
    }

    /**
     * A gap: two tips arrive live in a minute, the connection drops, and the connector repairs two tips of that
     * minute from the REST API after it has closed (and a third, of the minute before, hours later). Each repaired
     * tip is a correction to its minute, and the minute's records add up to every tip of it.
     */
    @Test
    void aRepairedTipCorrectsItsClosedMinuteSoThatTheMinutesRecordsAddUpToEveryTip() {
        tip(CHANNEL_A, "EUR", "5", 1);
        tip(CHANNEL_A, "EUR", "2.50", 10);
        tipAt(CHANNEL_A, "EUR", "1", CLOSED);
        repairedTipAt(CHANNEL_A, "EUR", "7", MINUTE.plusSeconds(30));
        repairedTipAt(CHANNEL_A, "USD", "3", MINUTE.plusSeconds(40));
        repairedTipAt(CHANNEL_A, "EUR", "100", MINUTE.minus(WINDOW).plusSeconds(5));

        List<TestRecord<String, String>> written = totals.readRecordsToList();

        assertTrue(written.stream().anyMatch(r -> r.value().equals("{\"currency\":\"EUR\",\"total\":7,\"tips\":1,"
                + "\"windowStart\":\"2026-01-10T18:05:00Z\",\"windowEnd\":\"2026-01-10T18:06:00Z\","
                + "\"channel\":\"aaaaaaaaaaaaaaaaaaaaaaaa\",\"repaired\":true}")), () -> "the README's correction: " + written);
        Map<String, BigDecimal> sums = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        for (TestRecord<String, String> record : written) {
            JsonNode total = json(record.value());
            String minute = total.get("currency").asText() + "@" + total.get("windowStart").asText();
            sums.merge(minute, total.get("total").decimalValue(), BigDecimal::add);
            counts.merge(minute, total.get("tips").asLong(), Long::sum);
        }
        assertEquals(0, new BigDecimal("14.50").compareTo(sums.get("EUR@2026-01-10T18:05:00Z")), sums::toString);
        assertEquals(3, counts.get("EUR@2026-01-10T18:05:00Z"));
        assertEquals(0, new BigDecimal("3").compareTo(sums.get("USD@2026-01-10T18:05:00Z")), sums::toString);
        assertEquals(0, new BigDecimal("100").compareTo(sums.get("EUR@2026-01-10T18:04:00Z")), sums::toString);
        assertEquals(0.0, droppedRecords(), "no repaired tip dropped as late");
    }

    /** A repaired tip that comes while its minute is still open is a correction too: never counted twice. */
    @Test
    void aRepairedTipInAnOpenMinuteIsCountedOnceAsACorrection() {
        tip(CHANNEL_A, "EUR", "5", 1);
        repairedTipAt(CHANNEL_A, "EUR", "2", MINUTE.plusSeconds(2));
        tipAt(CHANNEL_A, "EUR", "1", CLOSED);

        List<JsonNode> written = values(totals);

        assertEquals(2, written.size(), () -> "the correction at once, then the live total: " + written);
        assertTotal("2", 1, written.get(0));
        assertTrue(written.get(0).get("repaired").asBoolean(), written.get(0)::toString);
        assertTotal("5", 1, written.get(1));
        assertEquals(Set.of("channel", "currency", "windowStart", "windowEnd", "total", "tips"),
                fieldNames(written.get(1)), "a live total has no repaired field");
    }

    @Test
    void aRepairedFollowCorrectsItsMinutesCount() {
        activity(CHANNEL_A, "follow", 1);
        activityAt(CHANNEL_A, "follow", CLOSED);
        activities.pipeInput(new TestRecord<>(CHANNEL_A, bytes(AstroValues.activity(CHANNEL_A, "follow")),
                repaired(), MINUTE.plusSeconds(20)));
        activities.pipeInput(new TestRecord<>(CHANNEL_A, bytes(AstroValues.activity(CHANNEL_A, "tip")),
                repaired(), MINUTE.plusSeconds(21)));

        List<TestRecord<String, String>> written = follows.readRecordsToList();

        assertEquals(2, written.size(), () -> "the minute's count, then one correction: " + written);
        assertEquals("{\"follows\":1,\"windowStart\":\"2026-01-10T18:05:00Z\",\"windowEnd\":\"2026-01-10T18:06:00Z\","
                + "\"channel\":\"aaaaaaaaaaaaaaaaaaaaaaaa\",\"repaired\":true}", written.get(1).value());
    }

    private void repairedTipAt(String channel, String currency, String amount, Instant timestamp) {
        tips.pipeInput(new TestRecord<>(channel, bytes(AstroValues.tip(channel, currency, amount)), repaired(),
                timestamp));
    }

    /** The header the connector sets on a record it repaired from the REST API, as its header converter writes it. */
    private static Headers repaired() {
        return new RecordHeaders().add("astro.source", "rest".getBytes(StandardCharsets.UTF_8));
    }

    private void tip(String channel, String currency, String amount, int secondOfMinute) {
        tipAt(channel, currency, amount, MINUTE.plusSeconds(secondOfMinute));
    }

    private void tipAt(String channel, String currency, String amount, Instant timestamp) {
        tips.pipeInput(channel, bytes(AstroValues.tip(channel, currency, amount)), timestamp);
    }

    private void activity(String channel, String type, int secondOfMinute) {
        activityAt(channel, type, MINUTE.plusSeconds(secondOfMinute));
    }

    private void activityAt(String channel, String type, Instant timestamp) {
        activities.pipeInput(channel, bytes(AstroValues.activity(channel, type)), timestamp);
    }

    private double droppedRecords() {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("dropped-records-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    private static void assertTotal(String expected, long tips, JsonNode total) {
        assertEquals(0, new BigDecimal(expected).compareTo(total.get("total").decimalValue()),
                () -> "total " + expected + " in " + total);
        assertEquals(tips, total.get("tips").asLong(), () -> "tips in " + total);
    }

    private static List<JsonNode> values(TestOutputTopic<String, String> topic) {
        return topic.readValuesToList().stream().map(TipTotalsTopologyTest::json).toList();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
