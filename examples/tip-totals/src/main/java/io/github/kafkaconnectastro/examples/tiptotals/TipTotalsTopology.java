package io.github.kafkaconnectastro.examples.tiptotals;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.Suppressed.BufferConfig;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The app's topology: per channel, per currency tip totals per minute from {@link #TIPS_TOPIC}, and follows per
 * channel per minute from {@link #ACTIVITIES_TOPIC}, each written once, when its minute has closed; and for each tip
 * or follow the connector repaired from the REST API, which comes too late for its minute, a correction written at
 * once ({@code "repaired":true}) that adds it to its minute. A minute's records, added up, are its total.
 *
 * <p>Minutes are the records' timestamps, which the connector sets to the gateway's {@code ts}: a tip counts in the
 * minute it was announced. A minute closes {@link #GRACE} after its end, in stream time (the latest timestamp the app
 * has read from that input partition), not wall-clock time: its results are written once a record that much later
 * arrives. The inputs are keyed by channel id, as the connector writes them, so grouping by key needs no repartition
 * topic and a channel's records stay in the order the connector wrote them.
 */
public final class TipTotalsTopology {

    /** Where the connector writes channel.tips with its default topic names. */
    public static final String TIPS_TOPIC = "astro.channel.tips";
    /** Where the connector writes channel.activities with its default topic names. */
    public static final String ACTIVITIES_TOPIC = "astro.channel.activities";
    /** One {@link TipTotal} per channel, currency and minute with tips; key the channel id. */
    public static final String TIP_TOTALS_TOPIC = "astro.tip-totals.per-minute";
    /** One {@link FollowCount} per channel and minute with follows; key the channel id. */
    public static final String FOLLOWS_TOPIC = "astro.follows.per-minute";
    /** The tumbling window. */
    public static final Duration WINDOW = Duration.ofMinutes(1);
    /**
     * How long after its end a minute still takes live records stamped in it. The connector writes a channel's live
     * records in the order it received them, so only a record from another gateway node, whose clock may differ,
     * comes late. Repaired records do not wait for their minute: they are corrections, whatever their delay.
     */
    public static final Duration GRACE = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(TipTotalsTopology.class);
    private static final Serde<JsonNode> RECORD_SERDE = JsonSerdes.of(JsonNode.class);

    private TipTotalsTopology() {
    }

    /** The topology, for {@code new KafkaStreams(TipTotalsTopology.build(), TipTotalsApp.streamsProperties(…))}. */
    public static Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        Consumed<String, JsonNode> records = Consumed.with(Serdes.String(), RECORD_SERDE);
        TimeWindows minutes = TimeWindows.ofSizeAndGrace(WINDOW, GRACE);

        // Live records go through the minute windows and are written once, when their minute has closed. A record
        // the connector repaired from the REST API (header astro.source=rest) comes when its minute has long closed
        // (30 s at the least after its event, by default; hours after a long stop): it would be dropped there. It is
        // written at once instead, as a correction to add to its minute's total, so that the sum of a minute's
        // records is right whenever each arrives.
        KStream<String, Sourced> tipRecords = builder.stream(TIPS_TOPIC, records)
                .processValues(Sourced.Reader::new, Named.as("read-tip-source"));

        // Stores and the suppression buffer are named: their changelog topics then keep their names when the
        // topology changes.
        tipRecords.filterNot((channel, record) -> record.repaired(), Named.as("live-tips"))
                .flatMapValues((channel, record) -> tipOrNothing(channel, record.value()), Named.as("read-tips"))
                .groupByKey(Grouped.with(Serdes.String(), JsonSerdes.of(Tip.class)))
                .windowedBy(minutes)
                .aggregate(ChannelTipTotals::none, (channel, tip, totals) -> totals.plus(tip),
                        Materialized.<String, ChannelTipTotals, WindowStore<Bytes, byte[]>>as("tip-totals")
                                .withKeySerde(Serdes.String())
                                .withValueSerde(JsonSerdes.of(ChannelTipTotals.class)))
                // The buffer holds one entry per channel with tips in a minute not yet closed, at most two minutes'
                // worth: bounded by the channels the connector reads.
                .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()).withName("tip-totals-until-closed"))
                .toStream()
                .flatMap(TipTotalsTopology::perCurrency)
                .to(TIP_TOTALS_TOPIC, Produced.with(Serdes.String(), JsonSerdes.of(TipTotal.class)));

        tipRecords.filter((channel, record) -> record.repaired(), Named.as("repaired-tips"))
                .flatMapValues((channel, record) -> tipOrNothing(channel, record.value()).stream()
                        .map(tip -> correction(channel, tip, record.timestamp())).toList(), Named.as("tip-corrections"))
                .to(TIP_TOTALS_TOPIC, Produced.with(Serdes.String(), JsonSerdes.of(TipTotal.class)));

        KStream<String, Sourced> follows = builder.stream(ACTIVITIES_TOPIC, records)
                .processValues(Sourced.Reader::new, Named.as("read-activity-source"))
                .filter((channel, activity) -> isFollow(activity.value()), Named.as("follows"));

        follows.filterNot((channel, follow) -> follow.repaired(), Named.as("live-follows"))
                .mapValues(Sourced::value, Named.as("follow-values"))
                .groupByKey(Grouped.with(Serdes.String(), RECORD_SERDE))
                .windowedBy(minutes)
                .count(Materialized.as("follow-counts"))
                .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()).withName("follow-counts-until-closed"))
                .toStream()
                .map((window, count) -> KeyValue.pair(window.key(), new FollowCount(count,
                        window.window().startTime().toString(), window.window().endTime().toString(), window.key())))
                .to(FOLLOWS_TOPIC, Produced.with(Serdes.String(), JsonSerdes.of(FollowCount.class)));

        follows.filter((channel, follow) -> follow.repaired(), Named.as("repaired-follows"))
                .mapValues((channel, follow) -> {
                    Instant start = minuteOf(follow.timestamp());
                    return new FollowCount(1, start.toString(), start.plus(WINDOW).toString(), channel, true);
                }, Named.as("follow-corrections"))
                .to(FOLLOWS_TOPIC, Produced.with(Serdes.String(), JsonSerdes.of(FollowCount.class)));

        return builder.build();
    }

    /**
     * The tip in a record, or nothing with one log line saying which record was skipped and why. Only a typed record
     * ({@code data} set) carries an amount and currency to add up.
     */
    private static List<Tip> tipOrNothing(String channel, JsonNode value) {
        try {
            if (channel == null) {
                throw new Tip.Unreadable("the record has no key (the channel id)");
            }
            return List.of(Tip.from(value));
        } catch (Tip.Unreadable e) {
            String id = value == null ? null : value.path("id").asText(null);
            LOG.warn("Skipped {} of {} for channel {}: {}. It is not in the tip totals.",
                    id == null ? "a record" : "record " + id, TIPS_TOPIC, channel, e.getMessage());
            return List.of();
        }
    }

    /**
     * A follow is an activity of type {@code follow}: the envelope's {@code type}, which the connector sets in both
     * value shapes, so that a follow whose payload did not fit the schema still counts.
     */
    private static boolean isFollow(JsonNode activity) {
        return activity != null && "follow".equals(activity.path("type").asText(null));
    }

    /** One repaired tip as a correction to its minute's total: its own minute, one tip, its amount. */
    private static TipTotal correction(String channel, Tip tip, Instant timestamp) {
        Instant start = minuteOf(timestamp);
        return new TipTotal(tip.currency(), tip.amount(), 1, start.toString(), start.plus(WINDOW).toString(), channel,
                true);
    }

    /** The start of the one-minute window a timestamp falls in, as the windows above align them (to the epoch). */
    private static Instant minuteOf(Instant timestamp) {
        long size = WINDOW.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(timestamp.toEpochMilli(), size) * size);
    }

    private static List<KeyValue<String, TipTotal>> perCurrency(Windowed<String> window, ChannelTipTotals totals) {
        String channel = window.key();
        String start = window.window().startTime().toString();
        String end = window.window().endTime().toString();
        return totals.byCurrency().entrySet().stream()
                .map(e -> KeyValue.pair(channel, new TipTotal(e.getKey(), e.getValue().total(), e.getValue().tips(),
                        start, end, channel)))
                .toList();
    }
}
