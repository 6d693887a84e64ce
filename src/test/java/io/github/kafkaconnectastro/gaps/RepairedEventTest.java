package io.github.kafkaconnectastro.gaps;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RepairedEventTest {

    @Test
    void readsTheDocumentsCreatedAtAndOffsets() {
        assertEquals(Instant.parse("2024-02-15T14:52:41.608Z").toEpochMilli(),
                RepairedEvent.epochMs("2024-02-15T14:52:41.608Z"));
        assertEquals(Instant.parse("2024-02-15T14:52:41Z").toEpochMilli(), RepairedEvent.epochMs("2024-02-15T14:52:41Z"));
        assertEquals(Instant.parse("2024-02-15T12:52:41.5Z").toEpochMilli(),
                RepairedEvent.epochMs("2024-02-15T14:52:41.5+02:00"));
    }

    @Test
    void anUnreadableTimeIsUnknownNotAnError() {
        assertEquals(RepairedEvent.UNKNOWN, RepairedEvent.epochMs(null));
        assertEquals(RepairedEvent.UNKNOWN, RepairedEvent.epochMs("yesterday"));
        assertEquals(RepairedEvent.UNKNOWN, RepairedEvent.epochMs("2024-02-30T14:52:41Z"));
        assertEquals(RepairedEvent.UNKNOWN, RepairedEvent.epochMs("2024-02-15T14:52:41"));
    }

    @Test
    void aTimeBeyondEpochMillisIsUnknownNotAnError() {
        assertEquals(RepairedEvent.UNKNOWN, RepairedEvent.epochMs("+999999999-12-31T23:59:59Z"));
    }
}
