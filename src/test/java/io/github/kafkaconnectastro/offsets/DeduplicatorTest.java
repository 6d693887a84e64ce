package io.github.kafkaconnectastro.offsets;

import io.github.kafkaconnectastro.emulator.Ulid;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeduplicatorTest {

    private static final Subscription A = new Subscription("channel.tips", "a");
    private static final Subscription B = new Subscription("channel.tips", "b");
    private static final long T = Instant.parse("2026-03-19T12:00:00Z").toEpochMilli();
    private static final long NOW = T + 60_000;
    private static final long SKEW = 5_000;
    private static final Random RANDOM = new Random(42);

    /** Ten ids per pair and the default allowance, unless a test says otherwise. */
    private final Deduplicator dedup = new Deduplicator(10, SKEW);

    /** A fresh ULID stamped at {@code ms}; ids of the same millisecond are in random order. */
    private static String ulid(long ms) {
        return new Ulid(() -> ms, RANDOM).next();
    }

    private static boolean accepted(Deduplicator dedup, Subscription pair, String id) {
        return dedup.accept(pair, id, Instant.ofEpochMilli(T)) != null;
    }

    private static Map<String, String> offset(String id, String recent) {
        return SourceOffsets.offset(id, Instant.ofEpochMilli(Ulid.timestamp(id)).toString(), recent);
    }

    @Test
    void dropsDuplicateIds() {
        String id = ulid(T);
        assertTrue(accepted(dedup, A, id));
        assertFalse(accepted(dedup, A, id));
        assertFalse(accepted(dedup, A, id.toLowerCase()), "the same ULID in lower case");
    }

    @Test
    void keepsIdsArrivingOutOfOrderInALiveSession() {
        assertTrue(accepted(dedup, A, ulid(T + 1_000)));
        assertTrue(accepted(dedup, A, ulid(T - 60_000)));
    }

    @Test
    void tracksEachSubscriptionSeparately() {
        String id = ulid(T);
        assertTrue(accepted(dedup, A, id));
        assertTrue(accepted(dedup, B, id));
    }

    @Test
    void forgetsTheOldestIdsBeyondCapacity() {
        Deduplicator small = new Deduplicator(2, SKEW);
        String first = ulid(T + 1);
        String third = ulid(T + 3);
        small.accept(A, first, Instant.EPOCH);
        small.accept(A, ulid(T + 2), Instant.EPOCH);
        small.accept(A, third, Instant.EPOCH);
        assertTrue(accepted(small, A, first), "the oldest id is forgotten, memory stays bounded");
        assertFalse(accepted(small, A, third));
    }

    @Test
    void afterARestartDropsIdsOlderThanTheCommittedOneByMoreThanTheSkew() {
        dedup.committed(A, offset(ulid(T), null), NOW);
        assertFalse(accepted(dedup, A, ulid(T - SKEW - 1)));
        assertFalse(accepted(dedup, A, ulid(T - 3_600_000)));
        assertTrue(accepted(dedup, A, ulid(T - SKEW)), "at the edge of the allowance: a new id");
        assertTrue(accepted(dedup, A, ulid(T + 1)));
        assertTrue(accepted(dedup, B, ulid(T - 3_600_000)), "another pair has no floor");
    }

    @Test
    void withinTheSkewDropsOnlyTheIdsTheOffsetRemembers() {
        String highest = ulid(T);
        String earlier = ulid(T - 1_000);
        String earliest = ulid(T - 4_000);
        dedup.committed(A, offset(highest, highest + "," + earlier + "," + earliest), NOW);
        assertFalse(accepted(dedup, A, highest));
        assertFalse(accepted(dedup, A, earlier));
        assertFalse(accepted(dedup, A, earliest.toLowerCase()));
        assertTrue(accepted(dedup, A, ulid(T - 1_000)), "a new id stamped by a node whose clock is behind");
        assertTrue(accepted(dedup, A, ulid(T)), "a new id of the same millisecond");
    }

    /**
     * A task moved to another worker: the gateway sent the same notifications to the old and the new connection
     * while both were subscribed. Every id the old task wrote is dropped, however many arrived within the allowance,
     * while a new id stamped a little early is kept when it is among the remembered ones' range.
     */
    @Test
    void afterATaskMovesNothingTheOldTaskWroteIsWrittenAgain() {
        Deduplicator before = new Deduplicator(1_000, SKEW);
        List<String> written = new ArrayList<>();
        Map<String, ?> offset = null;
        for (int i = 0; i < 40; i++) {
            String id = ulid(T - 2_000 + i * 50L);
            written.add(id);
            offset = before.accept(A, id, Instant.ofEpochMilli(Ulid.timestamp(id)));
        }
        dedup.committed(A, offset, NOW);
        for (String id : written) {
            assertFalse(accepted(dedup, A, id), "written by the old task: " + id);
        }
        String betweenRemembered = ulid(T - 2_000 + 37 * 50L);
        assertTrue(accepted(dedup, A, betweenRemembered), "a new id among the remembered ones' range is kept");
        assertTrue(accepted(dedup, A, ulid(T + 1_000)));
    }

    @Test
    void readsAnOldOffsetWithoutRecentIds() {
        String committed = ulid(T);
        dedup.committed(A, Map.of(SourceOffsets.OFFSET_ID, committed), NOW);
        assertFalse(accepted(dedup, A, committed));
        assertTrue(accepted(dedup, A, ulid(T - 1)));
        Map<String, ?> next = dedup.accept(A, ulid(T - 2), Instant.ofEpochMilli(T - 2));
        assertEquals(committed, SourceOffsets.idOf(next), "a late id does not lower the offset");
        assertNull(next.get(SourceOffsets.OFFSET_TS), "the committed offset had no ts");
    }

    @Test
    void comparesTheCommittedIdByTimeNotAsText() {
        Deduplicator noSkew = new Deduplicator(10, 0);
        // In lower case, a ULID sorts after every upper-case one: as text it would be a floor for ever.
        noSkew.committed(A, Map.of(SourceOffsets.OFFSET_ID, ulid(T).toLowerCase()), NOW);
        assertTrue(accepted(noSkew, A, ulid(T + 1)));
        assertFalse(accepted(noSkew, A, ulid(T - 1)));
    }

    @Test
    void aCommittedIdStampedAheadOfTheClockCountsAsStampedNow() {
        String ahead = ulid(NOW + 86_400_000);
        dedup.committed(A, offset(ahead, null), NOW);
        assertTrue(accepted(dedup, A, ulid(NOW)), "a poisoned offset does not drop what comes now");
        assertFalse(accepted(dedup, A, ulid(NOW - SKEW - 1)));
        assertFalse(accepted(dedup, A, ahead));
    }

    @Test
    void theOffsetHoldsTheHighestIdWithItsTsAndTheRecentIds() {
        String high = ulid(T + 2_000);
        String low = ulid(T + 1_000);
        Map<String, ?> first = dedup.accept(A, high, Instant.ofEpochMilli(T + 2_000));
        assertEquals(SourceOffsets.offset(high, Instant.ofEpochMilli(T + 2_000).toString(), high), first);
        Map<String, ?> late = dedup.accept(A, low, Instant.ofEpochMilli(T + 1_000));
        assertEquals(SourceOffsets.offset(high, Instant.ofEpochMilli(T + 2_000).toString(), high + "," + low), late,
                "a late, older id does not lower the offset");
    }

    @Test
    void recentHoldsTheEightHighestIdsHighestFirst() {
        Deduplicator roomy = new Deduplicator(100, SKEW);
        List<String> ids = new ArrayList<>();
        Map<String, ?> offset = null;
        for (int i = 0; i < 12; i++) {
            ids.add(ulid(T + i * 10));
            offset = roomy.accept(A, ids.get(i), Instant.ofEpochMilli(T + i * 10));
        }
        List<String> highestFirst = new ArrayList<>(ids.subList(4, 12));
        Collections.reverse(highestFirst);
        assertEquals(String.join(",", highestFirst), offset.get(SourceOffsets.OFFSET_RECENT));
        assertEquals(ids.get(11), SourceOffsets.idOf(offset));

        assertSame(offset, roomy.accept(A, ulid(T + 5), Instant.ofEpochMilli(T + 5)),
                "an id below the eight highest changes nothing");
        String late = ulid(T + 105);
        List<String> recent = SourceOffsets.recentOf(roomy.accept(A, late, Instant.ofEpochMilli(T + 105)));
        assertEquals(List.of(ids.get(11), late, ids.get(10), ids.get(9), ids.get(8), ids.get(7), ids.get(6),
                ids.get(5)), recent, "a late id among the eight highest takes its place");
    }

    @Test
    void afterARestartTheOffsetStartsFromTheCommittedOne() {
        String highest = ulid(T);
        String earlier = ulid(T - 2_000);
        Map<String, String> committed = offset(highest, highest + "," + earlier);
        dedup.committed(A, committed, NOW);
        String late = ulid(T - 1_000);
        Map<String, ?> next = dedup.accept(A, late, Instant.ofEpochMilli(T - 1_000));
        assertEquals(SourceOffsets.offset(highest, committed.get(SourceOffsets.OFFSET_TS),
                highest + "," + late + "," + earlier), next);
    }

    @Test
    void idsThatAreNotUlidsGetNoFloorAndOneWarningPerPair() {
        dedup.committed(A, offset(ulid(T), null), NOW);
        List<String> warnings = warnings(() -> {
            Map<String, ?> offset = dedup.accept(A, "evt-1", Instant.ofEpochMilli(NOW));
            assertEquals(SourceOffsets.offset("evt-1", Instant.ofEpochMilli(NOW).toString(), null), offset,
                    "the offset records the id");
            assertNull(dedup.accept(A, "evt-1", Instant.ofEpochMilli(NOW)), "dropped when seen again");
            assertNotNull(dedup.accept(A, "evt-2", Instant.ofEpochMilli(NOW)));
            assertTrue(accepted(dedup, A, ulid(T - 3_600_000)), "no floor for this pair any more");
            assertNotNull(dedup.accept(B, "evt-1", Instant.ofEpochMilli(NOW)));
        });
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("'evt-1'") && warnings.get(0).contains("channel.tips:a"), warnings.get(0));
        assertTrue(warnings.get(1).contains("channel.tips:b"), warnings.get(1));
    }

    @Test
    void aCommittedIdThatIsNotAUlidSetsNoFloor() {
        List<String> warnings = warnings(() -> {
            dedup.committed(A, SourceOffsets.offset("evt-9", Instant.ofEpochMilli(T).toString(), null), NOW);
            assertNull(dedup.accept(A, "evt-9", Instant.ofEpochMilli(T)), "the committed id is still known");
            assertTrue(accepted(dedup, A, ulid(T - 3_600_000)));
            assertNotNull(dedup.accept(A, "evt-10", Instant.ofEpochMilli(T)));
        });
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("channel.tips:a") && warnings.get(0).contains("'evt-9'"), warnings.get(0));
    }

    /** The WARN lines the deduplicator logs while {@code action} runs. */
    private static List<String> warnings(Runnable action) {
        Logger logger = ((LoggerContext) LogManager.getContext(false)).getLogger(Deduplicator.class.getName());
        List<String> lines = new CopyOnWriteArrayList<>();
        AbstractAppender appender = new AbstractAppender("dedup-warnings", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel() == Level.WARN) {
                    lines.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        logger.addAppender(appender);
        try {
            action.run();
        } finally {
            logger.removeAppender(appender);
            appender.stop();
        }
        return lines;
    }
}
