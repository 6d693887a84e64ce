package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.offsets.SourceOffsets;

import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeartbeatRecordsTest {

    private static final Subscription QUIET = new Subscription("channel.tips", "r1");
    private static final Subscription OWN = new Subscription("channel.activities", "");
    private static final Subscription NEVER = new Subscription("channel.follow", "r2");

    @Test
    void sendsNothingWhenOff() {
        HeartbeatRecords heartbeats = new HeartbeatRecords("hb", "astro", 0, 0);
        heartbeats.offset(QUIET, SourceOffsets.offset("01A", Instant.EPOCH.toString(), null));
        assertTrue(heartbeats.due(Long.MAX_VALUE / 2).isEmpty());
    }

    @Test
    void sendsOneRecordPerPairWithAnOffsetEachInterval() {
        HeartbeatRecords heartbeats = new HeartbeatRecords("__astro-heartbeat", "astro", 1_000, 10_000);
        Instant ts = Instant.parse("2026-03-19T12:00:00Z");
        heartbeats.offset(QUIET, SourceOffsets.offset("01OLD", ts.toString(), null));
        heartbeats.offset(QUIET, SourceOffsets.offset("01NEW", ts.plusSeconds(1).toString(), null));
        heartbeats.offset(OWN, Map.of(SourceOffsets.OFFSET_ID, "01OWN"));
        heartbeats.offset(NEVER, null);

        assertTrue(heartbeats.due(10_999).isEmpty(), "not due before one interval");
        List<SourceRecord> first = heartbeats.due(11_000);
        assertEquals(2, first.size());
        SourceRecord quiet = first.get(0);
        assertEquals("__astro-heartbeat", quiet.topic());
        assertEquals(SourceOffsets.partition(QUIET), quiet.sourcePartition());
        assertEquals(SourceOffsets.offset("01NEW", ts.plusSeconds(1).toString(), null), quiet.sourceOffset());
        assertEquals("channel.tips:r1", quiet.key());
        assertEquals(11_000L, quiet.timestamp());
        Struct value = (Struct) quiet.value();
        assertEquals("01NEW", value.get(HeartbeatRecords.FIELD_LAST_ID));
        assertEquals("astro", value.get(HeartbeatRecords.FIELD_CONNECTOR));
        assertEquals(Date.from(ts.plusSeconds(1)), value.get(HeartbeatRecords.FIELD_LAST_TS));
        value.validate();

        Struct own = (Struct) first.get(1).value();
        assertEquals("", own.get(HeartbeatRecords.FIELD_ROOM));
        assertNull(own.get(HeartbeatRecords.FIELD_LAST_TS), "an offset set through REST may lack ts");

        assertTrue(heartbeats.due(11_500).isEmpty(), "the next round is one interval later");
        assertEquals(2, heartbeats.due(12_000).size());
    }
}
