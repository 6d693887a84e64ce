package io.github.kafkaconnectastro.offsets;

import io.github.kafkaconnectastro.protocol.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pairs whose gaps are repaired drop duplicates by the event's own id, live or repaired, across restarts. */
class EventDeduplicationTest {

    private static final Subscription TIPS = Subscription.parse("channel.tips:aaaaaaaaaaaaaaaaaaaaaaaa");
    private static final Subscription CHAT = Subscription.parse("channel.chat.message:aaaaaaaaaaaaaaaaaaaaaaaa");
    private static final long T0 = Instant.parse("2026-01-10T18:00:00Z").toEpochMilli();

    private static Deduplicator repairingTips() {
        return new Deduplicator(1_000, 5_000, s -> s.equals(TIPS), 10_000);
    }

    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /** A ULID stamped {@code ms}, its random part zero. */
    static String ulid(long ms) {
        char[] text = new char[26];
        java.util.Arrays.fill(text, '0');
        long rest = ms;
        for (int i = 9; i >= 0; i--) {
            text[i] = CROCKFORD.charAt((int) (rest & 31));
            rest >>>= 5;
        }
        return new String(text);
    }

    private static String event(int n) {
        return String.format("6a%022x", n);
    }

    @Test
    void aRepairedEventAlreadyWrittenLiveIsDropped() {
        Deduplicator dedup = repairingTips();
        assertNotNull(dedup.accept(TIPS, ulid(T0), Instant.ofEpochMilli(T0), event(1), T0));

        assertNull(dedup.acceptRepaired(TIPS, event(1), T0));
        assertNotNull(dedup.acceptRepaired(TIPS, event(2), T0 + 1));
    }

    @Test
    void aLiveEventAlreadyRepairedIsDroppedWhateverItsEnvelopeId() {
        Deduplicator dedup = repairingTips();
        assertNotNull(dedup.acceptRepaired(TIPS, event(1), T0));

        assertNull(dedup.accept(TIPS, ulid(T0 + 10), Instant.ofEpochMilli(T0 + 10), event(1), T0));
        assertNotNull(dedup.accept(TIPS, ulid(T0 + 20), Instant.ofEpochMilli(T0 + 20), event(2), T0 + 20));
    }

    @Test
    void theOffsetCarriesTheLastEventsAndAFloorAcrossARestart() {
        Deduplicator before = repairingTips();
        Map<String, ?> offset = null;
        for (int n = 0; n < 100; n++) {
            offset = before.accept(TIPS, ulid(T0 + n), Instant.ofEpochMilli(T0 + n), event(n), T0 + n);
        }
        assertEquals(SourceOffsets.EVENTS_MAX, SourceOffsets.eventsOf(offset).size());
        assertEquals(Instant.ofEpochMilli(T0 + 100 - SourceOffsets.EVENTS_MAX - 1),
                SourceOffsets.timeOf(offset, SourceOffsets.OFFSET_EVENTS_FLOOR));
        SourceOffsets.checkOffset(TIPS, offset);

        Deduplicator after = repairingTips();
        after.committed(TIPS, Map.copyOf(offset), T0 + 1_000);

        assertNull(after.acceptRepaired(TIPS, event(99), T0 + 99), "remembered in events");
        assertNull(after.acceptRepaired(TIPS, event(10), T0 + 10), "created before the floor");
        assertNotNull(after.acceptRepaired(TIPS, event(100), T0 + 100), "new");
        assertEquals(Instant.ofEpochMilli(T0 + 100), after.lastWritten(TIPS));
    }

    @Test
    void aGapRepairedAfterLaterLiveEventsIsWrittenInFull() {
        Deduplicator dedup = repairingTips();
        for (int n = 0; n < 100; n++) {
            dedup.accept(TIPS, ulid(T0 + n), Instant.ofEpochMilli(T0 + n), event(n), T0 + n);
        }
        // The gap: events 100..199 were never delivered; live goes on with 200..999 before the repair runs.
        for (int n = 200; n < 1_000; n++) {
            dedup.accept(TIPS, ulid(T0 + n), Instant.ofEpochMilli(T0 + n), event(n), T0 + n);
        }
        int written = 0;
        for (int n = 90; n < 210; n++) {
            if (dedup.acceptRepaired(TIPS, event(n), T0 + n) != null) {
                written++;
            }
        }
        assertEquals(100, written, "every event of the gap, none of those written live around it");
    }

    @Test
    void aLiveEventIsNeverDroppedByTimeOnlyById() {
        Deduplicator dedup = repairingTips();
        for (int n = 0; n < 2_000; n++) {
            dedup.accept(TIPS, ulid(T0 + n), Instant.ofEpochMilli(T0 + n), event(n), T0 + 1_000 + n);
        }
        // A tip created long before it was pushed.
        assertNotNull(dedup.accept(TIPS, ulid(T0 + 5_000), Instant.ofEpochMilli(T0 + 5_000), event(9_999), T0));
    }

    @Test
    void aPairWithoutRepairKeepsItsOffsetAsBefore() {
        Deduplicator dedup = repairingTips();
        Map<String, ?> offset = dedup.accept(CHAT, ulid(T0), Instant.ofEpochMilli(T0), event(1), T0);

        assertFalse(offset.containsKey(SourceOffsets.OFFSET_EVENTS));
        assertNotNull(dedup.accept(CHAT, ulid(T0 + 1), Instant.ofEpochMilli(T0 + 1), event(1), T0));
    }

    @Test
    void anOffsetOfRepairedEventsOnlyIsValidAndRestoresThem() {
        Deduplicator before = repairingTips();
        Map<String, ?> offset = before.acceptRepaired(TIPS, event(1), T0);
        assertNull(SourceOffsets.idOf(offset));
        SourceOffsets.checkOffset(TIPS, offset);

        Deduplicator after = repairingTips();
        after.committed(TIPS, Map.copyOf(offset), T0 + 1_000);
        assertNull(after.acceptRepaired(TIPS, event(1), T0));
        assertTrue(after.lastWritten(TIPS).toEpochMilli() == T0);
    }
}
