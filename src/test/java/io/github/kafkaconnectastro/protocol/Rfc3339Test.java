package io.github.kafkaconnectastro.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The hand-written reader must agree with {@link OffsetDateTime#parse} on every text, valid or not. */
class Rfc3339Test {

    @ParameterizedTest
    @ValueSource(strings = {
        "2024-02-15T14:52:42Z",
        "2024-02-15T14:52:42.608Z",
        "2024-02-15T14:52:42.1Z",
        "2024-02-15T14:52:42.123456789Z",
        "2024-02-15T14:52:42+01:00",
        "2024-02-15T14:52:42.5-05:30",
        "2024-02-15T00:00:00-00:00",
        "2024-02-29T23:59:59+17:59",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z",
    })
    void readsTheCommonShapeByHandAndAgreesWithTheJdk(String text) {
        assertNotNull(Rfc3339.tryFast(text), "not on the fast path: " + text);
        assertEquals(OffsetDateTime.parse(text).toInstant(), Rfc3339.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2024-02-15t14:52:42z",
        "2024-02-15T14:52Z",
        "2024-02-15T14:52:42.Z",
        "2024-02-15T14:52:42+18:00",
        "2024-02-15T14:52:42+01:00:30",
        "+12024-02-15T14:52:42Z",
    })
    void leavesOtherValidShapesToTheJdk(String text) {
        assertNull(Rfc3339.tryFast(text));
        assertEquals(OffsetDateTime.parse(text).toInstant(), Rfc3339.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "soon", "2024-02-15", "2024-02-15T14:52:42", "2024-02-30T14:52:42Z", "2023-02-29T14:52:42Z",
        "2024-13-15T14:52:42Z", "2024-02-15T24:00:00Z", "2024-02-15T14:60:42Z", "2024-02-15T14:52:60Z",
        "2024-02-15T14:52:42.1234567890Z", "2024-02-15T14:52:42+19:00",
        "2024-02-15T14:52:42+01:60", "2024-02-15T14:52:42ZZ", "2024-02-15T14:52:42 Z", "2024-0a-15T14:52:42Z",
        "2024-02-15T14:52:42+0100", "2024-02-15T14:52:4Z", "２０２４-02-15T14:52:42Z",
    })
    void rejectsWhatTheJdkRejects(String text) {
        assertThrows(DateTimeParseException.class, () -> OffsetDateTime.parse(text), "the JDK accepts " + text);
        assertThrows(DateTimeParseException.class, () -> Rfc3339.parse(text));
    }

    @Test
    void agreesWithTheJdkOnRandomInstantsAndOffsets() {
        Random random = new Random(42);
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            ZoneOffset offset = random.nextBoolean() ? ZoneOffset.UTC
                    : ZoneOffset.ofTotalSeconds(random.nextInt(-17 * 60, 17 * 60 + 1) * 60);
            String text = iso.format(instant.atOffset(offset));
            assertEquals(OffsetDateTime.parse(text).toInstant(), Rfc3339.parse(text), text);
        }
    }

    @Test
    void epochMsReadsACreatedAtWithAnyOffset() {
        assertEquals(Instant.parse("2024-02-15T14:52:41.608Z").toEpochMilli(),
                Rfc3339.epochMsOrUnknown("2024-02-15T14:52:41.608Z"));
        assertEquals(Instant.parse("2024-02-15T14:52:41Z").toEpochMilli(),
                Rfc3339.epochMsOrUnknown("2024-02-15T14:52:41Z"));
        assertEquals(Instant.parse("2024-02-15T12:52:41.5Z").toEpochMilli(),
                Rfc3339.epochMsOrUnknown("2024-02-15T14:52:41.5+02:00"));
    }

    @Test
    void anUnreadableTimeIsUnknownNotAnError() {
        assertEquals(Rfc3339.UNKNOWN, Rfc3339.epochMsOrUnknown(null));
        assertEquals(Rfc3339.UNKNOWN, Rfc3339.epochMsOrUnknown("yesterday"));
        assertEquals(Rfc3339.UNKNOWN, Rfc3339.epochMsOrUnknown("2024-02-30T14:52:41Z"));
        assertEquals(Rfc3339.UNKNOWN, Rfc3339.epochMsOrUnknown("2024-02-15T14:52:41"));
    }

    @Test
    void aTimeBeyondEpochMillisIsUnknownNotAnError() {
        assertEquals(Rfc3339.UNKNOWN, Rfc3339.epochMsOrUnknown("+999999999-12-31T23:59:59Z"));
    }
}
