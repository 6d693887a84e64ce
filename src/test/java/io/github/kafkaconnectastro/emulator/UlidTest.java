package io.github.kafkaconnectastro.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class UlidTest {

    private static final Pattern CROCKFORD = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");

    @Test
    void encodesTheTimestampLikeTheSpec() {
        // The ULID specification's example: 01ARYZ6S41... was generated at 1469918176385.
        String id = new Ulid(() -> 1469918176385L, new Random(1)).next();
        assertTrue(id.startsWith("01ARYZ6S41"), id);
        assertEquals(1469918176385L, Ulid.timestamp(id));
        assertEquals(1469918176385L, Ulid.timestamp("01ARYZ6S41TSV4RRFFQ69G5FAV"));
    }

    @Test
    void hasTwentySixCrockfordCharacters() {
        for (int i = 0; i < 1_000; i++) {
            String id = Ulid.nextId();
            assertTrue(CROCKFORD.matcher(id).matches(), id);
        }
    }

    @Test
    void isStrictlyIncreasingWithinOneMillisecond() {
        Ulid ulid = new Ulid(() -> 1_700_000_000_000L, new Random(7));
        String previous = ulid.next();
        for (int i = 0; i < 10_000; i++) {
            String id = ulid.next();
            assertTrue(id.compareTo(previous) > 0, previous + " then " + id);
            assertEquals(1_700_000_000_000L, Ulid.timestamp(id));
            previous = id;
        }
    }

    @Test
    void staysOrderedWhenTheClockStepsBack() {
        AtomicLong now = new AtomicLong(1_700_000_000_500L);
        Ulid ulid = new Ulid(now::get, new Random(3));
        String before = ulid.next();
        now.set(1_700_000_000_000L);
        String after = ulid.next();
        assertTrue(after.compareTo(before) > 0, before + " then " + after);
    }

    @Test
    void ordersByTimeAcrossMilliseconds() {
        AtomicLong now = new AtomicLong(1_000L);
        Ulid ulid = new Ulid(now::get, new Random(5));
        String earlier = ulid.next();
        now.incrementAndGet();
        String later = ulid.next();
        assertTrue(later.compareTo(earlier) > 0);
        assertEquals(1_001L, Ulid.timestamp(later));
    }

    @Test
    void carriesIntoTheHighRandomBits() {
        // A Random whose first long is all ones makes the very next increment carry into bit 64.
        Random allOnes = new Random() {
            @Override
            public long nextLong() {
                return -1L;
            }

            @Override
            public int nextInt(int bound) {
                return 0;
            }
        };
        Ulid ulid = new Ulid(() -> 42L, allOnes);
        String first = ulid.next();
        String second = ulid.next();
        assertEquals("000000001A000FZZZZZZZZZZZZ", first);
        assertEquals("000000001A000G000000000000", second);
    }
}
