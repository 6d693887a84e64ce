package io.github.kafkaconnectastro.offsets;

import io.github.kafkaconnectastro.protocol.Rfc3339;

import java.util.LinkedHashSet;
import java.util.Iterator;

/**
 * The event ids ({@code data._id}) a task wrote for one pair, at most {@code capacity}, the oldest written forgotten
 * first, and the latest creation time written. Ids only, no time floor: a repair writes a gap's events after live
 * events created later, so no creation time written so far says that an older event was written. When more events
 * are written between a gap and its repair than the pair remembers, an event can be written twice; never lost.
 */
final class WrittenEvents {

    /** No creation time known: the value a {@code createdAt} that could not be read arrives with. */
    static final long UNKNOWN = Rfc3339.UNKNOWN;

    private final int capacity;
    private final LinkedHashSet<String> ids;
    private long newestMs = UNKNOWN;

    WrittenEvents(int capacity) {
        this.capacity = capacity;
        this.ids = new LinkedHashSet<>(Math.min(capacity, 1024) * 2);
    }

    boolean contains(String id) {
        return ids.contains(id);
    }

    void add(String id, long createdAtMs) {
        if (ids.add(id) && ids.size() > capacity) {
            Iterator<String> oldest = ids.iterator();
            oldest.next();
            oldest.remove();
        }
        newest(createdAtMs);
    }

    /** The latest creation time written; {@link #UNKNOWN} for none. */
    long newestMs() {
        return newestMs;
    }

    void newest(long ms) {
        if (ms != UNKNOWN) {
            newestMs = Math.max(newestMs, ms);
        }
    }
}
