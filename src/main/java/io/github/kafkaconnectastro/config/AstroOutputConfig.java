package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.records.ValueFormat;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.time.Duration;
import java.util.Arrays;

/**
 * The "Output" group: which Kafka topic each notification goes to, heartbeats, and the shape of a record's value
 * (typed or raw, with or without personal data; docs/records.md shows the records each choice gives).
 */
public final class AstroOutputConfig {

    public static final Key<String> TOPIC_NAME_PATTERN = Key.string("topic.name.pattern")
            .withDefault("astro.${topic}").withValidator(Validators.TOPIC_NAME_PATTERN)
            .withImportance(Importance.MEDIUM).withDisplay(Width.MEDIUM, "Topic name pattern")
            .withDoc("The Kafka topic each notification is written to. ${topic} is replaced by the Astro topic and "
                    + "${room} by the room (channel id); characters Kafka does not allow in topic names become '_'. "
                    + "A pattern that gives an invalid name for a configured pair is a validation error.");

    /** Zero when heartbeats are off. */
    public static final Key<Duration> HEARTBEAT_INTERVAL = Key.millis("heartbeat.interval.ms")
            .withDefault(0L).withValidator(Range.between(0L, 86_400_000L))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Heartbeat interval (ms)")
            .withDoc("How often, in milliseconds, each (topic, room) pair gets a heartbeat record in "
                    + "heartbeat.topic carrying the pair's last offset (the last notification id written), busy or "
                    + "quiet. The offsets of quiet pairs are then committed again, and consumers of heartbeat.topic "
                    + "can tell a quiet room from a stopped connector. A pair that never received a notification has "
                    + "no offset and gets no heartbeat. 0 (default): no heartbeats; the offset of a quiet pair stays "
                    + "the last id written, which is all that deduplication after a restart needs.");

    public static final Key<String> HEARTBEAT_TOPIC = Key.string("heartbeat.topic")
            .withDefault("__astro-heartbeat").withValidator(Validators.KAFKA_TOPIC_NAME)
            .withImportance(Importance.LOW).withDisplay(Width.MEDIUM, "Heartbeat topic")
            .withDoc("The Kafka topic heartbeat records go to when heartbeat.interval.ms is above 0. Connectors may "
                    + "share it: the key is the pair (topic:room), the value names the connector. Created like the "
                    + "notification topics (topic.creation.* or the broker's auto-creation); transforms apply to "
                    + "heartbeats too.");

    public static final Key<ValueFormat> VALUE_FORMAT = Key.string("astro.value.format").as(ValueFormat::fromConfig)
            .withDefault(ValueFormat.TYPED.configValue())
            .withValidator(ConfigDef.CaseInsensitiveValidString.in(Arrays.stream(ValueFormat.values())
                    .map(ValueFormat::configValue).toArray(String[]::new)))
            .withImportance(Importance.MEDIUM).withDisplay(Width.SHORT, "Value format")
            .withDoc("The shape of a notification record's value. typed (default): one named schema per documented "
                    + "Astro topic (channel.activities, channel.tips, ...), the payload as a struct with times as "
                    + "Timestamp and amounts as numbers; fields the schema does not know are kept as JSON text in "
                    + "extra, and a payload that does not fit its schema is kept whole as JSON text in raw (header "
                    + "astro.value.misfit says why, metric PayloadMisfits counts it). Topics with no documented shape "
                    + "are written raw. raw: the 0.x shape, one schema for every topic with the payload as JSON text "
                    + "in data. See docs/records.md.");

    static final String PERSONAL_DATA_OMIT = "omit";
    static final String PERSONAL_DATA_INCLUDE = "include";

    /** True when personal data is written. */
    public static final Key<Boolean> PERSONAL_DATA = Key.string("astro.personal.data")
            .as(value -> PERSONAL_DATA_INCLUDE.equalsIgnoreCase(value.trim()))
            .withDefault(PERSONAL_DATA_OMIT)
            .withValidator(ConfigDef.CaseInsensitiveValidString.in(PERSONAL_DATA_OMIT, PERSONAL_DATA_INCLUDE))
            .withImportance(Importance.MEDIUM).withDisplay(Width.SHORT, "Personal data")
            .withDoc("Whether a tip donor's e-mail address, country (geo) and IP address are written (channel.tips, "
                    + "channel.tips.moderation), in either value format. omit (default): left out of data, extra "
                    + "and raw alike. include: written as the gateway sends them; then the Kafka topics hold personal "
                    + "data, with the duties that brings. See docs/records.md.");

    static final KeyGroup GROUP = new KeyGroup("Output", TOPIC_NAME_PATTERN, HEARTBEAT_INTERVAL, HEARTBEAT_TOPIC,
            VALUE_FORMAT, PERSONAL_DATA);

    private AstroOutputConfig() {
    }
}
