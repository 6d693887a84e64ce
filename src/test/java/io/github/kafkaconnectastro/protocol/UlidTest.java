package io.github.kafkaconnectastro.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UlidTest {

    private static final String SPEC_EXAMPLE = "01ARYZ6S41TSV4RRFFQ69G5FAV";

    @Test
    void acceptsTwentySixCrockfordCharactersInEitherCase() {
        assertTrue(Ulid.isUlid(SPEC_EXAMPLE));
        assertTrue(Ulid.isUlid("01aryz6s41tsv4rrffq69g5fav"));
        assertTrue(Ulid.isUlid("7ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
        assertTrue(Ulid.isUlid("00000000000000000000000000"));
    }

    @Test
    void refusesWhatIsNotAUlid() {
        assertFalse(Ulid.isUlid(null));
        assertFalse(Ulid.isUlid(""));
        assertFalse(Ulid.isUlid("01X"), "too short");
        assertFalse(Ulid.isUlid(SPEC_EXAMPLE + "0"), "too long");
        assertFalse(Ulid.isUlid("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"), "beyond 48 bits of time");
        for (char letter : new char[] {'I', 'L', 'O', 'U', 'i', 'l', 'o', 'u', '-', ' ', 'é'}) {
            assertFalse(Ulid.isUlid("01ARYZ6S41TSV4RRFFQ69G5FA" + letter), "with " + letter);
        }
    }

    @Test
    void normalisesToUpperCase() {
        assertEquals(SPEC_EXAMPLE, Ulid.normalise("01aryz6s41tsv4rrffq69g5fav"));
        assertSame(SPEC_EXAMPLE, Ulid.normalise(SPEC_EXAMPLE), "no copy when already upper case");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ulid.normalise("01X"));
        assertTrue(e.getMessage().contains("'01X' is not a ULID") && e.getMessage().contains(Ulid.DESCRIPTION),
                e.getMessage());
        assertNull(Ulid.canonical("01X"));
    }

    @Test
    void readsTheTimeOfTheFirstTenCharacters() {
        // The ULID specification's example was generated at 1469918176385.
        assertEquals(1469918176385L, Ulid.timestampMillis(SPEC_EXAMPLE));
        assertEquals(1469918176385L, Ulid.timestampMillis("01aryz6s41tsv4rrffq69g5fav"));
        assertEquals((1L << 48) - 1, Ulid.timestampMillis("7ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
        assertThrows(IllegalArgumentException.class, () -> Ulid.timestampMillis("01X"));
        assertThrows(IllegalArgumentException.class, () -> Ulid.timestampMillis("01ARYZ6SI1TSV4RRFFQ69G5FAV"));
    }
}
