package io.github.kafkaconnectastro.offsets;

import io.github.kafkaconnectastro.protocol.GatewayClock;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A notification stamped far ahead (a gateway node's wrong clock) raises no floor, and nothing after it is lost. */
class AheadOfClockTest {

    private static final Subscription TIPS = Subscription.parse("channel.tips:aaaaaaaaaaaaaaaaaaaaaaaa");
    private static final Subscription CHAT = Subscription.parse("channel.chat.message:aaaaaaaaaaaaaaaaaaaaaaaa");
    private static final long T0 = Instant.parse("2026-01-10T18:00:00Z").toEpochMilli();
    private static final long YEAR_9000 = Instant.parse("9000-01-01T00:00:00Z").toEpochMilli();
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private long now = T0;

    private Deduplicator dedup() {
        return new Deduplicator(1_000, 5_000, s -> s.equals(TIPS), 10_000, () -> now);
    }

    /** A ULID stamped {@code ms}, its random part {@code n}. */
    private static String ulid(long ms, int n) {
        return EventDeduplicationTest.ulid(ms).substring(0, 25) + CROCKFORD.charAt(n & 31);
    }

    private static String event(int n) {
        return String.format("6a%022x", n);
    }

    /** What a restarted task takes from the offset committed by the one before. */
    private Deduplicator restarted(Map<String, ?> committed, Subscription pair) {
        Deduplicator after = dedup();
        after.committed(pair, committed, now);
        return after;
    }

    @Test
    void aNotificationFromTheYear9000IsWrittenButRaisesNoFloorAcrossARestart() {
        Deduplicator before = dedup();
        assertNotNull(before.accept(TIPS, ulid(T0, 1), Instant.ofEpochMilli(T0), event(1), T0));
        Map<String, ?> offset = before.accept(TIPS, ulid(YEAR_9000, 2), Instant.ofEpochMilli(YEAR_9000), event(2),
                YEAR_9000);
        assertNotNull(offset, "delivered");
        assertNull(before.accept(TIPS, ulid(YEAR_9000, 2), Instant.ofEpochMilli(YEAR_9000), event(2), YEAR_9000),
                "still a duplicate of itself while the task runs");
        now = T0 + 1_000;
        offset = before.accept(TIPS, ulid(now, 3), Instant.ofEpochMilli(now), event(3), now);
        assertEquals(ulid(now, 3), SourceOffsets.idOf(offset), "the id stamped ahead is not the highest");
        assertTrue(SourceOffsets.timeOf(offset, SourceOffsets.OFFSET_EVENTS_TS).toEpochMilli()
                <= now + GatewayClock.MAX_AHEAD_MS, "events.ts");

        now = T0 + 60_000;
        Deduplicator after = restarted(offset, TIPS);
        assertTrue(after.lastWritten(TIPS).toEpochMilli() <= now, "the restart's gap starts no later than now");
        assertNotNull(after.accept(TIPS, ulid(now, 4), Instant.ofEpochMilli(now), event(4), now),
                "a later notification is not taken for a duplicate");
        assertNotNull(after.acceptRepaired(TIPS, event(5), T0 + 30_000), "nor a repaired event of the stop's gap");
    }

    @Test
    void anOffsetPoisonedBeforeTheFixHealsAtTheRestart() {
        now = T0 + 60_000;
        Map<String, String> poisoned = new java.util.HashMap<>(SourceOffsets.offset(ulid(YEAR_9000, 1),
                Instant.ofEpochMilli(YEAR_9000).toString(), ulid(YEAR_9000, 1) + "," + ulid(T0, 2)));
        poisoned.put(SourceOffsets.OFFSET_EVENTS, event(1));
        poisoned.put(SourceOffsets.OFFSET_EVENTS_FLOOR, Instant.ofEpochMilli(YEAR_9000).toString());
        poisoned.put(SourceOffsets.OFFSET_EVENTS_TS, Instant.ofEpochMilli(YEAR_9000).toString());

        Deduplicator after = restarted(poisoned, TIPS);
        assertTrue(after.lastWritten(TIPS).toEpochMilli() <= now);
        assertNotNull(after.acceptRepaired(TIPS, event(2), T0 + 30_000), "an event of the stop's gap");
        Map<String, ?> offset = after.accept(TIPS, ulid(now + 2, 3), Instant.ofEpochMilli(now + 2), event(3), now + 2);
        assertEquals(ulid(now + 2, 3), SourceOffsets.idOf(offset));
        assertNull(SourceOffsets.timeOf(offset, SourceOffsets.OFFSET_EVENTS_FLOOR), "a floor stamped ahead is dropped");
        assertTrue(SourceOffsets.timeOf(offset, SourceOffsets.OFFSET_EVENTS_TS).toEpochMilli() <= now + 2);
        assertNull(after.accept(TIPS, ulid(YEAR_9000, 1), Instant.ofEpochMilli(YEAR_9000), event(1), YEAR_9000),
                "the committed ids are still duplicates");
    }

    @Test
    void aTsFromTheYear9000IsNotTheOffsetsTsOnAPairWithoutRepair() {
        Deduplicator dedup = dedup();
        Map<String, ?> offset = dedup.accept(CHAT, ulid(T0, 1), Instant.ofEpochMilli(YEAR_9000));
        assertEquals(Instant.ofEpochMilli(T0), SourceOffsets.tsOf(offset));
    }

    @Test
    void anOffsetTimeBeyondEpochMillisIsUnreadableRatherThanFatal() {
        Map<String, String> offset = Map.of(SourceOffsets.OFFSET_EVENTS_TS, "+999999999-12-31T23:59:59Z");
        assertNull(SourceOffsets.timeOf(offset, SourceOffsets.OFFSET_EVENTS_TS));
    }
}
