package io.github.kafkaconnectastro.records;

import io.github.kafkaconnectastro.protocol.Subscription;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeduplicatorTest {

    private static final Subscription A = new Subscription("channel.tips", "a");
    private static final Subscription B = new Subscription("channel.tips", "b");

    @Test
    void dropsDuplicateIds() {
        Deduplicator dedup = new Deduplicator(10);
        assertTrue(dedup.accept(A, "01B"));
        assertFalse(dedup.accept(A, "01B"));
    }

    @Test
    void keepsIdsArrivingOutOfOrderInALiveSession() {
        Deduplicator dedup = new Deduplicator(10);
        assertTrue(dedup.accept(A, "01C"));
        assertTrue(dedup.accept(A, "01B"));
    }

    @Test
    void tracksEachSubscriptionSeparately() {
        Deduplicator dedup = new Deduplicator(10);
        assertTrue(dedup.accept(A, "01B"));
        assertTrue(dedup.accept(B, "01B"));
    }

    @Test
    void dropsIdsNotNewerThanTheCommittedOffset() {
        Deduplicator dedup = new Deduplicator(10);
        dedup.committed(A, "01C");
        assertFalse(dedup.accept(A, "01B"));
        assertFalse(dedup.accept(A, "01C"));
        assertTrue(dedup.accept(A, "01D"));
        assertTrue(dedup.accept(B, "01A"));
    }

    @Test
    void forgetsTheOldestIdsBeyondCapacity() {
        Deduplicator dedup = new Deduplicator(2);
        dedup.accept(A, "1");
        dedup.accept(A, "2");
        dedup.accept(A, "3");
        assertTrue(dedup.accept(A, "1"), "the oldest id is forgotten, memory stays bounded");
        assertFalse(dedup.accept(A, "3"));
    }
}
