package io.github.kafkaconnectastro.offsets;

import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The events a pair wrote, as 64-bit hashes of their ids with their creation times, in the order written, at most
 * the pair's share of the task's event budget and never more than {@value #CAPACITY} (the oldest written forgotten
 * first), so that a pair's offset can carry those created within its
 * {@link UnrepairedWindows unrepaired windows} ({@code gaps.events}). A restarted task repairs those windows and
 * drops what was written by these hashes, never by a creation time: within a window, an event created earlier than
 * one written may still be missing. A hash of 64 bits, so that the offset stays small (12 characters an event);
 * two ids of one window sharing a hash is as unlikely as 2<sup>-50</sup>.
 *
 * <p>Append-only, with immutable {@link View views} for the offsets of the records: an append writes only beyond
 * every view, and a full array is copied into a new one, so a view never changes.
 */
final class WindowEvents {

    /** How many events a pair remembers for its windows, and its offset carries at most. */
    static final int CAPACITY = 8192;
    /** The creation time of a hash a committed offset carried: it belongs to one of the restored windows. */
    static final long RESTORED = Long.MIN_VALUE + 1;

    private final int capacity;
    private long[] hashes;
    private long[] times;
    private int start;
    private int end;

    /** @param capacity the pair's share of {@code dedup.cache.task.size}; at most {@value #CAPACITY} are kept */
    WindowEvents(int capacity) {
        this.capacity = Math.max(1, Math.min(CAPACITY, capacity));
        hashes = new long[Math.min(1024, 2 * this.capacity)];
        times = new long[hashes.length];
    }

    /** A fixed part of the log, for one record's offset. */
    record View(long[] hashes, long[] times, int start, int end) {

        /** The {@code gaps.events} text: the hashes created within a window, or restored while one is; null if none. */
        String text(List<UnrepairedWindows.Window> windows, boolean restoredPending) {
            if (windows.isEmpty()) {
                return null;
            }
            StringBuilder text = new StringBuilder();
            for (int i = start; i < end; i++) {
                if (times[i] == RESTORED ? restoredPending : within(windows, times[i])) {
                    if (!text.isEmpty()) {
                        text.append(',');
                    }
                    text.append(encode(hashes[i]));
                }
            }
            return text.isEmpty() ? null : text.toString();
        }

        private static boolean within(List<UnrepairedWindows.Window> windows, long ms) {
            for (UnrepairedWindows.Window window : windows) {
                if (window.contains(ms)) {
                    return true;
                }
            }
            return false;
        }
    }

    void add(String eventId, long createdAtMs) {
        addHash(hash(eventId), createdAtMs);
    }

    void addHash(long hash, long createdAtMs) {
        if (end == hashes.length) {
            int live = end - start;
            int size = Math.min(2 * capacity, Math.max(hashes.length, 2 * live + 2));
            long[] h = new long[size];
            long[] t = new long[size];
            System.arraycopy(hashes, start, h, 0, live);
            System.arraycopy(times, start, t, 0, live);
            hashes = h;
            times = t;
            start = 0;
            end = live;
        }
        hashes[end] = hash;
        times[end] = createdAtMs;
        end++;
        if (end - start > capacity) {
            start++;
        }
    }

    View view() {
        return new View(hashes, times, start, end);
    }

    /** A stable 64-bit hash of an event id: FNV-1a over its characters, then mixed. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    static String encode(long hash) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (hash >>> (56 - 8 * i));
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The hashes of an offset's {@code gaps.events} field; those that cannot be read are left out. */
    static Set<Long> decode(Object field) {
        Set<Long> set = new HashSet<>();
        if (!(field instanceof String text) || text.isEmpty()) {
            return set;
        }
        for (String part : text.split(",", -1)) {
            try {
                byte[] bytes = Base64.getUrlDecoder().decode(part);
                if (bytes.length == 8) {
                    long h = 0;
                    for (byte b : bytes) {
                        h = (h << 8) | (b & 0xff);
                    }
                    set.add(h);
                }
            } catch (IllegalArgumentException e) {
                // left out: an offset set by hand
            }
        }
        return set;
    }
}
