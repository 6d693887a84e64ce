package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.offsets.SourceOffsets;

import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.records.Delivery;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotificationRecordsTest {

    private static final Instant TS = Instant.parse("2024-02-15T14:52:42Z");
    private static final String ID = "01HPPM2TQ6CCMFQGHEN8MM1NN0";

    private static Delivery delivery(Subscription sub, String room) {
        return new Delivery(sub, room, new AstroMessage.Notification("01HPPM2TQ6CCMFQGHEN8MM1NN0", TS,
                sub.topic(), room, "follow", null, "{\"type\":\"follow\"}", 100));
    }

    @Test
    void mapsANotificationToARecord() {
        Subscription sub = new Subscription("channel.activities", "6183c7d4");
        Map<String, String> offset = SourceOffsets.offset(ID, "2024-02-15T14:52:42Z", ID);
        SourceRecord record = new NotificationRecords(new TopicNamer("astro.${topic}"), ValueFormat.RAW, false, (pair, reason) -> { })
                .toRecord(delivery(sub, "6183c7d4"), offset);
        assertEquals("astro.channel.activities", record.topic());
        assertEquals("6183c7d4", record.key());
        assertEquals(TS.toEpochMilli(), record.timestamp());
        assertEquals(Map.of("topic", "channel.activities", "room", "6183c7d4"), record.sourcePartition());
        assertSame(offset, record.sourceOffset(), "the deduplicator's offset for the pair");
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
    void aTsTooFarAheadOfTheClockGivesWayToTheArrivalTime() {
        Subscription sub = new Subscription("channel.tips", "6183c7d4");
        Instant year9000 = Instant.parse("9000-01-01T00:00:00Z");
        long now = TS.toEpochMilli();
        List<Subscription> ahead = new java.util.ArrayList<>();
        NotificationRecords records = new NotificationRecords(new TopicNamer("astro.${topic}"), ValueFormat.RAW, false,
                new NotificationRecords.MisfitListener() {
                    @Override
                    public void misfit(Subscription subscription, String reason) {
                    }

                    @Override
                    public void aheadOfClock(Subscription subscription) {
                        ahead.add(subscription);
                    }
                }, () -> now);
        SourceRecord record = records.toRecord(new Delivery(sub, "6183c7d4", new AstroMessage.Notification(ID,
                year9000, sub.topic(), "6183c7d4", "tip", null, "{}", 10)), SourceOffsets.offset(ID, null, null));
        assertEquals(now, record.timestamp(), "the broker refuses a timestamp over an hour ahead");
        assertEquals("arrival", record.headers().lastWithName("astro.timestamp").value());
        assertEquals(Date.from(year9000), ((Struct) record.value()).get("ts"), "the value keeps the gateway's ts");
        assertEquals(List.of(sub), ahead);

        SourceRecord onTime = records.toRecord(delivery(sub, "6183c7d4"), SourceOffsets.offset(ID, null, null));
        assertEquals(now, onTime.timestamp());
        assertNull(onTime.headers().lastWithName("astro.timestamp"));
        assertEquals(1, ahead.size());
    }

    @Test
    void ownChannelRecordsUseTheResolvedRoomAsKeyAndTheConfiguredPairAsPartition() {
        Subscription own = new Subscription("channel.tips", "");
        SourceRecord record = new NotificationRecords(new TopicNamer("astro.${topic}.${room}"), ValueFormat.RAW, false,
                (pair, reason) -> { })
                .toRecord(delivery(own, "abc"), SourceOffsets.offset(ID, null, null));
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
        for (Map<String, ?> offset : List.of(Map.of("ts", "2024-02-15T14:52:42Z"), Map.of("id", "01A"),
                Map.of("id", ID, "ts", "soon"), Map.of("id", ID, "x", 1))) {
            assertThrows(IllegalArgumentException.class, () -> SourceOffsets.checkOffset(pair, offset),
                    offset::toString);
        }
        assertEquals(pair, SourceOffsets.checkPartition(Map.of("topic", "channel.tips", "room", "")));
        assertThrows(IllegalArgumentException.class,
                () -> SourceOffsets.checkPartition(Map.of("topic", "channel.tips")));
    }

    @Test
    void checksTheRecentIdsOfAnOffset() {
        Subscription pair = new Subscription("channel.tips", "r");
        String other = "01HPPM2TQ6CCMFQGHEN8MM1NN1";
        SourceOffsets.checkOffset(pair, Map.of("id", ID, "recent", ID + "," + other.toLowerCase()));
        SourceOffsets.checkOffset(pair, Map.of("id", ID, "ts", "2024-02-15T14:52:42Z", "recent", ""));
        SourceOffsets.checkOffset(pair, Map.of("id", ID, "recent", String.join(",", Collections.nCopies(8, ID))));
        assertRefused(pair, Map.of("id", ID, "recent", String.join(",", Collections.nCopies(9, ID))), "at most 8 ids");
        assertRefused(pair, Map.of("id", ID, "recent", ID + ",01X"), "holds '01X', which is not a ULID");
        assertRefused(pair, Map.of("id", ID, "recent", ID + ","), "holds '', which is not a ULID");
        assertRefused(pair, Map.of("id", ID, "recent", 5), "must be a string of ULIDs");
        assertEquals(List.of(ID, other), SourceOffsets.recentOf(Map.of("id", ID, "recent", ID + "," + other)));
        assertEquals(List.of(), SourceOffsets.recentOf(Map.of("id", ID)));
    }

    private static void assertRefused(Subscription pair, Map<String, ?> offset, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SourceOffsets.checkOffset(pair, offset));
        assertTrue(e.getMessage().contains(reason) && e.getMessage().contains("channel.tips:r"), e.getMessage());
    }
}
