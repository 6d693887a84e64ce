package io.github.kafkaconnectastro.offsets;

import io.github.kafkaconnectastro.protocol.Subscription;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The repair windows of a task's repaired pairs that are not repaired yet: a window is added when a gap opens (its
 * end unknown until the pair is subscribed again) and removed once its repair's records have been written, or its
 * repair was given up. Each pair's offset carries them ({@code gaps}), so that a task stopped before a repair ran,
 * or while its records waited for {@code poll()}, leaves the window to the next start, which repairs it. Written
 * by the session's and the repair's threads, read by {@code poll()}: each pair's list is an immutable copy replaced
 * under the lock, read without it.
 *
 * <p>At most {@value #MAX_PER_PAIR} windows a pair: past that, the two closed windows closest to each other are
 * merged (losing their floors, so that nothing in between counts as written by time).
 */
public final class UnrepairedWindows {

    /** How many windows a pair's offset carries at most. */
    public static final int MAX_PER_PAIR = 8;
    /** The end of a window whose gap is still open. */
    public static final long OPEN = Long.MAX_VALUE;
    /** No floor. */
    public static final long NO_FLOOR = Long.MIN_VALUE;

    /**
     * One window: the events created from {@code fromMs} to {@code toMs} are to be read from the REST API.
     *
     * @param floorMs a restart's window only: within it, the events created no later than this were written before
     *                the restart (the committed {@code events.floor}); {@link #NO_FLOOR} for any other window
     */
    public record Window(long fromMs, long toMs, long floorMs) {

        public boolean open() {
            return toMs == OPEN;
        }

        public boolean contains(long ms) {
            return ms >= fromMs && ms <= toMs;
        }

        /** The window as the offset's {@code gaps} field writes it: {@code from/to[/floor]}, {@code from/} when open. */
        String text() {
            String text = Instant.ofEpochMilli(fromMs) + "/" + (open() ? "" : Instant.ofEpochMilli(toMs));
            return floorMs == NO_FLOOR ? text : text + "/" + Instant.ofEpochMilli(floorMs);
        }
    }

    private final Map<Subscription, List<Window>> windows = new ConcurrentHashMap<>();

    /** A gap opened: its window starts at {@code fromMs}, its end is not known yet. */
    public synchronized void open(Subscription subscription, long fromMs, long floorMs) {
        List<Window> list = copy(subscription);
        list.add(new Window(fromMs, OPEN, floorMs));
        put(subscription, list);
    }

    /**
     * The pair's open gap closed: its window ends at {@code toMs}. The open window that started last is closed;
     * without one (a task that started with the pair subscribed), a window from {@code fromMs} is added.
     *
     * @return the window as closed
     */
    public synchronized Window close(Subscription subscription, long fromMs, long toMs) {
        List<Window> list = copy(subscription);
        for (int i = list.size() - 1; i >= 0; i--) {
            Window window = list.get(i);
            if (window.open()) {
                Window closed = new Window(Math.min(window.fromMs(), fromMs), Math.max(toMs, window.fromMs()),
                        window.floorMs());
                list.set(i, closed);
                put(subscription, list);
                return closed;
            }
        }
        Window added = new Window(fromMs, Math.max(fromMs, toMs), NO_FLOOR);
        list.add(added);
        put(subscription, list);
        return added;
    }

    /** A window a committed offset carried, to be repaired by this task. */
    public synchronized void restore(Subscription subscription, Window window) {
        List<Window> list = copy(subscription);
        list.add(window);
        put(subscription, list);
    }

    /**
     * The repair of {@code [fromMs, toMs]} was written (or given up): the closed windows within it are done.
     *
     * @return true when a window was removed
     */
    public synchronized boolean repaired(Subscription subscription, long fromMs, long toMs) {
        List<Window> list = copy(subscription);
        boolean removed = list.removeIf(w -> !w.open() && w.fromMs() >= fromMs && w.toMs() <= toMs);
        if (removed) {
            put(subscription, list);
        }
        return removed;
    }

    /** The pair's windows, oldest first; an immutable list. */
    public List<Window> of(Subscription subscription) {
        return windows.getOrDefault(subscription, List.of());
    }

    private List<Window> copy(Subscription subscription) {
        return new ArrayList<>(of(subscription));
    }

    private void put(Subscription subscription, List<Window> list) {
        list.sort(Comparator.comparingLong(Window::fromMs));
        while (list.size() > MAX_PER_PAIR && mergeClosest(list)) {
            // merged two windows
        }
        windows.put(subscription, List.copyOf(list));
    }

    /** Merges the two closed windows, next to each other, with the least time between them. */
    private static boolean mergeClosest(List<Window> list) {
        int best = -1;
        long bestDistance = Long.MAX_VALUE;
        for (int i = 0; i + 1 < list.size(); i++) {
            Window a = list.get(i);
            Window b = list.get(i + 1);
            if (!a.open() && !b.open() && b.fromMs() - a.toMs() < bestDistance) {
                best = i;
                bestDistance = b.fromMs() - a.toMs();
            }
        }
        if (best < 0) {
            return false;
        }
        Window a = list.get(best);
        Window b = list.remove(best + 1);
        list.set(best, new Window(Math.min(a.fromMs(), b.fromMs()), Math.max(a.toMs(), b.toMs()), NO_FLOOR));
        return true;
    }

    /** The offset's {@code gaps} field for these windows; null for none. */
    static String text(List<Window> list) {
        if (list.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder(list.size() * 50);
        for (Window window : list) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(window.text());
        }
        return text.toString();
    }

    /**
     * The windows of an offset's {@code gaps} field; those that cannot be read are left out.
     *
     * @throws IllegalArgumentException when {@code strict} and a window cannot be read
     */
    public static List<Window> parse(Object field, boolean strict) {
        if (!(field instanceof String text) || text.isEmpty()) {
            if (strict && field != null && !(field instanceof String)) {
                throw new IllegalArgumentException("not a string");
            }
            return List.of();
        }
        List<Window> list = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String[] ends = part.split("/", -1);
            try {
                if (ends.length < 2 || ends.length > 3) {
                    throw new IllegalArgumentException("'" + part + "' is not from/to[/floor]");
                }
                long from = Instant.parse(ends[0]).toEpochMilli();
                long to = ends[1].isEmpty() ? OPEN : Instant.parse(ends[1]).toEpochMilli();
                long floor = ends.length == 3 ? Instant.parse(ends[2]).toEpochMilli() : NO_FLOOR;
                if (to < from) {
                    throw new IllegalArgumentException("'" + part + "' ends before it starts");
                }
                list.add(new Window(from, to, floor));
            } catch (DateTimeParseException | ArithmeticException | IllegalArgumentException e) {
                if (strict) {
                    throw new IllegalArgumentException("'" + part + "' is not from/to[/floor] in RFC 3339 times");
                }
            }
        }
        return list;
    }
}
