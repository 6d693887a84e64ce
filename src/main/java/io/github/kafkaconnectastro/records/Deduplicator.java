package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.protocol.Subscription;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drops notifications already written. Within a running task it remembers the last {@code capacity} ids of each
 * subscription (the gateway may deliver an id twice around reconnects); across restarts it drops any id not newer
 * than the committed offset's (ULIDs sort by time). Ids that merely arrive out of order in a live session are
 * kept. Used by {@code poll()} only, so not thread-safe.
 */
public final class Deduplicator {

    private final int capacity;
    /** Per subscription, so that a notification costs one lookup. */
    private final Map<Subscription, RecentIds> bySubscription = new HashMap<>();

    public Deduplicator(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** Records the id of the offset committed before this task started. */
    public void committed(Subscription subscription, String id) {
        if (id != null) {
            recentIds(subscription).floor = id;
        }
    }

    /** True when the id is new for this subscription (and remembers it); false for a duplicate. */
    public boolean accept(Subscription subscription, String id) {
        RecentIds recent = recentIds(subscription);
        if (recent.floor != null && id.compareTo(recent.floor) <= 0) {
            return false;
        }
        return recent.putIfAbsent(id, Boolean.TRUE) == null;
    }

    private RecentIds recentIds(Subscription subscription) {
        RecentIds recent = bySubscription.get(subscription);
        if (recent == null) {
            recent = new RecentIds(capacity);
            bySubscription.put(subscription, recent);
        }
        return recent;
    }

    /**
     * Insertion-ordered and bounded: the oldest id is forgotten first. {@code floor} is the committed offset's id,
     * null when there was none.
     */
    private static final class RecentIds extends LinkedHashMap<String, Boolean> {
        private final int capacity;
        private String floor;

        RecentIds(int capacity) {
            super(Math.min(capacity, 1024) * 2, 0.75f);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
        }
    }
}
