package io.github.kafkaconnectastro.offsets;

import io.github.kafkaconnectastro.protocol.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.kafkaconnectastro.offsets.EventDeduplicationTest.ulid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gap whose repair had not been written when the task stopped: its window stays in the pair's offset, and the next
 * task repairs it, dropping what was written by the events' hashes, never by a creation time (issue 20, item 4: the
 * drop's events, older than live records written after it, were dropped as "already written").
 */
class UnrepairedWindowsTest {

    private static final Subscription TIPS = Subscription.parse("channel.tips:aaaaaaaaaaaaaaaaaaaaaaaa");
    private static final long T0 = Instant.parse("2026-01-10T18:00:00Z").toEpochMilli();
    private static final long MARGIN = 30_000;
    /** One event every 25 ms (40 a second): event n is created at T0 + 25 n. */
    private static final long EVERY = 25;
    /** The connection drops after event 1,199 (30 s) and the pair is subscribed again at event 1,600 (40 s). */
    private static final int DROP = 1_200;
    private static final int BACK = 1_600;

    private static long at(int n) {
        return T0 + n * EVERY;
    }

    private static String event(int n) {
        return String.format("6a%022x", n);
    }

    private static Deduplicator task(UnrepairedWindows windows) {
        return new Deduplicator(1_000, 5_000, s -> s.equals(TIPS), 50_000, () -> at(4_000), windows);
    }

    /** Live events {@code from} (inclusive) to {@code to} (exclusive); the last one's offset. */
    private static Map<String, ?> live(Deduplicator dedup, int from, int to) {
        Map<String, ?> offset = null;
        for (int n = from; n < to; n++) {
            offset = dedup.accept(TIPS, ulid(at(n)), Instant.ofEpochMilli(at(n)), event(n), at(n));
            assertNotNull(offset, "live event " + n);
        }
        return offset;
    }

    /** Which of the events {@code from} to {@code to} a repair after a restart writes. */
    private static List<Integer> repaired(Deduplicator dedup, int from, int to) {
        List<Integer> written = new ArrayList<>();
        for (int n = from; n < to; n++) {
            if (dedup.acceptRepaired(TIPS, event(n), at(n)) != null) {
                written.add(n);
            }
        }
        return written;
    }

    /** A first task: live until the drop, a gap of 10 s, live again for 8 s, stopped before the gap's repair. */
    private static Map<String, ?> firstTaskStoppedBeforeTheRepair() {
        UnrepairedWindows windows = new UnrepairedWindows();
        Deduplicator dedup = task(windows);
        live(dedup, 0, DROP);
        windows.open(TIPS, at(DROP) - MARGIN, UnrepairedWindows.NO_FLOOR);
        windows.close(TIPS, at(DROP) - MARGIN, at(BACK) + MARGIN);
        return live(dedup, BACK, BACK + 320);
    }

    @Test
    void theNextTaskRepairsTheWindowAndWritesEveryEventOfTheDropOnce() {
        Map<String, ?> offset = Map.copyOf(firstTaskStoppedBeforeTheRepair());
        SourceOffsets.checkOffset(TIPS, offset);
        assertEquals(List.of(new UnrepairedWindows.Window(at(DROP) - MARGIN, at(BACK) + MARGIN,
                UnrepairedWindows.NO_FLOOR)), UnrepairedWindows.parse(offset.get(SourceOffsets.OFFSET_GAPS), true));

        UnrepairedWindows windows = new UnrepairedWindows();
        Deduplicator next = task(windows);
        next.committed(TIPS, offset, at(4_000));
        assertEquals(1, next.restoredWindows(TIPS).size());

        // Everything from the first event to the stop is read again: the drop's events only are written.
        assertEquals(range(DROP, BACK), repaired(next, 0, BACK + 320));
    }

    @Test
    void aSecondRestartBeforeTheRepairStillWritesTheDropOnce() {
        Map<String, ?> first = Map.copyOf(firstTaskStoppedBeforeTheRepair());
        UnrepairedWindows windows = new UnrepairedWindows();
        Deduplicator second = task(windows);
        second.committed(TIPS, first, at(4_000));
        for (UnrepairedWindows.Window window : second.restoredWindows(TIPS)) {
            windows.restore(TIPS, window);
        }
        // The restart's own gap, from the last event written, with the committed floor.
        windows.open(TIPS, at(BACK + 319) - MARGIN, second.committedFloor(TIPS));
        windows.close(TIPS, at(BACK + 319) - MARGIN, at(2_100) + MARGIN);
        Map<String, ?> offset = Map.copyOf(live(second, 2_100, 2_300));
        assertEquals(2, UnrepairedWindows.parse(offset.get(SourceOffsets.OFFSET_GAPS), true).size());

        Deduplicator third = task(new UnrepairedWindows());
        third.committed(TIPS, offset, at(4_000));
        List<Integer> expected = new ArrayList<>(range(DROP, BACK));
        expected.addAll(range(BACK + 320, 2_100));
        assertEquals(expected, repaired(third, 0, 2_300), "both gaps, nothing written twice");
    }

    @Test
    void theEventsAnOffsetCarriedStayWrittenThroughTwoMoreRestarts() {
        UnrepairedWindows windows = new UnrepairedWindows();
        Deduplicator first = task(windows);
        Map<String, ?> offset = Map.copyOf(live(first, 0, 100));

        for (int restart = 0; restart < 2; restart++) {
            windows = new UnrepairedWindows();
            Deduplicator next = task(windows);
            next.committed(TIPS, offset, at(4_000));
            for (UnrepairedWindows.Window window : next.restoredWindows(TIPS)) {
                windows.restore(TIPS, window);
            }
            long last = next.lastWritten(TIPS).toEpochMilli();
            windows.open(TIPS, last - MARGIN, Math.min(next.committedFloor(TIPS), last));
            int from = 100 + 100 * restart;
            offset = Map.copyOf(live(next, from, from + 100));
        }
        Deduplicator last = task(new UnrepairedWindows());
        last.committed(TIPS, offset, at(4_000));
        assertEquals(List.of(), repaired(last, 0, 300), "the first task's last events too, carried in events then");
    }

    @Test
    void aWindowLeavesTheOffsetOnceItsRepairIsWritten() {
        UnrepairedWindows windows = new UnrepairedWindows();
        Deduplicator dedup = task(windows);
        live(dedup, 0, 10);
        windows.open(TIPS, at(10) - MARGIN, UnrepairedWindows.NO_FLOOR);
        UnrepairedWindows.Window window = windows.close(TIPS, at(10) - MARGIN, at(20) + MARGIN);
        assertNotNull(dedup.acceptRepaired(TIPS, event(15), at(15)).get(SourceOffsets.OFFSET_GAPS),
                "the window's own records carry it");

        assertTrue(windows.repaired(TIPS, window.fromMs(), window.toMs()));
        assertNull(dedup.current(TIPS).get(SourceOffsets.OFFSET_GAPS));
        assertNull(live(dedup, 20, 21).get(SourceOffsets.OFFSET_GAPS_EVENTS));
    }

    @Test
    void anOpenGapIsCarriedAndTheWindowsAreBounded() {
        UnrepairedWindows windows = new UnrepairedWindows();
        for (int i = 0; i < 12; i++) {
            windows.open(TIPS, at(100 * i), UnrepairedWindows.NO_FLOOR);
            windows.close(TIPS, at(100 * i), at(100 * i + 10 + i));
        }
        windows.open(TIPS, at(5_000), at(4_990));
        List<UnrepairedWindows.Window> list = windows.of(TIPS);
        assertEquals(UnrepairedWindows.MAX_PER_PAIR, list.size());
        assertEquals(at(0), list.get(0).fromMs(), "merged, not dropped");
        assertTrue(list.get(list.size() - 1).open());

        String text = UnrepairedWindows.text(list);
        assertEquals(list, UnrepairedWindows.parse(text, true));
        assertThrows(IllegalArgumentException.class, () -> UnrepairedWindows.parse("2026-01-10T18:00:00Z", true));
        assertEquals(List.of(), UnrepairedWindows.parse("yesterday/today", false));
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> list = new ArrayList<>();
        for (int n = from; n < to; n++) {
            list.add(n);
        }
        return list;
    }
}
