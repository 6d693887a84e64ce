package io.github.kafkaconnectastro.gaps;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kafkaconnectastro.protocol.Subscription;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The documents one gap's repair has read, in creation order, at most {@code maxRecords} of them: the oldest are
 * kept, since a later gap's repair or the live stream may still cover the newest. Documents outside the window,
 * read twice (pages shifting under the reader), or without an id or creation time are not kept. The ids it has
 * seen are bounded too: past {@code maxSeenIds} it takes no more, and says so ({@link #overflowed()}).
 */
final class RepairCollector {

    private static final Comparator<RepairedEvent> CREATION_ORDER = Comparator
            .comparingLong(RepairedEvent::createdAtMs).thenComparing(RepairedEvent::eventId);

    private final Subscription subscription;
    private final String channel;
    private final long fromMs;
    private final long toMs;
    private final int maxRecords;
    private final int maxSeenIds;
    private boolean overflowed;
    private final TreeSet<RepairedEvent> kept = new TreeSet<>(CREATION_ORDER);
    private final Set<String> seen = new HashSet<>();
    private long beyond;
    private long unreadable;

    RepairCollector(Subscription subscription, String channel, long fromMs, long toMs, int maxRecords,
                    int maxSeenIds) {
        this.subscription = subscription;
        this.channel = channel;
        this.fromMs = fromMs;
        this.toMs = toMs;
        this.maxRecords = maxRecords;
        this.maxSeenIds = maxSeenIds;
    }

    /** @return how many of the documents were new to this repair */
    int addAll(List<JsonNode> docs) {
        int added = 0;
        for (JsonNode doc : docs) {
            RepairedEvent event = RepairedEvent.of(subscription, channel, doc);
            if (event == null) {
                unreadable++;
                continue;
            }
            if (seen.contains(event.eventId())) {
                continue;
            }
            if (seen.size() >= maxSeenIds) {
                overflowed = true;
                return added;
            }
            seen.add(event.eventId());
            added++;
            if (event.createdAtMs() < fromMs || event.createdAtMs() > toMs) {
                continue;
            }
            kept.add(event);
            if (kept.size() > maxRecords) {
                kept.pollLast();
                beyond++;
            }
        }
        return added;
    }

    /** True once a new id found the seen ids full: the endpoint sends more than a window can hold. */
    boolean overflowed() {
        return overflowed;
    }

    /** The kept events, oldest first. */
    List<RepairedEvent> events() {
        return new ArrayList<>(kept);
    }

    /** Events in the window not kept, as they were beyond {@code maxRecords}. */
    long beyond() {
        return beyond;
    }

    /** Documents without a string {@code _id} or a readable {@code createdAt}. */
    long unreadable() {
        return unreadable;
    }
}
