package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.Delivery;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NotificationRecordsTest {

    private static final Instant TS = Instant.parse("2024-02-15T14:52:42Z");
    private static final String ID = "01HPPM2TQ6CCMFQGHEN8MM1NN0";

    private static Delivery delivery(Subscription sub, String room) {
        return new Delivery(sub, room, new AstroMessage.Notification("01HPPM2TQ6CCMFQGHEN8MM1NN0", TS,
                sub.topic(), room, "follow", "{\"type\":\"follow\"}", 100));
    }

    @Test
    void mapsANotificationToARecord() {
        Subscription sub = new Subscription("channel.activities", "6183c7d4");
        SourceRecord record = new NotificationRecords(new TopicNamer("astro.${topic}")).toRecord(delivery(sub, "6183c7d4"));
        assertEquals("astro.channel.activities", record.topic());
        assertEquals("6183c7d4", record.key());
        assertEquals(TS.toEpochMilli(), record.timestamp());
        assertEquals(Map.of("topic", "channel.activities", "room", "6183c7d4"), record.sourcePartition());
        assertEquals(Map.of("id", "01HPPM2TQ6CCMFQGHEN8MM1NN0", "ts", "2024-02-15T14:52:42Z"), record.sourceOffset());
        Struct value = (Struct) record.value();
        value.validate();
        assertEquals("01HPPM2TQ6CCMFQGHEN8MM1NN0", value.get("id"));
        assertEquals(Date.from(TS), value.get("ts"));
        assertEquals("follow", value.get("type"));
        assertEquals("{\"type\":\"follow\"}", value.get("data"));
        assertEquals("01HPPM2TQ6CCMFQGHEN8MM1NN0", record.headers().lastWithName("astro.id").value());
        assertEquals("channel.activities", record.headers().lastWithName("astro.topic").value());
    }

    @Test
    void ownChannelRecordsUseTheResolvedRoomAsKeyAndTheConfiguredPairAsPartition() {
        Subscription own = new Subscription("channel.tips", "");
        SourceRecord record = new NotificationRecords(new TopicNamer("astro.${topic}.${room}")).toRecord(delivery(own, "abc"));
        assertEquals("abc", record.key());
        assertEquals("astro.channel.tips.abc", record.topic());
        assertEquals(Map.of("topic", "channel.tips", "room", ""), record.sourcePartition());
    }

    @Test
    void replacesCharactersKafkaDoesNotAllow() {
        assertEquals("astro_channel.tips_x", new TopicNamer("astro/${topic} ${room}").name("channel.tips", "x"));
    }

    @Test
    void reportsPatternsThatGiveInvalidNames() {
        assertEquals("gives an empty topic name", TopicNamer.problem("${room}", "t", ""));
        assertNull(TopicNamer.problem("astro.${topic}", "channel.tips", "r"));
    }

    @Test
    void checksOffsetsGivenToAlterOffsets() {
        Subscription pair = new Subscription("channel.tips", "");
        SourceOffsets.checkOffset(pair, null);
        SourceOffsets.checkOffset(pair, Map.of("id", ID, "ts", "2024-02-15T14:52:42Z"));
        SourceOffsets.checkOffset(pair, Map.of("id", ID.toLowerCase()));
        assertThrows(IllegalArgumentException.class, () -> SourceOffsets.checkOffset(pair, Map.of("ts", "2024-02-15T14:52:42Z")));
        assertThrows(IllegalArgumentException.class, () -> SourceOffsets.checkOffset(pair, Map.of("id", "01A")));
        assertThrows(IllegalArgumentException.class, () -> SourceOffsets.checkOffset(pair, Map.of("id", ID, "ts", "soon")));
        assertThrows(IllegalArgumentException.class, () -> SourceOffsets.checkOffset(pair, Map.of("id", ID, "x", 1)));
        assertEquals(pair, SourceOffsets.checkPartition(Map.of("topic", "channel.tips", "room", "")));
        assertThrows(IllegalArgumentException.class, () -> SourceOffsets.checkPartition(Map.of("topic", "channel.tips")));
    }
}
